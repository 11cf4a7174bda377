// The walkthrough's steps are checked off by what the person really did, not by a command merely
// started (a backup cancelled at its quick pick is no backup): each success pulses a context key
// (true, then false again) that the step's `completionEvents` ("onContext:pgdba.walkthrough.<step>",
// package.json) waits for. A pulse, not a key left true: VS Code registers the walkthrough when its
// service first starts (opening the walkthrough, when no Welcome page started it), and a key already
// true then is taken as seen without checking the step — the next success after it would change nothing.
import * as vscode from 'vscode';

export type WalkthroughStep = 'connected' | 'linted' | 'explained' | 'backupVerified' | 'dashboardOpened';

/** Lint runs at every pause in typing: one pulse per step in this time is enough. */
const PULSE_EVERY_MS = 5_000;
const lastPulse = new Map<WalkthroughStep, number>();

/** Tells the walkthrough that `step` was just done (VS Code keeps the step checked from then on). */
export function walkthroughDone(step: WalkthroughStep): void {
  const now = Date.now();
  if (now - (lastPulse.get(step) ?? -Infinity) < PULSE_EVERY_MS) return;
  lastPulse.set(step, now);
  const key = `pgdba.walkthrough.${step}`;
  void Promise.resolve(vscode.commands.executeCommand('setContext', key, true)).then(() => vscode.commands.executeCommand('setContext', key, false));
}
