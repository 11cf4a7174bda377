// The e2e rig: the extension inside a real VS Code (code-server from .vscode-host/, Debian's
// chromium via playwright-core), against a real PostgreSQL. `npx tsx test/e2e/runE2e.ts`
//   1. builds the extension and the test entry (node esbuild.mjs);
//   2. a PostgreSQL 16 (PGDBA_TEST_URL when set), a workspace, code-server with a profile to it;
//   3. window 1 runs test/e2e/suite in the extension host, reports each test, takes the
//      screenshots the tests ask for;
//   4. window 2 drives the UI as a person: command palette → Show Server Version → notification;
//   5. test-results/e2e-summary.json {passed, failed, skipped, tests}, exit 1 on any failure,
//      on no test run, or when the rig itself failed (code-server not starting: its log's tail).
// PGDBA_E2E_TIMEOUT_MS bounds the whole run (default 900 s: about 8 min on a machine loaded by other work, 3–4 when quiet); PGDBA_E2E_VERBOSE=1 prints every
// line the workbench and code-server log.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { SEED_PREFIX } from '../support/logWorkload';
import { maskUrl, startPgServer, type PgServer } from '../../scripts/lib/pgServer';
import { startVscodeHost, type VscodeHost } from '../../scripts/lib/vscodeHost';
import { launchBrowser, newWorkbenchPage } from '../../scripts/lib/browser';
import { openDevelopmentWindow, runTestWindow, type AutomationLogFile } from '../../scripts/lib/extensionTestWindow';
import {
  ENV,
  SCREENSHOT_MARKER,
  TEST_MARKER,
  isScreenshotRequest,
  isTestRecord,
  isUiRequest,
  parseMarked,
  UI_MARKER,
  WEBVIEW,
  type ScreenshotReceipt,
  type ScreenshotRequest,
  type TestRecord,
} from './protocol';
import { checkShowServerVersion } from './paletteCheck';
import { checkExplorerActions } from './explorerUi';
import { checkBackupDelete, placeUiBackup } from './backupUi';
import { checkSshHostKeys } from './sshUi';
import { checkWalkthrough } from './walkthroughUi';
import { runBackupJob } from '../../src/core/backup/job';
import { parseConnectionUrl } from '../../src/core/db/connection';
import { makeWorkspace, profileFromUrl } from './workspace';
import { uiDriver } from './uiDriver';
import { startFaultServer } from './faultServer';
import { pgbouncerMissing, startPgbouncer, type Bouncer } from '../support/pgbouncer';
import { sshSkipReason, startSshServer, type SshServer } from '../support/sshServer';
import type { SshHop } from './protocol';

const ROOT = resolve(__dirname, '..', '..');
/** The test server's log (test/e2e/suite/logs.test.ts reads it through the Logs item): the seed's prefix, slow statements, connections, auto_explain's plans. */
const E2E_LOG_SETTINGS = {
  logging_collector: 'on',
  log_directory: 'log',
  log_filename: 'postgresql-%Y-%m-%d.log',
  // Group-readable, as a DBA sets it for an SSH user in the log's group (startSshHop): the SSH log suite reads it over the hop.
  log_file_mode: '0640',
  log_line_prefix: SEED_PREFIX,
  log_min_duration_statement: 100,
  log_connections: 'on',
  log_disconnections: 'on',
  lc_messages: 'C',
  session_preload_libraries: 'auto_explain',
  'auto_explain.log_min_duration': 200,
};
const RESULTS = join(ROOT, 'test-results');
const TEST_ENTRY = join(ROOT, 'dist', 'test', 'e2e', 'suite', 'index.js');
const PROFILE = 'e2e';
const TIME_LIMIT_MS = Number(process.env.PGDBA_E2E_TIMEOUT_MS) || 900_000;
const VERBOSE = process.env.PGDBA_E2E_VERBOSE === '1';
/** Workbench lines that say nothing about pgdba: connection set-up, and the extension gallery it cannot reach offline. */
const NOISE =
  /Creation of workbench contribution|open-vsx\.org|ENOTFOUND|connection token|Creating a socket|builtin extensions cache|Service Worker|ChatSessionStore|Long running operations during shutdown/;

const started = Date.now();
const tests: TestRecord[] = [];
const left = () => TIME_LIMIT_MS - (Date.now() - started);
const say = (line: string) => console.log(`e2e [${((Date.now() - started) / 1000).toFixed(1)} s]: ${line}`);

function record(t: TestRecord): void {
  tests.push(t);
  const mark = t.state === 'passed' ? 'ok  ' : t.state === 'skipped' ? 'skip' : 'FAIL';
  console.log(`  ${mark} ${t.name} (${t.durationMs} ms)`);
  if (t.error) console.log(t.error.replace(/^/gm, '       '));
}

function rigFailure(step: string, error: string): void {
  record({ name: `e2e rig › ${step}`, state: 'failed', durationMs: 0, error });
}

function build(): void {
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  const out = (r.stdout + r.stderr).trim();
  if (r.status !== 0) throw new Error(`node esbuild.mjs failed (exit ${r.status ?? r.signal}):\n${out}`);
  say(out.split('\n')[0] ?? 'built');
}

function ensureVscodeHost(): void {
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'setup-vscode-host.sh')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`scripts/setup-vscode-host.sh failed (exit ${r.status ?? r.signal})`);
}

/** A webview's page is a frame inside a frame: locators on the page do not see into it. */
async function waitInFrames(page: Page, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      // The workbench's own frame holds the editors' text: a plan pasted in an editor is no panel.
      if (frame === page.mainFrame()) continue;
      const found = frame.getByText(text).first();
      if (await found.isVisible().catch(() => false)) {
        // Visible in the page may still be scrolled out of the panel: bring it on screen for the shot.
        await found.scrollIntoViewIfNeeded({ timeout: 5000 }).catch(() => undefined);
        return;
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`"${text}" did not show in a webview within ${timeoutMs / 1000} s`);
}

/** Takes the screenshots the in-host tests ask for, one at a time, and writes their receipts. */
function screenshotTaker(page: Page): (req: ScreenshotRequest) => void {
  let queue = Promise.resolve();
  return (req) => {
    queue = queue.then(async () => {
      const file = join(RESULTS, `${req.name}.png`);
      const receipt: ScreenshotReceipt = { file, found: true };
      if (req.waitForText) {
        try {
          if (req.within === WEBVIEW) await waitInFrames(page, req.waitForText, 30_000);
          else
            await page
              .locator(req.within ?? 'body')
              .getByText(req.waitForText)
              .first()
              .waitFor({ state: 'visible', timeout: 15_000 });
          await page.waitForTimeout(300); // animations (toasts, list rows) settle
        } catch (e) {
          receipt.found = false;
          receipt.error = (e as Error).message.split('\n')[0];
        }
      }
      try {
        await page.screenshot({ path: `${file}.tmp.png` });
        renameSync(`${file}.tmp.png`, file);
        say(`screenshot ${file}${receipt.found ? '' : ' (expected text not seen)'}`);
      } catch (e) {
        receipt.error = `screenshot failed: ${(e as Error).message}`;
      }
      writeFileSync(join(RESULTS, `${req.name}.json`), JSON.stringify(receipt));
    });
  };
}

const LOGS = join(RESULTS, 'e2e-logs');

/** Screenshots, receipts and logs of an earlier run would pass for this one's: remove them. */
function clearEarlierResults(): void {
  mkdirSync(RESULTS, { recursive: true });
  for (const name of readdirSync(RESULTS)) {
    if (/^e2e-.*\.(png|json)$/.test(name)) rmSync(join(RESULTS, name), { force: true });
  }
  rmSync(LOGS, { recursive: true, force: true });
}

/** The server side's logs (remote extension host, pgdba's own log channel), before stop() deletes them. */
function saveServerLogs(host: VscodeHost): void {
  const from = join(host.userDataDir, 'logs');
  if (!existsSync(from)) return;
  cpSync(from, join(LOGS, 'server'), { recursive: true });
  say(`code-server's logs (extension host, pgdba channel) in ${join(LOGS, 'server')}`);
}

function saveLogs(logs: AutomationLogFile[]): void {
  const dir = join(LOGS, 'window');
  for (const l of logs) {
    const file = join(dir, l.relativePath.replace(/\.\.+/g, '_'));
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(file, l.contents);
  }
  if (logs.length) say(`${logs.length} workbench log files in ${dir}`);
}

async function runSuite(browser: Browser, host: VscodeHost): Promise<void> {
  const { context, page } = await newWorkbenchPage(browser);
  const shoot = screenshotTaker(page);
  const act = uiDriver(page, RESULTS, say);
  const before = tests.length;
  const onLog = (_level: string, text: string) => {
    const t = parseMarked(text, TEST_MARKER);
    if (t !== undefined) return isTestRecord(t) ? record(t) : say(`unreadable test record: ${text}`);
    const s = parseMarked(text, SCREENSHOT_MARKER);
    if (s !== undefined) return isScreenshotRequest(s) ? shoot(s) : say(`unreadable screenshot request: ${text}`);
    const u = parseMarked(text, UI_MARKER);
    if (u !== undefined) return isUiRequest(u) ? act(u) : say(`unreadable UI request: ${text}`);
    if (VERBOSE || !NOISE.test(text)) console.log(`  | ${text}`);
  };
  say('window 1: running test/e2e/suite in the extension host');
  const result = await runTestWindow(page, host, { extensionDevelopmentPath: ROOT, extensionTestsPath: TEST_ENTRY, onLog }, Math.max(left() - 45_000, 30_000));
  saveLogs(result.logs);
  const ran = tests.length - before;
  if (result.exitCode === undefined) {
    await page.screenshot({ path: join(RESULTS, 'e2e-no-exit.png') }).catch(() => undefined);
    rigFailure('the test entry reported its exit', `${result.problem ?? 'no exit reported'} (screenshot test-results/e2e-no-exit.png)`);
  } else if (ran === 0) {
    rigFailure('tests ran in the extension host', `the test entry exited ${result.exitCode} without reporting a test`);
  } else if (result.exitCode !== 0 && !tests.slice(before).some((t) => t.state === 'failed')) {
    rigFailure('the test entry exited 0', `run() rejected (exit ${result.exitCode}) with no failing test reported`);
  }
  say(`window 1: exit ${result.exitCode ?? 'not reported'}, ${ran} tests reported`);
  await context.close();
}

/** A real backup (pg_dump of the PostgreSQL 15's postgres database, with its manifest) for the walkthrough's Verify step; its file name. */
async function realBackup(pg15: PgServer | undefined, password: string, dir: string): Promise<string | undefined> {
  if (!pg15) return undefined;
  const u = new URL(pg15.urlFor('postgres'));
  u.password = encodeURIComponent(password);
  try {
    const r = await runBackupJob({ target: parseConnectionUrl(u.toString()), dir, verify: 'none' });
    say(`a backup for the walkthrough's Verify step: ${r.path}`);
    return r.path.split('/').pop();
  } catch (e) {
    say(`no backup for the walkthrough's Verify step: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

async function runPaletteCheck(
  browser: Browser,
  host: VscodeHost,
  major: number,
  serverUrl: string,
  backupDir: string,
  sshHome: string | undefined,
  walkthrough: { backup?: string; server?: PgServer },
): Promise<void> {
  const { context, page } = await newWorkbenchPage(browser);
  say('window 2: command palette → PostgreSQL DBA: Show Server Version');
  try {
    await openDevelopmentWindow(page, host, { extensionDevelopmentPath: ROOT }, Math.min(left(), 60_000));
    record(await checkShowServerVersion(page, major, RESULTS));
    await page.keyboard.press('Escape');
    for (const t of await checkExplorerActions(page, serverUrl, PROFILE, RESULTS)) record(t);
    record(await checkBackupDelete(page, PROFILE, placeUiBackup(backupDir), RESULTS));
    record(
      await checkWalkthrough(page, walkthrough.backup && walkthrough.server ? { file: walkthrough.backup, port: walkthrough.server.port } : undefined, RESULTS),
    );
    if (sshHome) {
      const u = new URL(serverUrl);
      const setup = {
        knownHostsFile: join(sshHome, '.ssh', 'known_hosts'),
        settingsFile: join(host.userDataDir, 'User', 'settings.json'),
        server: { port: Number(u.port), user: decodeURIComponent(u.username), database: decodeURIComponent(u.pathname.slice(1)) },
      };
      for (const t of await checkSshHostKeys(page, setup, RESULTS)) record(t);
    } else say('window 2: no SSH checks (no sshd: its reason is above)');
  } catch (e) {
    rigFailure('window 2 opened', (e as Error).message);
  } finally {
    await context.close();
  }
}

function writeSummary(): number {
  const count = (s: TestRecord['state']) => tests.filter((t) => t.state === s).length;
  const summary = { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), durationMs: Date.now() - started, tests };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'e2e-summary.json'), JSON.stringify(summary, null, 2));
  if (summary.passed + summary.failed === 0) {
    say('no test ran: that is a failure');
    return 1;
  }
  console.log(
    `e2e: ${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''} in ${(summary.durationMs / 1000).toFixed(1)} s`,
  );
  return summary.failed > 0 ? 1 : 0;
}

/**
 * The backup suite's server: pg_dump here is Debian's 15, which refuses a 16 server, so backups
 * are taken from a PostgreSQL 15. Its postgres role gets the test server's password, so that the
 * PGPASSWORD the host already has logs in to both. Its log is the SQL source's of the log panel's
 * source suite. Undefined (and the suites skip, saying why) when it cannot start.
 */
async function startDumpableServer(password: string): Promise<PgServer | undefined> {
  try {
    // Its log collected in its data directory, which only postgres may enter: the SSH hop's user cannot
    // list it, so the log panel's source suite reads this server's log through SQL.
    const s = await startPgServer({
      major: 15,
      fast: true,
      settings: { logging_collector: 'on', log_directory: 'log', log_min_duration_statement: 100, log_connections: 'on', lc_messages: 'C' },
    });
    const c = new pg.Client({ connectionString: s.url });
    await c.connect();
    try {
      await c.query(`ALTER ROLE postgres PASSWORD ${c.escapeLiteral(password)}`);
    } finally {
      await c.end();
    }
    say(`PostgreSQL 15 for the backup suite at ${s.host}:${s.port}`);
    return s;
  } catch (e) {
    say(`no PostgreSQL 15 for the backup suite: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/**
 * The SSH suite's hop: a real sshd on 127.0.0.1 whose key user may read the test server's
 * configuration files and log over SFTP (their group becomes the user's, group-readable, as a DBA's SSH
 * user in the postgres group would) and save a file of its own that the suite includes, and a HOME whose known_hosts knows it. Undefined (the suite skips) with the reason printed.
 */
async function startSshHop(serverUrl: string): Promise<{ sshd: SshServer; hop: SshHop; dir: string; home: string } | undefined> {
  const skip = sshSkipReason();
  if (skip) {
    say(`no sshd for the SSH suite: ${skip}`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-e2e-sshd-'));
  const sshd = await startSshServer(dir).catch((e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  try {
    const user = sshd.keyUser.name;
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    const files = await c
      .query<{ conf: string; hba: string; ident: string; collector: string; log: string; data: string }>(
        "SELECT current_setting('config_file') AS conf, current_setting('hba_file') AS hba, current_setting('ident_file') AS ident, " +
          "current_setting('logging_collector') AS collector, current_setting('log_directory') AS log, current_setting('data_directory') AS data",
      )
      .finally(() => c.end());
    const f = files.rows[0]!;
    for (const file of [f.conf, f.hba, f.ident]) {
      execFileSync('chgrp', ['--', user, file]);
      chmodSync(file, statSync(file).mode | 0o040);
      // Each folder above it: the group may enter the one that holds it, anyone may pass through the others.
      for (let d = dirname(file), first = true; d !== '/'; d = dirname(d), first = false) {
        const mode = statSync(d).mode;
        if (first) {
          execFileSync('chgrp', ['--', user, d]);
          chmodSync(d, mode | 0o050);
        } else if (!(mode & 0o001)) chmodSync(d, mode | 0o001);
      }
    }
    // The log directory readable by the SSH user's group, as a DBA grants a log reader: the folder's
    // group (setgid, so that the files the server rotates in keep it) and the files log_file_mode
    // 0640 writes (E2E_LOG_SETTINGS); the data directory above it is the group's to enter already.
    const logDir = f.collector === 'on' ? resolve(f.data, f.log) : undefined;
    if (logDir && existsSync(logDir)) {
      execFileSync('chgrp', ['-R', '--', user, logDir]);
      chmodSync(logDir, (statSync(logDir).mode & 0o7777) | 0o2050);
      for (const name of readdirSync(logDir)) chmodSync(join(logDir, name), statSync(join(logDir, name)).mode | 0o040);
    }
    // A file the SSH user may save (it owns the file and its folder; the server reads it as anyone
    // may), for the suite to include from postgresql.conf: the data directory stays as PostgreSQL wants
    // it. In a conf.d, as Debian's include_dir has it, so that VS Code knows it for a postgresql.conf.
    const dbaDir = join(dir, 'conf.d');
    const dbaConf = join(dbaDir, 'dba.conf');
    chmodSync(dir, 0o711);
    mkdirSync(dbaDir, { mode: 0o755 });
    writeFileSync(dbaConf, '# Settings of the DBA, included from postgresql.conf by the SSH suite.\n', { mode: 0o644 });
    const uid = Number(execFileSync('id', ['-u', '--', user], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', '--', user], { encoding: 'utf8' }).trim());
    chownSync(dbaDir, uid, gid);
    chownSync(dbaConf, uid, gid);
    // The extension host's own HOME, whose ~/.ssh/known_hosts knows the hop (a test's modal is refused by
    // VS Code under a test runner, so the host key cannot be accepted there); this machine's is left alone.
    const home = join(dir, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, '.ssh', 'known_hosts'), sshd.knownHostsLine());
    say(`sshd for the SSH suite at 127.0.0.1:${sshd.port}`);
    return { sshd, dir, home, hop: { ssh: `${user}@127.0.0.1:${sshd.port}`, keyFile: sshd.keyUser.keyFile!, dbaConf } };
  } catch (e) {
    sshd.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function main(): Promise<number> {
  clearEarlierResults();
  // A watchdog over everything, the clean-up included: the rig never hangs CI.
  const watchdog = setTimeout(() => {
    rigFailure('time limit', `the e2e run took longer than ${TIME_LIMIT_MS / 1000} s`);
    process.exit(writeSummary() || 1);
  }, TIME_LIMIT_MS + 20_000);
  watchdog.unref();

  let server: TestServer | undefined;
  let fault: Awaited<ReturnType<typeof startFaultServer>> | undefined;
  let pg15: PgServer | undefined;
  let bouncer: Bouncer | undefined;
  let ssh: Awaited<ReturnType<typeof startSshHop>>;
  let host: VscodeHost | undefined;
  let browser: Browser | undefined;
  let workspace: string | undefined;
  try {
    build();
    ensureVscodeHost();
    // pg_stat_statements preloaded, as on a DBA's server: the index advisor reads its top statements
    // Its log as the seed's server writes it (slow statements, connections), auto_explain's plans of slow ones: the Logs suite reads it
    server = await getTestServer(process.env.PGDBA_TEST_URL ? {} : { settings: { shared_preload_libraries: 'pg_stat_statements', ...E2E_LOG_SETTINGS } });
    const url = new URL(server.url);
    say(`PostgreSQL ${server.major} at ${maskUrl(server.url)}`);
    fault = await startFaultServer(server.major, decodeURIComponent(url.password));
    say(`fault-test server: PostgreSQL ${fault.info.major} at 127.0.0.1:${fault.info.port}`);
    pg15 = await startDumpableServer(decodeURIComponent(url.password));
    const noBouncer = pgbouncerMissing();
    if (noBouncer) say(`no PgBouncer for the PgBouncer suite: ${noBouncer}`);
    else {
      bouncer = await startPgbouncer(
        { host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) },
        'transaction',
        {
          settings: { admin_users: 'pgdba_admin', stats_users: 'pgdba_stats' },
          users: ['pgdba_admin', 'pgdba_stats'],
          databases: { waitdb: 'dbname=postgres pool_size=1' },
        },
      );
      say(`PgBouncer for the PgBouncer suite at 127.0.0.1:${bouncer.port}`);
    }
    ssh = await startSshHop(server.url);
    workspace = makeWorkspace();
    const connection = profileFromUrl(PROFILE, server.url);
    try {
      host = await startVscodeHost({
        workspace,
        settings: { 'pgdba.connections': [connection], 'pgdba.backup.directory': join(workspace, '.backups') },
        env: {
          PGPASSWORD: decodeURIComponent(url.password),
          [ENV.screenshots]: RESULTS,
          [ENV.profile]: PROFILE,
          [ENV.major]: String(server.major),
          [ENV.fault]: JSON.stringify(fault.info),
          ...(pg15 ? { [ENV.pg15]: `${pg15.host}:${pg15.port}` } : {}),
          ...(bouncer ? { [ENV.bouncer]: String(bouncer.port) } : {}),
          ...(ssh ? { [ENV.ssh]: JSON.stringify(ssh.hop), HOME: ssh.home } : {}),
        },
        onLog: VERBOSE ? (l) => console.log(`  [code-server] ${l}`) : undefined,
      });
    } catch (e) {
      rigFailure('code-server started', (e as Error).message);
      return writeSummary() || 1;
    }
    say(`code-server ${host.url} (pid ${host.pid})`);
    browser = await launchBrowser();
    await runSuite(browser, host);
    const backups = join(workspace, '.backups');
    const password = decodeURIComponent(url.password);
    // Made before window 2 opens, as the delete check's file is: the Backups branch lists the folder when first expanded.
    const walkthroughBackup = left() > 20_000 ? await realBackup(pg15, password, backups) : undefined;
    if (left() > 20_000) await runPaletteCheck(browser, host, server.major, server.url, backups, ssh?.home, { backup: walkthroughBackup, server: pg15 });
    else rigFailure('time left for the UI check', 'the time limit ran out before window 2');
  } catch (e) {
    rigFailure('set-up', (e as Error).stack ?? String(e));
    if (host) console.log(`code-server's last lines:\n${host.logTail(20)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    if (host) saveServerLogs(host);
    await host?.stop();
    await server?.stop();
    await fault?.stop();
    await pg15?.stop();
    await bouncer?.stop();
    ssh?.sshd.stop();
    if (ssh) rmSync(ssh.dir, { recursive: true, force: true });
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  }
  return writeSummary();
}

void main().then((code) => process.exit(code));
