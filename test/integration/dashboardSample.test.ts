// The dashboard's sampling query on a real server under a load this test generates: one row of
// the declared shape, counters that move while clients commit, insert, update, delete and read,
// connections by state, a lock wait, a checkpoint, and a stats reset read as a gap. Then the top
// queries from pg_stat_statements and "Explain" of one of them (a generic plan on 16+).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { dashboardSampleQuery, readDashboardSample, type DashboardSample } from '../../src/core/dashboard/sampleQuery';
import { toPoint } from '../../src/core/dashboard/rates';
import { DashboardSampler } from '../../src/core/dashboard/sampler';
import { readTopQueries } from '../../src/core/dashboard/topQueries';
import { resolveThresholds } from '../../src/core/stats/thresholds';
import { runExplain } from '../../src/core/explain/run';
import { localHost } from '../../src/core/host/localHost';
import type { HostAccess } from '../../src/core/host/hostAccess';
import { DEFAULT_OPTIONS } from '../../src/core/explain/explainOptions';
import { assertShape, connect, sleep, waitFor } from './statsSupport';

let srv: TestServer;
let pool: pg.Pool;
let versionNum: number;
const sample = () => readDashboardSample(pool, { versionNum });

before(async () => {
  srv = await getTestServer({ settings: { shared_preload_libraries: 'pg_stat_statements', max_connections: 30 } });
  pool = new pg.Pool({ connectionString: srv.url, max: 2 });
  pool.on('error', () => undefined);
  versionNum = Number((await pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v);
  await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await pool.query('CREATE TABLE IF NOT EXISTS rooms (id int PRIMARY KEY, status text, nights int)');
});

after(async () => {
  await pool?.end();
  await srv?.stop();
});

/** A few clients each running a write/read mix for `ms`: the load whose counters must show. */
let runs = 0;
async function load(clients: number, ms: number): Promise<number> {
  let done = 0;
  const run = ++runs;
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const cl = await connect(srv.url);
      try {
        for (let i = 0; Date.now() < until; i++) {
          const id = run * 100_000_000 + c * 1_000_000 + i;
          await cl.query('INSERT INTO rooms VALUES ($1, $2, $3)', [id, 'free', i % 7]);
          await cl.query('UPDATE rooms SET status = $1 WHERE id = $2', ['booked', id]);
          await cl.query('SELECT count(*) FROM rooms WHERE nights = $1', [i % 7]);
          if (i % 3 === 0) await cl.query('DELETE FROM rooms WHERE id = $1', [id]);
          done++;
        }
      } finally {
        await cl.end();
      }
    }),
  );
  return done;
}

test('one row of the declared shape, in one round trip', async () => {
  const r = await pool.query({ text: dashboardSampleQuery.build({ versionNum }).text });
  assert.equal(r.rows.length, 1);
  assertShape(dashboardSampleQuery, r.rows as DashboardSample[]);
  const s = r.rows[0] as DashboardSample;
  assert.equal(s.maxConnections, 30);
  assert.ok(s.databaseBytes > 1_000_000, `database size ${s.databaseBytes}`);
  assert.equal(s.standbys, 0);
  assert.equal(s.replicationLagBytes, null);
});

test('counters move under a load of four clients, and rates come out positive', async () => {
  const before = await sample();
  const loops = await load(4, 3000);
  assert.ok(loops > 20, `the load ran ${loops} loops`);
  // statistics reach the shared counters when a session ends or within a second (by design)
  const after = await waitFor('the load in pg_stat_database', async () => {
    const s = await sample();
    return s.tupInserted - before.tupInserted >= loops ? s : undefined;
  });
  const p = toPoint(after, before);
  assert.ok(after.xactCommit - before.xactCommit >= loops * 3, `commits ${after.xactCommit - before.xactCommit} for ${loops} loops`);
  assert.ok(after.tupUpdated - before.tupUpdated >= loops, 'updates counted');
  assert.ok(after.tupDeleted - before.tupDeleted >= Math.floor(loops / 3), 'deletes counted');
  assert.ok(after.blksHit + after.blksRead > before.blksHit + before.blksRead, 'blocks read or hit');
  assert.ok(after.walBytes > before.walBytes, 'WAL written');
  for (const k of ['commitsPerSec', 'tupInsertedPerSec', 'tupUpdatedPerSec', 'walBytesPerSec'] as const) assert.ok((p[k] ?? 0) > 0, `${k} = ${p[k]}`);
  assert.ok(p.cacheHitPct !== null && p.cacheHitPct > 0 && p.cacheHitPct <= 100, `cache hit ${p.cacheHitPct}`);
});

test('connections by state, a lock wait and its length', async () => {
  const holder = await connect(srv.url);
  const waiter = await connect(srv.url);
  const idleTx = await connect(srv.url);
  try {
    await idleTx.query('BEGIN');
    await idleTx.query('SELECT 1');
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE rooms IN ACCESS EXCLUSIVE MODE');
    const blocked = waiter.query('SELECT count(*) FROM rooms').catch(() => undefined);
    const s = await waitFor('a session waiting on the lock for over a second', async () => {
      const x = await sample();
      return x.lockWaiting >= 1 && (x.longestLockWaitSeconds ?? 0) > 1 ? x : undefined;
    });
    assert.ok(s.idleInTransaction >= 2, `idle in transaction ${s.idleInTransaction} (the holder and idleTx)`);
    // Past a second (thresholds of 0.5 s): counted, with the longest idle and the oldest transaction.
    const long = await waitFor('idle transactions past half a second', async () => {
      const x = await readDashboardSample(pool, { versionNum, longQuerySeconds: 0.5, idleInTransactionSeconds: 0.5 });
      return x.longIdleInTransaction >= 1 && x.longRunning >= 1 ? x : undefined;
    });
    assert.ok((long.longestIdleInTransactionSeconds ?? 0) > 0.5, `longest idle ${long.longestIdleInTransactionSeconds}`);
    assert.ok((long.longestQuerySeconds ?? 0) > 0.5, `the waiter's statement ${long.longestQuerySeconds}`);
    assert.ok((long.oldestXactSeconds ?? 0) >= (long.longestIdleInTransactionSeconds ?? 0), 'a transaction is as old as its idle time at least');
    assert.ok(long.xidAge > 0 && long.freezeMaxAge === 200_000_000, `XID age ${long.xidAge} of ${long.freezeMaxAge}`);
    assert.equal((await sample()).longIdleInTransaction, 0, 'the default thresholds: 300 s');
    assert.ok(s.active >= 2, `active ${s.active} (the waiter and this sample)`);
    const sampler = new DashboardSampler(10, resolveThresholds().thresholds);
    const alert = sampler.add(s).alerts.find((a) => a.metric === 'lockWait');
    assert.equal(alert?.level, 'warning', "over 1 s: the seed's warning");
    await holder.query('ROLLBACK');
    await blocked;
  } finally {
    await Promise.all([holder.end(), waiter.end(), idleTx.end()]);
  }
});

test('a checkpoint is counted, and a stats reset is a gap rather than a negative rate', async () => {
  const a = await sample();
  await pool.query('CHECKPOINT');
  const b = await waitFor('the checkpoint in the counters', async () => {
    const s = await sample();
    return s.checkpoints > a.checkpoints ? s : undefined;
  });
  assert.equal(toPoint(b, a).checkpoints, b.checkpoints - a.checkpoints);
  await load(1, 500);
  await sleep(1100); // the reset key has second resolution in some majors' stats_reset: be sure it moves
  await pool.query('SELECT pg_stat_reset()');
  const c = await waitFor('the reset in pg_stat_database', async () => {
    const s = await sample();
    return s.dbResetKey !== b.dbResetKey ? s : undefined;
  });
  const p = toPoint(c, b);
  assert.equal(p.commitsPerSec, null, 'the interval of the reset has no rate');
  assert.equal(p.tupReturnedPerSec, null);
  assert.ok((p.walBytesPerSec ?? -1) >= 0, 'WAL rate is not affected by a stats reset');
});

test('top queries from pg_stat_statements, and Explain plans one of them', async () => {
  await load(2, 800);
  const top = await readTopQueries(pool, { versionNum });
  assert.ok(top.ok, !top.ok ? top.reason : '');
  const update = top.rows.find((r) => /^UPDATE rooms/.test(r.query));
  assert.ok(update, `no UPDATE among ${top.rows.map((r) => r.query.slice(0, 40)).join(' | ')}`);
  assert.ok(update.calls > 0 && update.totalMs > 0 && update.meanMs > 0 && update.rows > 0);
  assert.ok(update.pctOfTotal !== null && update.pctOfTotal > 0 && update.pctOfTotal <= 100);
  assert.match(update.query, /\$1/, 'normalised text');
  const major = Math.floor(versionNum / 10000);
  if (major < 16) {
    assert.match(update.notExplainable ?? '', /GENERIC_PLAN/);
    return;
  }
  assert.equal(update.notExplainable, undefined);
  assert.equal(update.generic, true);
  const plan = await runExplain(pool, update.query, { ...DEFAULT_OPTIONS, analyze: false, genericPlan: true, timeoutMs: 10_000 });
  assert.ok(plan.ok, !plan.ok ? plan.message : '');
  assert.match(plan.explainSql, /GENERIC_PLAN/);
  assert.match(JSON.stringify(plan.planJson), /"Operation":\s*"Update"/);
  const rows = await pool.query<{ n: string }>("SELECT count(*) AS n FROM rooms WHERE status = 'booked'");
  assert.ok(Number(rows.rows[0]!.n) >= 0, 'the table is still readable: nothing was left locked');
});

test("one tick with the host: the server's row and one read of this machine; a failed host read empties only the host's part", async () => {
  const sampler = new DashboardSampler(10, resolveThresholds().thresholds);
  let reads = 0;
  const counting: HostAccess = { ...localHost, exec: (argv, o) => (reads++, localHost.exec(argv, o)) };
  await sampler.tick(pool, versionNum, { host: counting });
  // CPU busy is the /proc/stat delta between two ticks: ticks 2 s apart, as the panel's, always see the
  // kernel's clock move; two back to back can fall within one of its ticks (10 ms) and have no delta.
  await new Promise((r) => setTimeout(r, 200));
  const t = await sampler.tick(pool, versionNum, { host: counting });
  assert.equal(reads, 2, 'one host read per tick');
  assert.ok(t.point.hostMemTotalBytes !== null && t.point.hostMemTotalBytes > 0);
  assert.ok(t.point.hostCpuBusyPct !== null && t.point.hostCpuBusyPct >= 0 && t.point.hostCpuBusyPct <= 100, String(t.point.hostCpuBusyPct));
  assert.equal(t.hostError, undefined);
  const broken: HostAccess = { ...localHost, label: 'db1', exec: () => Promise.reject(new Error('db1: the SSH session dropped')) };
  const failed = await sampler.tick(pool, versionNum, { host: broken });
  assert.match(failed.hostError ?? '', /SSH session dropped/);
  assert.equal(failed.point.hostMemTotalBytes, null);
  assert.ok(failed.point.commitsPerSec !== null, "the server's part is drawn");
  // After the failure the next good read starts afresh: no CPU delta across the gap.
  assert.equal((await sampler.tick(pool, versionNum, { host: counting })).point.hostCpuBusyPct, null);
});
