// The health report's "Slow query log" (daily) on a real server logging as the seed's does
// (logging_collector, log_directory 'log', the seed's log_filename and log_line_prefix,
// connections and disconnections) with the conditions it reports made by the test: one slow
// statement shape called 12 times, errors, failed logins from one address, a temp file. The log
// is read from this machine (the server is local), through SQL (a server elsewhere, no hop), and
// the section says why and what to do for a role that may read neither; the window is the last day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startPgServer, type PgServer } from '../../scripts/lib/pgServer';
import { runHealthCheck, renderMarkdown, type Finding, type HealthReport } from '../../src/core/health';
import { createPool } from '../../src/core/db/pool';
import { parseConnectionUrl } from '../../src/core/db/connection';
import { SEED_LOGGING } from '../support/logWorkload';
import { tempDir } from '../support/tempDir';
import { testMajor } from '../support/testServer';
import { connect, onSession, waitFor } from './statsSupport';

const dir = tempDir('health-slowlog');
chmodSync(dir, 0o755); // the server's user keeps its cluster in here
const SLEEPS = 12;
const FAILED_LOGINS = 3;
// pgdba.alerts.thresholds: a 120 ms statement is slow here (the seed's 500 ms would need a slow test).
const thresholds = { avgQueryTimeMs: { warn: 50, crit: 100 } };

let server: PgServer;
let pool: pg.Pool;
let logDir: string;

const slowLog = (r: HealthReport): Finding[] => r.findings.filter((f) => f.check === 'slow-log');
const poolAs = (url: string) => createPool({ ...parseConnectionUrl(url), name: 'slowlog' }, { statementTimeoutMs: 60_000 });

/** A pool logged in as a new role of that name (its password the same), given these grants first. */
async function newRole(name: string, ...grants: string[]): Promise<pg.Pool> {
  await onSession(server.url, [`CREATE ROLE ${name} LOGIN PASSWORD '${name}'`, ...grants]);
  const u = new URL(server.url);
  u.username = name;
  u.password = name;
  return poolAs(u.toString());
}

before(async () => {
  server = await startPgServer({
    major: testMajor(),
    fast: true,
    dataDir: join(dir, 'cluster'),
    database: 'hotel',
    settings: { ...SEED_LOGGING, log_min_duration_statement: 100, log_connections: 'on', log_disconnections: 'on', log_temp_files: 0 },
  });
  logDir = join(server.dataDir, 'log');
  const c = await connect(server.url);
  try {
    for (let i = 0; i < SLEEPS; i++) await c.query('SELECT pg_sleep(0.12)');
    await c.query('SELECT 1/0').catch(() => undefined);
    await c.query('SELECT * FROM no_such_table').catch(() => undefined);
    await c.query("SET work_mem = '64kB'");
    await c.query('SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC LIMIT 1');
  } finally {
    await c.end();
  }
  const bad = new URL(server.url);
  bad.password = 'wrong';
  for (let i = 0; i < FAILED_LOGINS; i++) await assert.rejects(connect(bad.toString()));
  // The collector writes each line as it comes; wait until the last failed login is in the file.
  await waitFor('the failed logins in the log', () => {
    const text = readdirSync(logDir)
      .map((f) => readFileSync(join(logDir, f), 'utf8'))
      .join('');
    return Promise.resolve((text.match(/password authentication failed/g) ?? []).length >= FAILED_LOGINS ? true : undefined);
  });
  pool = poolAs(server.url);
});

after(async () => {
  await pool?.end().catch(() => undefined);
  await server?.stop();
});

function assertSection(r: HealthReport, where: RegExp): void {
  const f = slowLog(r);
  const summary = f.find((x) => x.subject === 'server log');
  assert.equal(summary?.level, 'ok', JSON.stringify(f, null, 1));
  assert.match(summary.why, where);
  const statements = Number(/^([\d,]+) statements over 100 ms/.exec(summary.observed)?.[1]?.replace(/,/g, ''));
  assert.ok(statements >= SLEEPS, summary.observed);
  // The one shape, called 12 times: a warning under the thresholds given, with its figures and a runnable EXPLAIN.
  const sleep = f.find((x) => /pg_sleep/.test(x.subject));
  assert.ok(sleep, JSON.stringify(f, null, 1));
  assert.equal(sleep.level, 'warning');
  const m = /^(\d+) calls, total ([\d.]+) s, mean (\d+) ms, p95 (\d+) ms, max (\d+) ms$/.exec(sleep.observed);
  assert.ok(m, sleep.observed);
  assert.equal(Number(m[1]), SLEEPS);
  assert.ok(Number(m[3]) >= 120 && Number(m[5]) >= Number(m[4]) && Number(m[4]) >= Number(m[3]) * 0.9, sleep.observed);
  assert.deepEqual(sleep.fix, { kind: 'sql', text: 'EXPLAIN (ANALYZE, BUFFERS) SELECT pg_sleep(0.12);' });
  // Errors by SQLSTATE, failed logins by address, the temp file.
  const errors = f.find((x) => x.subject === 'errors');
  // The seed's prefix has no %e: stderr lines carry no SQLSTATE, so errors are grouped by message.
  assert.match(errors?.why ?? '', /ERROR: division by zero ×1/);
  assert.match(errors?.why ?? '', /ERROR: relation "…" does not exist/);
  assert.match(errors?.why ?? '', new RegExp(`FATAL: password authentication failed for user "…" ×${FAILED_LOGINS}`));
  assert.match(errors?.observed ?? '', new RegExp(`^2 errors, ${FAILED_LOGINS} fatals$`));
  const logins = f.find((x) => x.subject === 'failed logins');
  assert.match(logins?.why ?? '', new RegExp(`127\\.0\\.0\\.1 ×${FAILED_LOGINS} \\(password authentication failed\\)`));
  assert.match(f.find((x) => x.subject === 'temp files')?.observed ?? '', /^1 temp file, [\d.]+ MB$/);
}

test('read from the server machine (this one): the last day of the seed-style log as findings', async () => {
  const r = await runHealthCheck({ server: { name: 'slowlog', target: 'x' }, pool, host: '127.0.0.1', schedules: ['daily'], thresholds });
  assertSection(r, /of 1 file on this machine/);
  // The section comes first in the daily part (the seed's first daily check), and reads as one in Markdown.
  assert.equal(r.findings.find((f) => f.schedule === 'daily' && f.check !== 'access')?.check, 'slow-log');
  const md = renderMarkdown(r);
  assert.match(md, /\| warning \| daily \| Slow query log \| SELECT pg_sleep\(\$1\) \|/i);
  assert.match(md, /WARNING · Slow query log · SELECT pg_sleep/);
});

test('a server on another machine without a hop: the log through SQL, the same findings', async () => {
  const r = await runHealthCheck({ server: { name: 'slowlog', target: 'x' }, pool, host: 'db.example.com', schedules: ['daily'], thresholds });
  assertSection(r, /of 1 file through SQL/);
});

test('the window is the last day: a report a week later reads no file', async () => {
  const now = new Date(Date.now() + 7 * 86_400_000);
  const r = await runHealthCheck({ server: { name: 'slowlog', target: 'x' }, pool, host: '127.0.0.1', schedules: ['daily'], thresholds, now });
  const f = slowLog(r);
  assert.deepEqual(
    f.map((x) => [x.level, x.subject, x.observed]),
    [['ok', 'server log', 'no log file written in the last day']],
  );
});

test('a role that may read the log neither way: why, and the GRANT that fixes it', async () => {
  const clerk = await newRole('clerk');
  try {
    const r = await runHealthCheck({ server: { name: 'slowlog', target: 'x' }, pool: clerk, host: 'db.example.com', schedules: ['daily'] });
    const f = slowLog(r);
    assert.equal(f.length, 1, JSON.stringify(f, null, 1));
    assert.equal(f[0]!.level, 'info');
    assert.equal(f[0]!.observed, 'not read');
    assert.match(f[0]!.why, /pg_ls_logdir\(\) needs superuser, pg_monitor/);
    assert.deepEqual(f[0]!.fix?.kind, 'sql');
    assert.match(
      f[0]!.fix?.text ?? '',
      /^GRANT pg_monitor TO clerk;\nGRANT EXECUTE ON FUNCTION pg_catalog\.pg_stat_file\(text, boolean\), pg_catalog\.pg_read_binary_file\(text, bigint, bigint, boolean\) TO clerk;/,
    );
  } finally {
    await clerk.end();
  }
});

test('a pg_monitor role lists the log directory but may not read a file: why, and the GRANT that fixes it', async () => {
  const watcher = await newRole('watcher', 'GRANT pg_monitor TO watcher');
  try {
    const r = await runHealthCheck({ server: { name: 'slowlog', target: 'x' }, pool: watcher, host: 'db.example.com', schedules: ['daily'] });
    const f = slowLog(r);
    assert.equal(f.length, 1, JSON.stringify(f, null, 1));
    assert.equal(f[0]!.observed, 'not read');
    assert.match(f[0]!.why, /^The log through SQL could not be read: this role may not read the log: pg_stat_file\(\) needs superuser or GRANT EXECUTE\.$/);
    assert.equal(f[0]!.fix?.kind, 'sql');
    assert.match(f[0]!.fix?.text ?? '', /^GRANT pg_monitor TO watcher;\nGRANT EXECUTE ON FUNCTION pg_catalog\.pg_stat_file\(text, boolean\)/);
    // The GRANT it gives is the one that works: run as said, the section reads the log.
    await onSession(server.url, [(f[0]?.fix?.text ?? '').replace(/  --.*$/s, '')]);
    const after = slowLog(
      await runHealthCheck({ server: { name: 'slowlog', target: 'x' }, pool: watcher, host: 'db.example.com', schedules: ['daily'], thresholds }),
    );
    assert.match(after[0]!.why, /^Read [\d.]+ [kMG]?B of \d+ files? through SQL/, JSON.stringify(after[0]));
  } finally {
    await watcher.end();
  }
});
