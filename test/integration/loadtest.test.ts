// The load test against a real server with the real pgbench: a short run's samples and
// percentiles agree with pgbench's own report; a cancel (in the init and in the run) leaves no
// scratch database and no pgbench; bad input is refused in words and loses nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { pidAlive } from '../../scripts/lib/pgServer';
import { parseConnectionUrl, type PgConnection } from '../../src/core/db/connection';
import { CancelledError } from '../../src/core/pgtools/proc';
import { runLoadTest, type LoadTestOptions } from '../../src/core/loadtest/runLoadTest';

const PGBENCH = '/usr/bin/pgbench';
const skip = existsSync(PGBENCH) ? false : `${PGBENCH} is missing: apt-get install postgresql-client-15`;
let srv: TestServer;
let admin: pg.Client;
let target: PgConnection;

before(async () => {
  srv = await getTestServer();
  target = parseConnectionUrl(srv.url);
  admin = new pg.Client(srv.url);
  await admin.connect();
});

after(async () => {
  await admin?.end();
  await srv?.stop();
});

const scratchDbs = async () =>
  (await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'pgdba\\_loadtest\\_%' ORDER BY 1")).rows.map((r) => r.datname);
const loadtestBackends = async () =>
  Number((await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'pgdba-loadtest'")).rows[0]!.n);
const short = (o: Partial<LoadTestOptions> = {}): LoadTestOptions => ({
  target,
  scale: 1,
  clients: 4,
  threads: 2,
  durationSeconds: 3,
  name: 'it',
  tools: { pgBinDir: '/usr/bin' },
  ...o,
});

test('a short run: per-second samples, percentiles consistent with pgbench’s summary, the scratch database dropped', { skip, timeout: 180_000 }, async () => {
  const phases = new Set<string>();
  const run = await runLoadTest(short({ onProgress: (p) => phases.add(p.phase) }));
  assert.deepEqual([...phases], ['init', 'run', 'cleanup']);
  assert.ok(run.perSecond.length >= 2 && run.perSecond.length <= 4, `${run.perSecond.length} samples for 3 s`);
  assert.ok(run.perSecond.every((s, i) => s.t === i + 1));
  assert.ok(run.summary.transactions > 0);
  // Every transaction of pgbench's report is in the log the percentiles come from.
  assert.equal(run.percentiles.count, run.summary.transactions - run.summary.failed);
  assert.ok(
    Math.abs(run.percentiles.meanMs - run.summary.latencyAvgMs) <= 0.01 + run.summary.latencyAvgMs * 0.001,
    `${run.percentiles.meanMs} vs ${run.summary.latencyAvgMs}`,
  );
  const p = run.percentiles;
  assert.ok(p.minMs <= p.p50Ms && p.p50Ms <= p.p90Ms && p.p90Ms <= p.p95Ms && p.p95Ms <= p.p99Ms && p.p99Ms <= p.maxMs);
  // The per-second counts never exceed the run's transactions (pgbench rounds tps to 0.1; the
  // last, partial second may have no progress line).
  const fromSeconds = run.perSecond.reduce((a, s) => a + s.tps, 0);
  assert.ok(fromSeconds > 0 && fromSeconds <= run.summary.transactions + run.perSecond.length, `${fromSeconds} vs ${run.summary.transactions}`);
  assert.equal(run.settingsSnapshot.major, srv.major);
  assert.ok(run.settingsSnapshot.settings.shared_buffers && run.settingsSnapshot.settings.max_connections);
  assert.equal(run.config.threads, 2);
  assert.doesNotMatch(JSON.stringify(run), new RegExp(new URL(srv.url).password || 'no-password-in-url'), 'no password in the result');
  assert.deepEqual(await scratchDbs(), []);
  assert.equal(await loadtestBackends(), 0);
});

for (const when of ['init', 'run'] as const) {
  test(`cancel during the ${when} kills pgbench and drops the scratch database`, { skip, timeout: 180_000 }, async () => {
    const abort = new AbortController();
    const pids: number[] = [];
    let dbSeen: string[] = [];
    const pending = runLoadTest(
      short({
        scale: when === 'init' ? 20 : 1,
        durationSeconds: 60,
        signal: abort.signal,
        onSpawn: (pid) => pids.push(pid),
        onProgress: (p) => {
          if (p.phase !== when || abort.signal.aborted) return;
          void scratchDbs().then((d) => {
            dbSeen = d;
            abort.abort();
          });
        },
      }),
    );
    await assert.rejects(pending, CancelledError);
    assert.equal(dbSeen.length, 1, 'the scratch database existed while pgbench ran');
    assert.ok(pids.length >= 1);
    for (const pid of pids) assert.equal(pidAlive(pid), false, `pgbench ${pid} still runs`);
    assert.deepEqual(await scratchDbs(), []);
    assert.equal(await loadtestBackends(), 0);
  });
}

test('more clients than the server accepts: refused before anything is created', { skip, timeout: 60_000 }, async () => {
  const max = Number((await admin.query<{ m: string }>("SELECT current_setting('max_connections') AS m")).rows[0]!.m);
  await assert.rejects(
    runLoadTest(short({ clients: max + 5 })),
    (e: Error) =>
      /clients do not fit: the server accepts \d+ more connections \(max_connections \d+/.test(e.message) && /Use at most \d+ clients/.test(e.message),
  );
  assert.deepEqual(await scratchDbs(), []);
});

test('a database that exists is never used nor dropped', { skip, timeout: 60_000 }, async () => {
  await admin.query('DROP DATABASE IF EXISTS pgdba_loadtest_keep');
  await admin.query('CREATE DATABASE pgdba_loadtest_keep');
  const c = new pg.Client(srv.urlFor('pgdba_loadtest_keep'));
  await c.connect();
  await c.query("CREATE TABLE guests AS SELECT 'Ada' AS name");
  await c.end();
  try {
    await assert.rejects(
      runLoadTest(short({ database: 'pgdba_loadtest_keep' })),
      /database "pgdba_loadtest_keep" exists already: a load test only runs in a database it creates/,
    );
    await assert.rejects(runLoadTest(short({ database: 'postgres' })), /must be named pgdba_loadtest_/);
    const k = new pg.Client(srv.urlFor('pgdba_loadtest_keep'));
    await k.connect();
    assert.deepEqual((await k.query('SELECT name FROM guests')).rows, [{ name: 'Ada' }]);
    await k.end();
  } finally {
    await admin.query('DROP DATABASE IF EXISTS pgdba_loadtest_keep');
  }
});

test('no pgbench binary: a clear error naming what to install, nothing created', { timeout: 60_000 }, async () => {
  await assert.rejects(
    runLoadTest(short({ tools: { pgBinDir: '/nonexistent', env: { PATH: '/nonexistent' } } })),
    /pgbench was not found in \/nonexistent or the PATH: install .*or set pgdba\.pgBinDir/,
  );
  assert.deepEqual(await scratchDbs(), []);
});

test('keepDatabase keeps the initialised database for a look afterwards', { skip, timeout: 180_000 }, async () => {
  const run = await runLoadTest(short({ durationSeconds: 1, keepDatabase: true }));
  try {
    assert.deepEqual(await scratchDbs(), [run.config.database]);
    const c = new pg.Client(srv.urlFor(run.config.database));
    await c.connect();
    const n = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM pgbench_accounts')).rows[0]!.n);
    await c.end();
    assert.equal(n, 100_000);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${run.config.database}" WITH (FORCE)`);
  }
});
