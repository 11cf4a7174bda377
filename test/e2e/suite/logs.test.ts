// The log panel in a real VS Code: the test server writes its log as the seed's does (the runner's
// E2E_LOG_SETTINGS: slow statements, connections, auto_explain); this suite adds slow statements
// with parameters, errors and connections, opens Logs under the server in the tree, checks the
// page's figures against the core's own report of the same files, sorts a table, opens an error's
// log line in an editor, opens an auto_explain plan in the plan viewer, and brushes a range.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { LogReport } from '../../../src/core/logs';
import type { LogPanel } from '../../../src/vscode/logs/logPanel';
import { client, testConn } from './connection';
import { cliReport, figure, firstReport, hasLog, openPanel, ownShape, readsFollowOn, refreshUntil } from './logPanels';
import { api, child } from './tree';
import { ui } from './ui';
import { canScreenshot, skipWithoutBrowser, screenshot } from './screenshot';
import { waitFor } from './wait';
import { WEBVIEW } from '../protocol';

/** The bytes [from, from + length) of a local file, as text. */
async function slice(file: string, from: number, length: number): Promise<string> {
  const f = await open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await f.read(buf, 0, length, from);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await f.close();
  }
}

suite('logs panel', () => {
  const conn = testConn();

  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('Logs under the server: figures as the core reads them, sort, a log line, an auto_explain plan, the brush', async function () {
    this.timeout(300_000);
    if (!canScreenshot()) return skipWithoutBrowser(this, 'the UI steps need a browser');
    if (!(await hasLog(conn))) return this.skip();
    const db = await client(conn);
    const prefix = (await db.query<{ v: string }>("SELECT current_setting('log_line_prefix') AS v")).rows[0]!.v;
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
    const panel = await firstReport(
      await vscode.commands.executeCommand<LogPanel | undefined>(cmd.command, ...((cmd.arguments ?? []) as unknown[])),
      'the Logs item',
    );
    const shown = panel.report!;
    const source = panel.source!;
    console.log(`# the panel read ${source.text} (${source.kind})`);
    assert.ok(source.kind === 'local' || source.kind === 'sql', source.kind);

    // The core's own report of the same files up to the panel's last entry (the CLI, `pgdba logs --format json`): the same figures.
    if (source.kind === 'local') {
      const until = new Date(Date.parse(shown.summary.last!) + 1).toISOString();
      const truth = await cliReport(['--prefix', prefix, '--until', until, ...source.files]);
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
    // Read through the time index, the range's figures are the CLI's for that range (up to the last entry the panel saw).
    if (source.kind === 'local' && ranged.summary.last) {
      const until = Math.min(range.until, Date.parse(ranged.summary.last) + 1);
      const iso = (t: number) => new Date(t).toISOString();
      const truth = await cliReport(['--prefix', prefix, '--since', iso(range.since), '--until', iso(until), ...source.files]);
      for (const k of ['entries', 'statements', 'errors', 'fatals', 'connections', 'disconnections'] as const)
        assert.equal(ranged.summary[k], truth.summary[k], `the range's ${k}`);
    }
    await screenshot('e2e-logs-brushed', { waitForText: 'Whole log', within: WEBVIEW });
  });
  test('Refresh reads only what the log gained: each source from where the last read ended, each statement counted once', async function () {
    this.timeout(300_000);
    if (!canScreenshot()) return skipWithoutBrowser(this, 'Refresh is a click on the page');
    if (!(await hasLog(conn))) return this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const panel = await openPanel(conn.name);
    const first = panel.report!;
    const column = `refreshed_${Date.now()}`;
    const ours = (r: LogReport) => r.statements.find((g) => g.query.includes(column));
    assert.equal(ours(first), undefined);
    const db = await client(conn);
    try {
      for (let i = 0; i < 2; i++) await db.query(ownShape(column), [0.11, `refresh ${i}`]);
    } finally {
      await db.end();
    }
    const reports = await refreshUntil(panel, 'logs-refresh', (r) => (ours(r)?.count ?? 0) >= 2);
    const last = reports.at(-1)!;
    // The whole log's figures, each entry once: a Refresh that read the log again from its start would count the two twice.
    assert.equal(ours(last)!.count, 2, JSON.stringify(ours(last)));
    for (const g of first.statements) assert.ok((last.statements.find((x) => x.id === g.id)?.count ?? 0) >= g.count, g.query);
    assert.ok(last.summary.statements >= first.summary.statements + 2);
    const { firstBytes, refreshBytes } = readsFollowOn(reports);
    console.log(`# log panel: first read ${firstBytes} bytes, ${reports.length - 1} Refresh(es) read ${refreshBytes} bytes`);
    assert.ok(refreshBytes > 0 && refreshBytes < firstBytes + refreshBytes);
    // On this machine: the bytes the Refreshes read are the ones that hold the two statements, and the first read's do not.
    const source = panel.source!;
    if (source.kind === 'local') {
      const count = (t: string) => t.split(`AS ${column}) AS t`).length - 1; // once in each statement
      let inFirst = 0;
      let inRefreshes = 0;
      for (const s of first.sources) if (source.files.includes(s.label)) inFirst += count(await slice(s.label, s.from, s.bytes));
      for (const r of reports.slice(1))
        for (const s of r.sources) if (source.files.includes(s.label)) inRefreshes += count(await slice(s.label, s.from, s.bytes));
      assert.equal(inFirst, 0, 'the first read ended before the statements');
      assert.equal(inRefreshes, 2, 'the Refreshes read each statement once');
    }
    await ui('logs-refreshed', [{ frameWaitFor: figure('Statements', last.summary.statements) }]);
  });

  test('Explain on a logged statement: its worst sample, the connection picker (this server first), the mode picker, the plan viewer', async function () {
    this.timeout(300_000);
    if (!canScreenshot()) return skipWithoutBrowser(this, 'the pickers and the page need a browser');
    if (!(await hasLog(conn))) return this.skip();
    const column = `explained_${Date.now()}`;
    const db = await client(conn);
    try {
      for (const [seconds, guest] of [
        [0.11, 'a quick guest'],
        [0.16, 'the worst guest'],
        [0.12, 'a third guest'],
      ] as const)
        await db.query(ownShape(column), [seconds, guest]);
    } finally {
      await db.end();
    }
    // A second connection to the same server: Explain asks which, the log's own server first.
    const G = vscode.ConfigurationTarget.Global;
    const cfg = () => vscode.workspace.getConfiguration('pgdba');
    const saved = cfg().inspect<unknown[]>('connections')?.globalValue ?? [];
    await cfg().update('connections', [...saved, { ...conn, name: 'e2e-logs-other' }], G);
    try {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const panel = await openPanel(conn.name);
      const reports = await refreshUntil(panel, 'logs-explain-refresh', (r) => (r.statements.find((g) => g.query.includes(column))?.count ?? 0) >= 3);
      const group = reports.at(-1)!.statements.find((g) => g.query.includes(column))!;
      assert.match(group.worst.parameters ?? '', /the worst guest/, 'the worst sample is the 160 ms one, with its parameters');
      await ui('logs-explain', [
        { frameClick: '[data-table=statements] input.filter' },
        { type: column },
        { frameClick: `[data-table=statements] tr:has-text("${column}") button:text-is("Explain")` },
        // The connection picker: the connections' descriptions (the tree shows them only as tooltips).
        { waitFor: `${conn.user}@${conn.host}:${conn.port}/${conn.database}` },
      ]);
      // The pickers are driven by the quick input's own commands, not keys: the keyboard may still be in the page's frame.
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem'); // the first: the log's own server
      await ui('logs-explain-mode', [{ waitFor: 'estimates only: the statement does not run' }]);
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem'); // Explain Analyze
      const tab = await waitFor(
        'the plan viewer',
        () =>
          vscode.window.tabGroups.all
            .flatMap((g) => g.tabs)
            .find((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith(`Explain Analyze — ${conn.name}/`)),
        60_000,
      );
      console.log(`# the plan viewer: ${tab.label}`);
      // The plan of that statement: its worst sample's parameters written in, run (actual times).
      await ui('logs-explain-plan', [
        { frameClick: 'button[role=tab]:text-is("Query")' },
        { frameWaitFor: `pre.raw:has-text("${column}"):has-text("the worst guest")` },
        { frameClick: 'button[role=tab]:text-is("Raw plan")' },
        { frameWaitFor: 'pre.raw:has-text("Actual Total Time")' },
      ]);
      await screenshot('e2e-logs-explain', { waitForText: 'Actual Total Time', within: WEBVIEW });
    } finally {
      await cfg().update('connections', saved, G);
    }
  });
  test('Open Log Files…: a file picked in the dialog, read as the core reads it', async function () {
    this.timeout(300_000);
    if (!canScreenshot()) return skipWithoutBrowser(this, 'the dialog needs a browser');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const file = join(vscode.extensions.getExtension('pgdba.pgdba')!.extensionPath, 'test', 'fixtures', 'logs', 'auto_explain-pg16.log');
    const opened = vscode.commands.executeCommand<LogPanel | undefined>('pgdba.openLogFiles');
    // code-server's open dialog is a quick input: the file's folder set over the one it starts in,
    // then, once the dialog lists that folder, the file's path. Typed key by key, the path raced the
    // dialog's autocompletion (a folder name it had completed was not opened), and a value put in
    // before the dialog was ready was replaced by its starting folder; either way the Enter did not
    // accept, and the dialog stayed open (the test hung, and the next one failed behind it).
    const title = 'PostgreSQL or PgBouncer log files';
    try {
      await ui('logs-open-files', [
        { waitFor: title },
        { fillQuickInput: `${dirname(file)}/` },
        { waitFor: basename(file) },
        { fillQuickInput: file },
        { press: 'Enter' },
        { waitGone: title },
      ]);
    } catch (e) {
      await ui('logs-open-files-escape', [{ press: 'Escape' }]).catch(() => undefined);
      throw e;
    }
    const panel = await firstReport(await opened, 'Open Log Files…');
    assert.deepEqual(panel.source, { kind: 'files', text: file, files: [file] });
    const truth = await cliReport([file]);
    const shown = panel.report!;
    for (const k of ['entries', 'statements', 'errors', 'connections', 'disconnections'] as const) assert.equal(shown.summary[k], truth.summary[k], k);
    assert.equal(shown.planCount, truth.planCount);
    assert.ok(shown.planCount > 0 && shown.summary.statements > 0, JSON.stringify(shown.summary));
    await ui('logs-open-files-figures', [{ frameWaitFor: figure('Statements', shown.summary.statements) }, { frameWaitFor: figure('Plans', shown.planCount) }]);
    await screenshot('e2e-logs-files', { waitForText: 'auto_explain plans', within: WEBVIEW });
  });
});
