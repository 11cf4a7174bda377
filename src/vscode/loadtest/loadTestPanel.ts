// The load-test panel (a Panel, panel.ts): one run or two compared, from the window's runs
// (ctx.loadTests); saving a run and opening a saved one.
import * as vscode from 'vscode';
import { compareRuns } from '../../core/loadtest/compare';
import { parseWebviewMessage, type HostMessage, type PanelView, type WebviewMessage } from '../../core/loadtest/loadtestProtocol';
import { parseSavedRun, serialiseRun } from '../../core/loadtest/savedRun';
import type { LoadTestRun } from '../../core/loadtest/types';
import type { Ctx } from '../ctx';
import { Panel } from '../panel';
import type { LoadTests } from './loadTests';

export class LoadTestPanel extends Panel<WebviewMessage, HostMessage> {
  constructor(
    ctx: Ctx,
    private readonly tests: LoadTests,
    private view: PanelView,
  ) {
    super(ctx, {
      page: 'loadtest',
      viewType: 'pgdba.loadTest',
      title: 'Load Test',
      column: vscode.ViewColumn.Active,
      retainContextWhenHidden: true,
      parse: parseWebviewMessage,
      label: 'load-test panel',
    });
    this.setView(view);
  }

  setView(view: PanelView): void {
    this.view = view;
    const run = this.tests.find(view.kind === 'run' ? view.id : view.afterId);
    this.panel.title = view.kind === 'compare' ? 'Load Test: before ⇄ after' : `Load Test: ${run?.label ?? ''}`;
    this.post({ type: 'state', runs: this.tests.runs, view });
  }

  protected override onPageReload(): void {
    this.setView(this.view);
  }

  protected override async onMessage(m: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    switch (m.type) {
      case 'select':
        if (this.tests.find(m.id)) this.setView({ kind: 'run', id: m.id });
        return;
      case 'compare': {
        const a = this.tests.find(m.beforeId);
        const b = this.tests.find(m.afterId);
        if (!a || !b) return;
        // Before is the earlier run, whichever was picked first.
        const [before, after] = a.startedAt <= b.startedAt ? [a, b] : [b, a];
        this.setView({ kind: 'compare', beforeId: before.id, afterId: after.id, comparison: compareRuns(before, after) });
        return;
      }
      case 'save': {
        const run = this.tests.find(m.id);
        if (run) await saveRun(run);
        return;
      }
      case 'open': {
        const run = await pickSavedRun();
        if (run) this.tests.show(run);
        return;
      }
    }
  }
}

async function saveRun(run: LoadTestRun): Promise<void> {
  const name = `loadtest-${run.startedAt.slice(0, 19).replace(/[:T]/g, '-')}-${run.config.clients}c.json`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    filters: { 'pgdba load test': ['json'] },
    saveLabel: 'Save run',
    title: 'Save the load-test run as JSON',
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(serialiseRun(run)));
  void vscode.window.showInformationMessage(
    `Run saved to ${vscode.workspace.asRelativePath(target)}; reopen it with "PostgreSQL DBA: Open Load Test Run…" to compare.`,
  );
}

/** Asks for a saved run file and reads it; a broken file is said in words. */
export async function pickSavedRun(): Promise<LoadTestRun | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'pgdba load test': ['json'] }, openLabel: 'Open run' });
  if (!picked?.[0]) return undefined;
  return readSavedRun(picked[0]);
}

export async function readSavedRun(uri: vscode.Uri): Promise<LoadTestRun> {
  const parsed = parseSavedRun(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  if ('error' in parsed) throw new Error(`${vscode.workspace.asRelativePath(uri)} is not a load-test run: ${parsed.error}`);
  return parsed.run;
}
