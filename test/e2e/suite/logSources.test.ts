// The log panel's other two sources in a real VS Code, opened from the Logs item under a server
// reached through the runner's real sshd: the test server's log_directory read over the hop as the
// SSH user (the runner put it in the log directory's group, as a DBA grants a log reader), and the
// PostgreSQL 15's, whose data directory the SSH user cannot enter, read through SQL. For each: the
// page names the source, its figures equal the core's read of the same files, a row's link opens
// the line the file holds; over SSH a Refresh reads only what the log gained; a role that may not
// read the log is told, on the page, what to grant.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LogReport } from '../../../src/core/logs';
import { refText } from '../../../src/core/logs/refText';
import type { LogPanel } from '../../../src/vscode/logs/logPanel';
import { ENV, WEBVIEW, type SshHop } from '../protocol';
import { addConnections, client, testConn, type Conn } from './connection';
import { cliReport, figure, firstReport, hasLog, ownShape, readsFollowOn, refreshUntil } from './logPanels';
import { canScreenshot, screenshot, skipBecause } from './screenshot';
import { api, child } from './tree';
import { ui } from './ui';
import { waitFor } from './wait';
import { stallProcesses } from '../../support/stall';

const hopEnv = process.env[ENV.ssh];
const hop = hopEnv ? (JSON.parse(hopEnv) as SshHop) : undefined;
const pg15Env = process.env[ENV.pg15];
const pg15: Conn | undefined = pg15Env
  ? {
      name: 'pg15',
      host: pg15Env.slice(0, pg15Env.lastIndexOf(':')),
      port: Number(pg15Env.slice(pg15Env.lastIndexOf(':') + 1)),
      database: 'postgres',
      user: 'postgres',
    }
  : undefined;
const SSH = 'e2e-logs-ssh';
const SQL = 'e2e-logs-sql';
/** pg_monitor alone: it lists the log through SQL, and may not read it. */
const MONITOR = 'e2e-logs-monitor';
const MONITOR_ROLE = 'e2e_logs_monitor';
/** No grant at all: it may not even see log_directory. */
const PLAIN = 'e2e-logs-plain';
const PLAIN_ROLE = 'e2e_logs_plain';
const grantsOf = (role: string) =>
  `GRANT pg_monitor TO ${role};\nGRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean), pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO ${role};`;

/** Logs under the server in the tree, as a person opens it; the panel it opened. */
async function openFromTree(profile: string): Promise<LogPanel> {
  const a = await api();
  const server = await child(a, undefined, new RegExp(`^${profile}$`));
  const cmd = (await child(a, server, /^Logs$/)).item().command!;
  const panel = await vscode.commands.executeCommand<LogPanel | undefined>(cmd.command, ...((cmd.arguments ?? []) as unknown[]));
  assert.ok(panel, `the Logs item of ${profile} opened no panel`);
  return panel;
}

/** The report's figures equal the CLI's of the same files on this machine, up to the report's last entry. */
async function sameFiguresAsCore(shown: LogReport, prefix: string, files: string[]): Promise<void> {
  const until = new Date(Date.parse(shown.summary.last!) + 1).toISOString();
  const truth = await cliReport(['--prefix', prefix, '--until', until, ...files]);
  for (const k of ['statements', 'errors', 'fatals', 'connections', 'disconnections'] as const) assert.equal(shown.summary[k], truth.summary[k], k);
  assert.equal(shown.planCount, truth.planCount, 'auto_explain plans');
}

/**
 * The error whose message holds `marker`: its row's link clicked on the page opens the entry's
 * lines read through the panel's source; the line at the cursor is the file's line `sample.line`.
 */
async function openErrorLine(shown: LogReport, marker: string, file: (label: string) => string, name: string): Promise<void> {
  const err = shown.errors.find((e) => e.sample.message.includes(marker));
  assert.ok(err, `the error with ${marker}: ${shown.errors.map((e) => e.sample.message).join(' | ')}`);
  await ui(name, [
    { frameClick: '[data-table=errors] input.filter' },
    { type: marker },
    { frameClick: `[data-table=errors] a.line-link:text-is("${refText(err.sample)}")` },
  ]);
  const editor = await waitFor('the log line in an editor', () => {
    const e = vscode.window.activeTextEditor;
    return e?.document.uri.scheme === 'pgdba-result' && e.document.lineAt(e.selection.active.line).text.includes(marker) ? e : undefined;
  });
  // Read-only: nothing to save when it is closed.
  assert.equal(editor.document.isDirty, false);
  const fileLine = readFileSync(file(err.sample.file), 'utf8').split('\n')[err.sample.line - 1];
  assert.equal(editor.document.lineAt(editor.selection.active.line).text, fileLine, `line ${err.sample.line} of ${err.sample.file}`);
  assert.ok(editor.document.lineAt(0).text.startsWith(`# ${err.sample.file}, lines `), editor.document.lineAt(0).text);
}

async function prefixOf(conn: Conn): Promise<string> {
  const db = await client(conn);
  try {
    return (await db.query<{ v: string }>("SELECT current_setting('log_line_prefix') AS v")).rows[0]!.v;
  } finally {
    await db.end();
  }
}

/**
 * Statements of a group of this test's own, and an error of its own, logged by `conn`: the error's
 * words are the marker unquoted (a message pattern makes quoted names and numbers "…", so a
 * missing table's error would join the other suites' in one row, its sample theirs).
 */
async function logSome(conn: Conn, column: string, marker: string): Promise<void> {
  const db = await client(conn);
  try {
    for (let i = 0; i < 2; i++) await db.query(ownShape(column), [0.11 + i * 0.01, `${column} guest ${i}`]);
    await db.query(`DO $$BEGIN RAISE EXCEPTION '${marker} on purpose'; END$$`).catch(() => undefined);
  } finally {
    await db.end();
  }
}

/** SIGSTOPs the sshd session processes of `user` (this rig's SSH user only); returns what resumes them. */
function stallSessions(user: string): () => void {
  const pids = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').startsWith(`sshd: ${user}`);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
  assert.ok(pids.length > 0, `no sshd session of ${user} to stall`);
  return stallProcesses(pids);
}

suite('logs panel sources', () => {
  let before: unknown[] | undefined;

  suiteSetup(async function () {
    if (!hop) {
      return skipBecause(this, 'logs panel sources skipped: the runner started no sshd (its reason is in the runner output)');
    }
    if (!canScreenshot()) {
      return skipBecause(this, "logs panel sources skipped: the page's links and Refresh need the runner's browser");
    }
    if (pg15) {
      // The monitoring role before its profile: the tree connects to every profile it knows.
      const db = await client(pg15);
      try {
        const password = db.escapeLiteral(process.env.PGPASSWORD ?? '');
        await db.query(`DROP ROLE IF EXISTS ${MONITOR_ROLE}, ${PLAIN_ROLE}`);
        await db.query(`CREATE ROLE ${MONITOR_ROLE} LOGIN PASSWORD ${password} IN ROLE pg_monitor`);
        await db.query(`CREATE ROLE ${PLAIN_ROLE} LOGIN PASSWORD ${password}`);
      } finally {
        await db.end();
      }
    }
    const c = testConn();
    const via = { host: '127.0.0.1', ssh: hop.ssh, sshIdentityFile: hop.keyFile };
    before = await addConnections([
      { name: SSH, port: c.port, database: c.database, user: c.user, ...via },
      ...(pg15
        ? [
            { name: SQL, port: pg15.port, database: pg15.database, user: pg15.user, ...via },
            { name: MONITOR, port: pg15.port, database: pg15.database, user: MONITOR_ROLE, ...via },
            { name: PLAIN, port: pg15.port, database: pg15.database, user: PLAIN_ROLE, ...via },
          ]
        : []),
    ]);
  });

  suiteTeardown(async () => {
    if (!before) return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('pgdba').update('connections', before, vscode.ConfigurationTarget.Global);
  });

  test("over the SSH hop: the log directory read as the SSH user, the core's figures, a line read through the hop, a Refresh of what the log gained", async function () {
    this.timeout(300_000);
    const conn = testConn();
    if (!(await hasLog(conn))) return this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const stamp = Date.now();
    const [column, marker] = [`ssh_${stamp}`, `e2e_ssh_marker_${stamp}`];
    await logSome(conn, column, marker);
    const panel = await firstReport(await openFromTree(SSH), `the Logs item of ${SSH}`);
    const source = panel.source!;
    console.log(`# the panel read ${source.text} (${source.kind})`);
    assert.equal(source.kind, 'ssh');
    assert.equal(source.text, `${source.files[0]!.slice(0, source.files[0]!.lastIndexOf('/'))} on ${hop!.ssh} (SSH)`);
    // The collector writes a moment after the statement: Refresh until this test's lines are in.
    const reports = await refreshUntil(panel, 'logs-ssh-wait', (r) => r.errors.some((e) => e.sample.message.includes(marker)));
    const shown = reports.at(-1)!;
    // Every source is a file named as on the hop's machine (here this one: the test reads it as root).
    const onHop = (label: string) => {
      assert.ok(label.startsWith(`${hop!.ssh}:/`), label);
      return label.slice(hop!.ssh.length + 1);
    };
    assert.deepEqual(
      shown.sources.map((s) => onHop(s.label)),
      source.files,
    );
    await sameFiguresAsCore(shown, await prefixOf(conn), source.files);
    assert.equal(shown.statements.find((g) => g.query.includes(column))?.count, 2);
    await ui('logs-ssh-figures', [
      { frameWaitFor: '.source-ssh:text-is("SSH")' },
      { frameWaitFor: `.subtitle:has-text("on ${hop!.ssh} (SSH)")` },
      { frameWaitFor: figure('Statements', shown.summary.statements) },
    ]);
    await screenshot('e2e-logs-ssh', { waitForText: 'Slow statements', within: WEBVIEW });

    await openErrorLine(shown, marker, onHop, 'logs-ssh-line');
    await screenshot('e2e-logs-ssh-line', { waitForText: marker });

    // New lines, then Refresh: only what the log gained is read, from where the last read ended.
    panel.reveal();
    const more = `ssh_more_${stamp}`;
    await logSome(conn, more, `${marker}_more`);
    const later = await refreshUntil(panel, 'logs-ssh-refresh', (r) => (r.statements.find((g) => g.query.includes(more))?.count ?? 0) >= 2);
    const all = [reports[0]!, ...reports.slice(1), ...later.slice(1)];
    const { firstBytes } = readsFollowOn(all);
    const refreshed = later.slice(1).reduce((n, r) => n + r.sources.reduce((m, s) => m + s.bytes, 0), 0);
    console.log(`# over SSH: first read ${firstBytes} bytes, the Refresh(es) after the new lines ${refreshed} bytes`);
    assert.ok(refreshed > 0 && refreshed < firstBytes, `${refreshed} < ${firstBytes}`);
    const last = later.at(-1)!;
    assert.equal(last.statements.find((g) => g.query.includes(more))?.count, 2, 'each new statement counted once');
    assert.equal(last.statements.find((g) => g.query.includes(column))?.count, 2, 'the earlier ones not again');

    // A stalled hop (its sessions stopped, as a link that says nothing): a Refresh waits on it, Cancel
    // stops it at once, the page keeps the report it had and says so; the next Refresh reads all again.
    const resume = stallSessions(hop!.ssh.slice(0, hop!.ssh.lastIndexOf('@')));
    try {
      await ui('logs-ssh-cancel', [
        { frameClick: 'button:text-is("Refresh")' },
        { frameClick: '.loading-note button:text-is("Cancel")' },
        { frameWaitFor: '.loading-note.cancelled:has-text("Read cancelled")' },
      ]);
    } finally {
      resume();
    }
    await panel.settled;
    assert.equal(panel.failure, undefined);
    assert.equal(panel.report, last, 'the report shown is the last one that finished');
    await screenshot('e2e-logs-ssh-cancelled', { waitForText: 'Read cancelled', within: WEBVIEW });
    const afterCancel = await refreshUntil(panel, 'logs-ssh-after-cancel', (r) => r !== last);
    const again = afterCancel.at(-1)!;
    assert.ok(again.sources.reduce((n, x) => n + x.bytes, 0) >= firstBytes, 'a cancelled read keeps no cursor: the next one reads the whole log');
    assert.equal(again.statements.find((g) => g.query.includes(more))?.count, 2, 'and counts each statement once');
  });

  test('through SQL when the SSH user may not list the log directory: the figures, a line through pg_read_binary_file, a role that may not read it told what to grant', async function () {
    this.timeout(300_000);
    if (!pg15) {
      return skipBecause(this, `# skipped: the runner started no PostgreSQL 15 (${ENV.pg15} unset): it is the server whose log is read through SQL`);
    }
    if (!(await hasLog(pg15))) return this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const stamp = Date.now();
    const [column, marker] = [`sql_${stamp}`, `e2e_sql_marker_${stamp}`];
    await logSome(pg15, column, marker);
    const db = await client(pg15);
    let logDir: string;
    try {
      logDir = (await db.query<{ d: string }>("SELECT current_setting('data_directory') || '/' || current_setting('log_directory') AS d")).rows[0]!.d;
    } finally {
      await db.end();
    }
    const panel = await firstReport(await openFromTree(SQL), `the Logs item of ${SQL}`);
    const source = panel.source!;
    console.log(`# the panel read ${source.text} (${source.kind})`);
    assert.equal(source.kind, 'sql');
    assert.equal(source.text, `${logDir} through SQL (pg_ls_logdir, pg_read_binary_file)`);
    const reports = await refreshUntil(panel, 'logs-sql-wait', (r) => r.errors.some((e) => e.sample.message.includes(marker)));
    const shown = reports.at(-1)!;
    // Each source is a file of the server's log_directory; this test reads the same file on this machine.
    const local = (label: string) => {
      assert.match(label, /^sql:[^/]+$/);
      return join(logDir, label.slice('sql:'.length));
    };
    await sameFiguresAsCore(shown, await prefixOf(pg15), source.files.map(local));
    assert.equal(shown.statements.find((g) => g.query.includes(column))?.count, 2);
    await ui('logs-sql-figures', [
      { frameWaitFor: '.source-sql:text-is("SQL")' },
      { frameWaitFor: '.subtitle:has-text("through SQL")' },
      { frameWaitFor: figure('Statements', shown.summary.statements) },
    ]);
    await screenshot('e2e-logs-sql', { waitForText: 'Slow statements', within: WEBVIEW });
    await openErrorLine(shown, marker, local, 'logs-sql-line');

    // pg_monitor lists the files through SQL, but pg_stat_file and pg_read_binary_file stay refused: one message, with the GRANT.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const refused = await openFromTree(MONITOR);
    const message = await waitFor('the failure', () => refused.failure, 120_000);
    console.log(`# ${MONITOR}: ${message}`);
    assert.equal(refused.report, undefined);
    const lines = message.split('\n');
    assert.equal(lines[0], `Cannot read ${MONITOR}'s log:`);
    // The SSH user may not enter the data directory: find's own words, not sshd's note before them.
    assert.equal(lines[1], `· The files of ${logDir}: ${hop!.ssh}: cannot list ${logDir}: find: '${logDir}': Permission denied.`);
    assert.equal(lines[2], '· Through SQL: this role may not read the log: pg_stat_file() needs superuser or GRANT EXECUTE.');
    assert.equal(lines.slice(4, 6).join('\n'), grantsOf(MONITOR_ROLE), message);
    await ui('logs-sql-refused', [
      { frameWaitFor: `.message.failed:has-text("GRANT EXECUTE ON FUNCTION")` },
      { frameWaitFor: '.message.failed button:text-is("Try again")' },
    ]);
    await screenshot('e2e-logs-sql-refused', { waitForText: 'GRANT EXECUTE', within: WEBVIEW });

    // A role with no grant may not even see log_directory: the same one message, neither way tried.
    const plain = await openFromTree(PLAIN);
    const said = await waitFor('the failure', () => plain.failure, 120_000);
    console.log(`# ${PLAIN}: ${said}`);
    const plainLines = said.split('\n');
    assert.equal(plainLines[0], `Cannot read ${PLAIN}'s log:`);
    assert.match(plainLines[1]!, /^· The log directory: .*"log_directory"\.$/);
    assert.ok(plainLines[2]!.startsWith(`To read it, let the SSH user of ${hop!.ssh} read the log directory `), said);
    assert.equal(plainLines.slice(3, 5).join('\n'), grantsOf(PLAIN_ROLE), said);
  });
});
