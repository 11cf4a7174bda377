// The health report's slow query log read incrementally (SlowLogMemory, as the extension keeps one
// per profile) on a real server logging as the seed's does: a second report reads only the bytes
// the log gained, and its section equals a fresh whole read of the same log; a rotated file (the
// collector's new file) goes on, a truncated one starts over; a new calendar day starts over
// (the report's "now" is given, nothing sleeps). Only the workload's role logs its statements
// (ALTER ROLE … SET log_min_duration_statement = 0), so the report's own queries never change the log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startPgServer, type PgServer } from '../../scripts/lib/pgServer';
import { runHealthCheck, SlowLogMemory, type Finding } from '../../src/core/health';
import { createPool } from '../../src/core/db/pool';
import { parseConnectionUrl } from '../../src/core/db/connection';
import { SEED_LOGGING } from '../support/logWorkload';
import { tempDir } from '../support/tempDir';
import { testMajor } from '../support/testServer';
import { connect, onSession, waitFor } from './statsSupport';

const dir = tempDir('health-slowlog-incr');
chmodSync(dir, 0o755); // the server's user keeps its cluster in here

let server: PgServer;
let pool: pg.Pool;
let logDir: string;
let appUrl: string;
let marks = 0;

before(async () => {
  server = await startPgServer({
    major: testMajor(),
    fast: true,
    dataDir: join(dir, 'cluster'),
    database: 'hotel',
    // Server-wide no statement is that slow; the workload's role logs every one.
    settings: { ...SEED_LOGGING, log_min_duration_statement: 100_000 },
  });
  logDir = join(server.dataDir, 'log');
  await onSession(server.url, ["CREATE ROLE app LOGIN PASSWORD 'app'", 'ALTER ROLE app SET log_min_duration_statement = 0']);
  const u = new URL(server.url);
  u.username = 'app';
  u.password = 'app';
  appUrl = u.toString();
  pool = createPool({ ...parseConnectionUrl(server.url), name: 'incr' }, { statementTimeoutMs: 60_000 });
});

after(async () => {
  await pool?.end().catch(() => undefined);
  await server?.stop();
});

const logText = () =>
  readdirSync(logDir)
    .map((f) => readFileSync(join(logDir, f), 'utf8'))
    .join('');

/** The app's statements: `sleeps` pg_sleep calls with a parameter (the longest `maxS`), one error; then waits until the collector wrote them. */
async function workload(sleeps: number, maxS: number): Promise<void> {
  const c = await connect(appUrl);
  try {
    for (let i = 0; i < sleeps; i++) await c.query('SELECT pg_sleep($1)', [i === sleeps - 1 ? maxS : 0.001 * (i + 1)]);
    await c.query('SELECT 1/0').catch(() => undefined);
    await c.query(`SELECT 'mark ${++marks}'`);
  } finally {
    await c.end();
  }
  const mark = `'mark ${marks}'`;
  await waitFor(`${mark} in the log`, () => Promise.resolve(logText().includes(mark) ? true : undefined));
}

async function section(memory: SlowLogMemory, now?: Date): Promise<Finding[]> {
  const r = await runHealthCheck({
    server: { name: 'incr', target: 'x' },
    pool,
    host: '127.0.0.1',
    schedules: ['daily'],
    slowLog: memory,
    ...(now ? { now } : {}),
  });
  return r.findings.filter((f) => f.check === 'slow-log');
}

/** The section without the words on how it was read (what was new, the window's start), which differ between an incremental and a whole read by design. */
const figures = (f: Finding[]) =>
  f.map((x) =>
    x.subject === 'server log'
      ? {
          ...x,
          observed: x.observed.replace(/ (in the last day|since [\d-]+ [\d:]+ UTC)$/, ' in the window'),
          why: x.why.replace(/ \((all again: |[^)]* of it new since )[^)]*\)/, ''),
        }
      : x,
  );

const sleepGroup = (f: Finding[]) => {
  const g = f.find((x) => /pg_sleep/.test(x.subject));
  assert.ok(g, JSON.stringify(f, null, 1));
  return g;
};

/** A fresh whole read now, to hold the incremental one to: it reads every byte of the day. */
async function wholeRead(now?: Date): Promise<{ findings: Finding[]; bytes: number }> {
  const fresh = new SlowLogMemory();
  const findings = await section(fresh, now);
  assert.equal(fresh.last?.continued, false);
  return { findings, bytes: fresh.last.bytes };
}

const completeBytes = () =>
  readdirSync(logDir).reduce((n, f) => {
    const text = readFileSync(join(logDir, f));
    return n + text.lastIndexOf(0x0a) + 1;
  }, 0);

test('a second report reads only what the log gained, and its section equals a whole read', async () => {
  const memory = new SlowLogMemory();
  await workload(40, 0.2);
  const first = await section(memory);
  const b1 = memory.last!.bytes;
  assert.equal(memory.last?.continued, false);
  assert.equal(b1, completeBytes(), 'the first report reads the whole log');
  assert.match(sleepGroup(first).observed, /^40 calls, /);

  await workload(10, 0.35);
  const second = await section(memory);
  const whole = await wholeRead();
  assert.equal(memory.last?.continued, true);
  assert.ok(memory.last.bytes > 0 && memory.last.bytes < b1, `${memory.last.bytes} bytes read the second time, ${b1} the first`);
  assert.equal(b1 + memory.last.bytes, whole.bytes, 'the two reads together are the whole log, each byte once');
  assert.deepEqual(figures(second), figures(whole.findings));
  // The group's figures merged: count of both workloads, the max from the second, and the p95 and mean over all 50 (40 + 10).
  const m = /^50 calls, total .+, mean .+, p95 .+, max (\d+) ms$/.exec(sleepGroup(second).observed);
  assert.ok(m && Number(m[1]) >= 350, sleepGroup(second).observed);
  const summary = second.find((x) => x.subject === 'server log')!;
  assert.match(summary.observed, / 2 errors, /);
  assert.match(summary.why, /^Read [\d.]+ kB of 1 file on this machine \([\d.]+ k?B of it new since the report of \d{4}-\d\d-\d\d \d\d:\d\d UTC\), /);
});

test("the collector's new file (pg_rotate_logfile) goes on; a truncated file starts over", async () => {
  const memory = new SlowLogMemory();
  await workload(5, 0.01);
  await section(memory);
  const filesBefore = readdirSync(logDir).length;
  await onSession(server.url, ['SELECT pg_rotate_logfile()']);
  await waitFor('the new log file', () => Promise.resolve(readdirSync(logDir).length > filesBefore ? true : undefined));
  await workload(5, 0.02);
  const rotated = await section(memory);
  assert.equal(memory.last?.continued, true, 'a new file beside the old ones is only new entries');
  assert.deepEqual(figures(rotated), figures((await wholeRead()).findings));

  // logrotate's copytruncate, or a person emptying the file: the kept figures hold entries no longer in the log.
  const newest = readdirSync(logDir)
    .map((f) => join(logDir, f))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
    .pop()!;
  truncateSync(newest, 0);
  await workload(3, 0.03);
  const truncated = await section(memory);
  assert.equal(memory.last?.continued, false);
  assert.match(memory.last?.restart ?? '', /was truncated$/);
  assert.match(truncated.find((x) => x.subject === 'server log')!.why, /\(all again: .* was truncated\)/);
  assert.deepEqual(figures(truncated), figures((await wholeRead()).findings));
});

test('a new calendar day starts over; later that day the report goes on', async () => {
  const today = new Date();
  const lateToday = new Date(today.getFullYear(), today.getMonth(), today.getDate(), 23, 59);
  const earlyTomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1, 0, 1);
  const laterTomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1, 0, 30);
  const memory = new SlowLogMemory();
  await workload(4, 0.01);
  await section(memory, lateToday);
  assert.equal(memory.last?.continued, false);
  // Two minutes later, but another day: the day's window is read whole again.
  const next = await section(memory, earlyTomorrow);
  assert.equal(memory.last?.continued, false);
  assert.equal(memory.last?.restart, 'a new day');
  assert.equal(memory.last?.bytes, completeBytes());
  assert.deepEqual(figures(next), figures((await wholeRead(earlyTomorrow)).findings));
  await workload(4, 0.02);
  const later = await section(memory, laterTomorrow);
  assert.equal(memory.last?.continued, true);
  assert.ok(memory.last.bytes < completeBytes());
  // The window is still the one the day's first report fixed, and named: a whole read with that report's "now" is the same.
  assert.match(later.find((x) => x.subject === 'server log')!.observed, / since \d{4}-\d\d-\d\d \d\d:01 UTC$/);
  assert.deepEqual(figures(later), figures((await wholeRead(earlyTomorrow)).findings));
});
