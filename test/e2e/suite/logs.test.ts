// The log panel in a real VS Code: the test server writes its log as the seed's does (the runner's
// E2E_LOG_SETTINGS: slow statements, connections, auto_explain); this suite adds slow statements
// with parameters, errors and connections, opens Logs under the server in the tree, checks the
// page's figures against the core's own report of the same files, sorts a table, opens an error's
// log line in an editor, opens an auto_explain plan in the plan viewer, and brushes a range.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { LogReport } from '../../../src/core/logs';
import type { LogPanel } from '../../../src/vscode/logs/logPanel';
import { client, testConn } from './connection';
import { api, child } from './tree';
import { ui } from './ui';
import { canScreenshot, screenshot } from './screenshot';
import { waitFor } from './wait';
import { WEBVIEW } from '../protocol';

const figure = (label: string, value: number) => `.stat:has(.stat-label:text-is("${label}")) .stat-value:text-is("${value}")`;

suite('logs panel', () => {
  const conn = testConn();

  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('Logs under the server: figures as the core reads them, sort, a log line, an auto_explain plan, the brush', async function () {
    this.timeout(300_000);
    if (!canScreenshot()) return this.skip(); // the UI steps need the runner's browser
    const db = await client(conn);
    const logging = (await db.query<{ v: string }>("SELECT current_setting('logging_collector') AS v")).rows[0]!.v;
    const prefix = (await db.query<{ v: string }>("SELECT current_setting('log_line_prefix') AS v")).rows[0]!.v;
    if (logging !== 'on') {
      console.log('# skipped: the test server does not run logging_collector (PGDBA_TEST_URL?): there is no log to read');
      await db.end();
      return this.skip();
    }
    try {
      for (let i = 0; i < 3; i++) await db.query('SELECT pg_sleep($1::float8), $2::text AS guest', [0.12 + i * 0.01, `e2e guest ${i}`]);
      // auto_explain.log_min_duration is 200 ms on the test server: this one's plan is logged.
      await db.query('SELECT count(*), pg_sleep(0.25) FROM generate_series(1, 1000) g WHERE g % 7 = $1', [3]);
      await db.query('SELECT 1/0').catch(() => undefined);
      await db.query('SELECT * FROM e2e_no_such_table').catch(() => undefined);
    } finally {
      await db.end();
    }
    for (let i = 0; i < 2; i++) await (await client(conn)).end();

    const a = await api();
    const server = await child(a, undefined, new RegExp(`^${conn.name}$`));
    const logs = await child(a, server, /^Logs$/);
    const cmd = logs.item().command!;
    const panel = await vscode.commands.executeCommand<LogPanel | undefined>(cmd.command, ...((cmd.arguments ?? []) as unknown[]));
    assert.ok(panel, 'the Logs item opened no panel');
    await waitFor(
      'the first report',
      () => {
        if (panel.failure) throw new Error(panel.failure);
        return panel.report;
      },
      120_000,
    );
    const shown = panel.report!;
    const source = panel.source!;
    console.log(`# the panel read ${source.text} (${source.kind})`);
    assert.ok(source.kind === 'local' || source.kind === 'sql', source.kind);

    // The core's own report of the same files up to the panel's last entry (the CLI, `pgdba logs --format json`): the same figures.
    if (source.kind === 'local') {
      const cli = join(vscode.extensions.getExtension('pgdba.pgdba')!.extensionPath, 'dist', 'cli.js');
      const until = new Date(Date.parse(shown.summary.last!) + 1).toISOString();
      const out = await new Promise<string>((done, fail) =>
        execFile(
          process.execPath,
          [cli, 'logs', '--format', 'json', '--prefix', prefix, '--until', until, ...source.files],
          { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
          (e, stdout, stderr) => (e && e.code !== 1 ? fail(new Error(`pgdba logs: ${stderr}`)) : done(stdout)),
        ),
      );
      const truth = JSON.parse(out) as LogReport;
      for (const k of ['statements', 'errors', 'fatals', 'connections', 'disconnections'] as const) assert.equal(shown.summary[k], truth.summary[k], k);
      assert.equal(shown.planCount, truth.planCount, 'auto_explain plans');
    }
    const s = shown.summary;
    assert.ok(s.statements >= 4 && s.errors >= 2 && s.connections >= 3, JSON.stringify(s));
    assert.ok(
      shown.plans.some((p) => /pg_sleep\(0\.25\)/.test(p.query ?? '')),
      'the auto_explain plan of the 250 ms statement',
    );
    const slow = shown.statements.find((g) => /pg_sleep\(\$1::float8\), \$2::text/.test(g.query));
    assert.ok(slow && slow.count >= 3 && /e2e guest/.test(slow.worst.parameters ?? ''), 'the slow statement with its parameters');

    await ui('logs-figures', [
      { frameWaitFor: figure('Statements', s.statements) },
      { frameWaitFor: figure('Errors', s.errors) },
      { frameWaitFor: figure('Connections', s.connections) },
    ]);
    await screenshot('e2e-logs-panel', { waitForText: 'Slow statements', within: WEBVIEW });

    // Sort by count: the header says so.
    await ui('logs-sort', [
      { frameClick: '[data-table=statements] th:has-text("Count") button' },
      { frameWaitFor: '[data-table=statements] th[aria-sort=descending]:has-text("Count")' },
    ]);

    // An error's log line opens in an editor at that line.
    const err = shown.errors.find((e) => e.pattern === 'division by zero')!;
    assert.ok(err, 'the division by zero error');
    await ui('logs-filter-and-open', [
      { frameClick: '[data-table=errors] input.filter' },
      { type: 'division' },
      { frameClick: `[data-table=errors] a.line-link:text-is("${err.sample.file.slice(err.sample.file.lastIndexOf('/') + 1)}:${err.sample.line}")` },
    ]);
    const editor = await waitFor('the log line in an editor', () => {
      const e = vscode.window.activeTextEditor;
      return e && /division by zero/.test(e.document.lineAt(e.selection.active.line).text) ? e : undefined;
    });
    assert.ok(/ERROR: {2}division by zero/.test(editor.document.lineAt(editor.selection.active.line).text));
    if (source.kind === 'local') assert.equal(editor.selection.active.line + 1, err.sample.line);

    // Back to the panel; an auto_explain plan opens in the plan viewer.
    const tabsBefore = vscode.window.tabGroups.all.flatMap((g) => g.tabs).length;
    panel.reveal();
    // The other suites' slow statements have plans too (the whole run's log): this suite's by its text.
    await ui('logs-plan', [
      { frameClick: '[data-table=plans] input.filter' },
      { type: 'pg_sleep(0.25)' },
      { frameClick: '[data-table=plans] tr:has-text("pg_sleep(0.25)") button:has-text("Open plan")' },
    ]);
    await waitFor('the plan viewer', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /^auto_explain/.test(t.label) && t.input instanceof vscode.TabInputWebview),
    );
    assert.ok(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length > tabsBefore);
    await screenshot('e2e-logs-plan', { waitForText: 'Function Scan on generate_series', within: WEBVIEW });

    // The brush: a range re-read, every table of it.
    panel.reveal();
    await ui('logs-brush', [{ frameDrag: '.chart .u-over' }, { frameWaitFor: '.range[data-range=set]' }]);
    const range = await waitFor('the brushed range', () => panel.shownRange);
    const ranged = panel.report!;
    const inRange = (t?: string) => t === undefined || (Date.parse(t) >= range.since && Date.parse(t) < range.until);
    assert.ok(inRange(ranged.summary.first) && inRange(ranged.summary.last), `${ranged.summary.first}–${ranged.summary.last} within ${JSON.stringify(range)}`);
    assert.ok(ranged.errors.every((e) => inRange(e.sample.time)));
    assert.ok(ranged.summary.entries <= shown.summary.entries);
    await screenshot('e2e-logs-brushed', { waitForText: 'Whole log', within: WEBVIEW });
  });
});
