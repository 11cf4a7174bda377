// The load-test panel: a webview running dist/webview/loadtest.js under a strict CSP (a nonce,
// no remote resources, resources only from dist/webview). It shows the session's runs; every
// message from the page is validated (parseWebviewMessage) before anything is done with it.
import * as vscode from 'vscode';
import { compareRuns } from '../../core/loadtest/compare';
import { parseWebviewMessage, type HostMessage, type PanelView } from '../../core/loadtest/loadtestProtocol';
import { parseSavedRun, serialiseRun } from '../../core/loadtest/savedRun';
import type { LoadTestRun } from '../../core/loadtest/types';
import type { Ctx } from '../ctx';
import { webviewHtml } from '../webviewHtml';

/** The runs of this session, oldest first: the panel's list and the "Compare with" choices. */
export class LoadTestSession {
  readonly runs: LoadTestRun[] = [];

  add(run: LoadTestRun): void {
    if (!this.runs.some((r) => r.id === run.id)) this.runs.push(run);
    this.runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  find(id: string): LoadTestRun | undefined {
    return this.runs.find((r) => r.id === id);
  }
}

export class LoadTestPanel {
  private static current: LoadTestPanel | undefined;
  private ready = false;

  private constructor(
    private readonly ctx: Ctx,
    private readonly session: LoadTestSession,
    private readonly panel: vscode.WebviewPanel,
    private view: PanelView,
  ) {
    panel.webview.html = webviewHtml(panel.webview, ctx.extension.extensionUri, 'loadtest');
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw).catch((e: unknown) => ctx.reportError('load-test panel', e)), undefined, ctx.extension.subscriptions);
    panel.onDidDispose(() => {
      if (LoadTestPanel.current === this) LoadTestPanel.current = undefined;
    }, undefined, ctx.extension.subscriptions);
  }

  /** Shows the run (one panel per window: a new run replaces the view, the list keeps every run). */
  static showRun(ctx: Ctx, session: LoadTestSession, run: LoadTestRun): void {
    session.add(run);
    const view: PanelView = { kind: 'run', id: run.id };
    const open = LoadTestPanel.current;
    if (open) {
      open.panel.reveal(undefined, true);
      void open.setView(view);
      return;
    }
    const root = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel('pgdba.loadTest', 'Load Test', vscode.ViewColumn.Active, { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [root] });
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'pgdba.svg');
    LoadTestPanel.current = new LoadTestPanel(ctx, session, panel, view);
    ctx.push(panel);
  }

  private async setView(view: PanelView): Promise<void> {
    this.view = view;
    const run = this.session.find(view.kind === 'run' ? view.id : view.afterId);
    this.panel.title = view.kind === 'compare' ? 'Load Test: before ⇄ after' : `Load Test: ${run?.label ?? ''}`;
    const message: HostMessage = { type: 'state', runs: this.session.runs, view };
    if (this.ready) await this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseWebviewMessage(raw);
    if (!m) {
      this.ctx.log.warn(`load-test panel: ignored an unexpected message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.ready = true;
        await this.setView(this.view);
        return;
      case 'select':
        if (this.session.find(m.id)) await this.setView({ kind: 'run', id: m.id });
        return;
      case 'compare': {
        const a = this.session.find(m.beforeId);
        const b = this.session.find(m.afterId);
        if (!a || !b) return;
        // Before is the earlier run, whichever was picked first.
        const [before, after] = a.startedAt <= b.startedAt ? [a, b] : [b, a];
        await this.setView({ kind: 'compare', beforeId: before.id, afterId: after.id, comparison: compareRuns(before, after) });
        return;
      }
      case 'save': {
        const run = this.session.find(m.id);
        if (run) await saveRun(run);
        return;
      }
      case 'open': {
        const run = await pickSavedRun();
        if (run) LoadTestPanel.showRun(this.ctx, this.session, run);
        return;
      }
    }
  }
}

async function saveRun(run: LoadTestRun): Promise<void> {
  const name = `loadtest-${run.startedAt.slice(0, 19).replace(/[:T]/g, '-')}-${run.config.clients}c.json`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({ filters: { 'pgdba load test': ['json'] }, saveLabel: 'Save run', title: 'Save the load-test run as JSON', ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}) });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(serialiseRun(run)));
  void vscode.window.showInformationMessage(`Run saved to ${vscode.workspace.asRelativePath(target)}; reopen it with "PostgreSQL DBA: Open Load Test Run…" to compare.`);
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

