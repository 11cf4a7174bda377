// The panels' lifecycle in a real VS Code: each of the four panels opened (its page up) and its
// tab closed 20 times, as a person would; the extension's live disposables — context.subscriptions
// and what open panels own, read through the test channel — come back to their count before.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LiveCounts } from '../../../src/vscode/testChannel';
import { testConn } from './connection';
import { api } from './tree';

const CYCLES = 20;
/** Real pgbench runs (scale 1, one second each). */
const RUNS = 3;

async function until<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pgdbaTabs = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('pgdba.'));

suite('panel lifecycle', () => {
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test(`opening and closing each panel ${CYCLES} times leaves as many live disposables as before`, async function () {
    this.timeout(300_000);
    const channel = await api();
    assert.ok(channel, 'the test channel is on under the e2e runner');
    const conn = testConn();
    const ext = vscode.extensions.getExtension('pgdba.pgdba')!;
    const savedRun = vscode.Uri.joinPath(ext.extensionUri, 'test', 'fixtures', 'pgbench', 'run-before.json');
    const sql = await vscode.workspace.openTextDocument({ language: 'sql', content: 'SELECT 1;\n' });
    const opens: Record<string, () => Thenable<unknown>> = {
      plan: async () => {
        await vscode.window.showTextDocument(sql);
        return vscode.commands.executeCommand('pgdba.explain', conn.name);
      },
      dashboard: () => vscode.commands.executeCommand('pgdba.openDashboard', conn.name),
      'load test': () => vscode.commands.executeCommand('pgdba.openLoadTestRun', savedRun),
      // Closed while its first read may still run: the read stops with the panel.
      logs: () => vscode.commands.executeCommand('pgdba.openServerLogs', conn.name),
    };
    const cycle = async (open: () => Thenable<unknown>) => {
      await open();
      await until('the panel and its page', () => pgdbaTabs().length === 1 && channel.liveCounts().readyPanels === 1);
      await vscode.window.tabGroups.close(pgdbaTabs());
      await until('the panel to close', () => pgdbaTabs().length === 0 && channel.liveCounts().panels === 0);
    };
    const figures: { panel: string; before: LiveCounts; after: LiveCounts }[] = [];
    for (const [panel, open] of Object.entries(opens)) {
      await cycle(open); // the first one creates the panel's service (its listeners live with the window)
      const before = channel.liveCounts();
      for (let i = 0; i < CYCLES; i++) await cycle(open);
      const after = channel.liveCounts();
      figures.push({ panel, before, after });
      console.log(
        `pgdba live disposables, ${panel} x${CYCLES}: subscriptions ${before.subscriptions} -> ${after.subscriptions}, panel-owned ${before.panelDisposables} -> ${after.panelDisposables}`,
      );
    }
    for (const f of figures) assert.deepEqual(f.after, f.before, `${f.panel}: ${JSON.stringify(f)}`);
  });

  test('a load test run leaves no disposable behind once its panel is closed', async function () {
    this.timeout(180_000);
    const channel = await api();
    assert.ok(channel, 'the test channel is on under the e2e runner');
    const conn = testConn();
    let before: LiveCounts | undefined;
    // The first run creates ctx.loadTests (it lives with the window); the count starts after it.
    for (let i = 0; i <= RUNS; i++) {
      if (i === 1) before = channel.liveCounts();
      const run = await vscode.commands.executeCommand<{ summary: { transactions: number } } | undefined>('pgdba.runLoadTest', {
        profile: conn.name,
        scale: 1,
        clients: 1,
        threads: 1,
        durationSeconds: 1,
      });
      assert.ok(run && run.summary.transactions > 0, 'the run came back with transactions (see the pgdba log)');
      await until('the panel', () => pgdbaTabs().length === 1);
      await vscode.window.tabGroups.close(pgdbaTabs());
      await until('the panel to close', () => pgdbaTabs().length === 0 && channel.liveCounts().panels === 0);
    }
    const after = channel.liveCounts();
    assert.ok(before);
    console.log(`pgdba live disposables, load test runs x${RUNS}: subscriptions ${before.subscriptions} -> ${after.subscriptions}`);
    assert.deepEqual(after, before);
  });
});
