// Alerts fire when the test creates their condition on a real server: dead tuples and bloat
// after a mass update (autovacuum off), a session blocked by another's lock, sequential scans on
// an unindexed table, a cold read through tiny shared_buffers, slow statements, checkpoints in
// quick succession, connections near max_connections.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import * as S from '../../src/core/stats';
import { connect, onSession, sleep, waitFor } from './statsSupport';

let srv: TestServer;
let pool: pg.Pool;
let v: S.VersionArgs;

const find = (alerts: readonly S.Alert[], metric: S.AlertMetric, subject: string) => alerts.find((a) => a.metric === metric && a.subject === subject);

before(async () => {
  srv = await getTestServer({
    settings: {
      shared_preload_libraries: 'pg_stat_statements',
      autovacuum: 'off',
      // Small enough that a 12 MB table cannot be cached: a cold read is a cache miss for sure.
      shared_buffers: '2MB',
      max_connections: 20,
    },
  });
  pool = new pg.Pool({ connectionString: srv.url, max: 3 });
  pool.on('error', () => undefined);
  const r = await pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  v = { versionNum: Number(r.rows[0]?.v) };
  await pool.query('CREATE EXTENSION pg_stat_statements');
});

after(async () => {
  await pool?.end();
  await srv?.stop();
});

test('dead tuples after a mass update with autovacuum off', async () => {
  await onSession(srv.url, [
    "CREATE TABLE churn AS SELECT g AS id, repeat('x', 80) AS pad FROM generate_series(1, 30000) g",
    "UPDATE churn SET pad = repeat('y', 80)", // 30,000 live, 30,000 dead: 50 %
  ]);
  const dead = await waitFor('dead tuples in the statistics', async () => find((await S.collectAlerts(pool, v)).alerts, 'deadTuples', 'public.churn'));
  assert.equal(dead.level, 'critical', JSON.stringify(dead));
  assert.equal(dead.value, 50);
  const rows = await S.autovacuumTables(pool, v);
  const churn = rows.find((r) => r.table === 'churn');
  assert.equal(churn?.due, true, 'over the autovacuum threshold');
  assert.equal(churn?.enabled, false, 'autovacuum is off on this server');
  const page = await S.listTables(pool, { ...v, schema: 'public', after: 'chur', limit: 1 });
  assert.equal(page.rows[0]?.deadTuplePct, 50);

  await pool.query('VACUUM churn');
  await waitFor('the vacuum in the statistics', async () => (find((await S.collectAlerts(pool, v)).alerts, 'deadTuples', 'public.churn') ? undefined : true));
});

test('table bloat: a mass update leaves half the pages empty after VACUUM', async () => {
  await onSession(srv.url, [
    "CREATE TABLE bloated AS SELECT g AS id, repeat('x', 80) AS pad FROM generate_series(1, 30000) g",
    'ANALYZE bloated', // column widths for the estimate
    "UPDATE bloated SET pad = repeat('y', 80)", // new versions go to new pages at the end
    'VACUUM bloated', // frees the old pages but cannot truncate them: they come first
  ]);
  const report = await S.collectAlerts(pool, v);
  const bloat = find(report.alerts, 'tableBloat', 'public.bloated');
  assert.equal(bloat?.level, 'critical', JSON.stringify(report.alerts));
  assert.ok(bloat && bloat.value > 40 && bloat.value < 60, `about half: ${bloat?.value}`);
  const row = (await S.tableBloat(pool, v)).find((r) => r.table === 'bloated');
  assert.equal(row?.estimateReliable, true);
  const skipped = await S.collectAlerts(pool, { ...v, skip: ['tableBloat'] });
  assert.equal(find(skipped.alerts, 'tableBloat', 'public.bloated'), undefined, 'a skipped metric is not read');
});

test('a blocked session: lock tree, lock-wait alert, long-running query, cancel', async () => {
  await pool.query('CREATE TABLE locked (id int)');
  const holder = await connect(srv.url);
  const waiter = await connect(srv.url);
  try {
    await holder.query('BEGIN; LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const waiterPid = (await waiter.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const blocked = waiter.query('SELECT count(*) FROM locked').then(
      () => 'finished',
      (e: { code?: string }) => e.code,
    );
    const rows = await waitFor('the waiter to block', async () => {
      const r = await S.listLocks(pool, v);
      return r.some((x) => x.pid === waiterPid) ? r : undefined;
    });
    const tree = S.buildLockTree(rows);
    assert.equal(tree.length, 1);
    assert.equal(tree[0]?.session.pid, holderPid);
    assert.deepEqual(
      tree[0]?.blocks.map((n) => n.session.pid),
      [waiterPid],
    );

    await sleep(1200); // past the 1 s warning threshold, short of 5 s
    const report = await S.collectAlerts(pool, v);
    const wait = find(report.alerts, 'lockWait', `pid ${waiterPid}`);
    assert.equal(wait?.level, 'warning', JSON.stringify(report.alerts));
    assert.match(wait?.message ?? '', new RegExp(`held by pid ${holderPid}`));
    const crit = await S.collectAlerts(pool, { ...v, thresholds: { lockWaitSeconds: { warn: 0.2, crit: 0.5 } } });
    assert.equal(find(crit.alerts, 'lockWait', `pid ${waiterPid}`)?.level, 'critical');

    const long = await S.listSessions(pool, { ...v, minQuerySeconds: 1 });
    assert.ok(long.some((s) => s.pid === waiterPid && s.waitEventType === 'Lock'));
    const states = await S.sessionStates(pool, v);
    assert.ok(states.some((s) => s.state === 'active' && s.waitingOnLock >= 1));

    const cancel = S.cancelBackendSql(waiterPid);
    const r = await pool.query<{ signalled: boolean }>(cancel.text, [...cancel.values]);
    assert.equal(r.rows[0]?.signalled, true);
    assert.equal(await blocked, '57014', 'the blocked query was cancelled');
    holder.on('error', () => undefined); // it is about to be terminated
    const term = S.terminateBackendSql(holderPid);
    await pool.query(term.text, [...term.values]);
  } finally {
    await holder.end().catch(() => undefined);
    await waiter.end().catch(() => undefined);
  }
});

test('sequential scans on an unindexed table are flagged', async () => {
  await onSession(srv.url, [
    'CREATE TABLE noidx AS SELECT g AS id FROM generate_series(1, 1000) g',
    ...Array.from({ length: 120 }, (_, i) => `SELECT * FROM noidx WHERE id = ${i}`),
  ]);
  const row = await waitFor('the seq scans in the statistics', async () =>
    (await S.seqScanTables(pool, v)).find((r) => r.table === 'noidx' && r.seqScans >= 120),
  );
  assert.equal(row.considerIndex, true);
  assert.equal(row.idxScans, null, 'no index at all');
});

test('a cold read through tiny shared_buffers gives a critical cache hit ratio', async () => {
  await pool.query('CREATE DATABASE coldread');
  const url = srv.urlFor('coldread');
  await onSession(url, ["CREATE TABLE big AS SELECT g AS id, repeat('z', 60) AS pad FROM generate_series(1, 150000) g", 'CHECKPOINT']);
  await onSession(url, ['SELECT pg_stat_reset()']);
  await sleep(600); // 13–14: the reset travels to the stats collector asynchronously
  await onSession(url, ['SELECT count(*) FROM big']);
  const alert = await waitFor('the cold read in pg_stat_database', async () => find((await S.collectAlerts(pool, v)).alerts, 'cacheHitRatio', 'coldread'));
  assert.equal(alert.level, 'critical', JSON.stringify(alert));
  assert.ok(alert.value < 90);
  const cache = await S.databaseCacheHit(pool, v);
  assert.ok((cache.find((c) => c.database === 'coldread')?.blocksRead ?? 0) > 1000);
});

test('average query time per database from pg_stat_statements', async () => {
  await pool.query('CREATE DATABASE slowdb');
  await pool.query('SELECT pg_stat_statements_reset()');
  await onSession(srv.urlFor('slowdb'), ['SELECT pg_sleep(0.15)', 'SELECT pg_sleep(0.15)']);
  const slow = { avgQueryTimeMs: { minCalls: 1 } };
  const warn = find((await S.collectAlerts(pool, { ...v, thresholds: slow })).alerts, 'avgQueryTime', 'slowdb');
  assert.equal(warn?.level, 'warning', JSON.stringify(warn));
  assert.ok(warn && warn.value >= 150 && warn.value < 500);
  const none = find((await S.collectAlerts(pool, v)).alerts, 'avgQueryTime', 'slowdb');
  assert.equal(none, undefined, 'two calls are below the default minimum of 10');

  const status = await S.statementsStatus(pool, v);
  const top = await S.topStatements(pool, { ...v, schema: status.schema ?? 'public', extVersion: status.installedVersion, orderBy: 'mean' });
  const sleepRow = top.find((t) => t.database === 'slowdb' && /pg_sleep/.test(t.query ?? ''));
  assert.equal(sleepRow?.calls, 2);
  assert.ok(sleepRow && sleepRow.meanExecMs >= 150 && sleepRow.totalExecMs >= 300);
});

test('checkpoints in quick succession exceed 2 per minute', async () => {
  await pool.query(S.resetCheckpointStatsSql(v.versionNum));
  for (let i = 0; i < 3; i++) await pool.query(`CREATE TABLE ck${i} AS SELECT 1 AS x; CHECKPOINT`);
  const alert = await waitFor('the checkpoints in the statistics', async () => {
    const a = find((await S.collectAlerts(pool, v)).alerts, 'checkpointFrequency', 'server');
    return a?.level === 'critical' ? a : undefined;
  });
  assert.ok(alert.value >= 3);
  const ck = await S.checkpoints(pool, v);
  assert.ok(ck && ck.requested >= 3);
});

test('connections as a share of max_connections (20 here)', async () => {
  const extra: pg.Client[] = [];
  try {
    for (;;) {
      const o = await S.serverOverview(pool, v);
      if (!o || o.connections >= 17) break;
      extra.push(await connect(srv.url));
    }
    const report = await S.collectAlerts(pool, v);
    const c = find(report.alerts, 'connections', 'server');
    assert.equal(c?.level, 'warning', JSON.stringify(report.alerts));
    assert.ok(c && c.value > 80 && c.value <= 95);
  } finally {
    await Promise.all(extra.map((c) => c.end()));
  }
});
