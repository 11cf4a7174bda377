// A recorded-like run of dashboard samples: ten minutes at 2 s of a server under a daytime load,
// with a stats reset half-way, a checkpoint burst, a lock wait and connections climbing past the
// warning threshold at the end. Deterministic (no Math.random), so screenshots compare.
import type { DashboardSample } from '../../src/core/dashboard/sampleQuery';
import type { HostSample } from '../../src/core/dashboard/hostSample';

export function recordedSamples(n = 300, startMs = Date.UTC(2026, 10, 26, 9, 0, 0)): DashboardSample[] {
  const out: DashboardSample[] = [];
  let c = { commit: 1e6, rollback: 2e3, hit: 5e8, read: 4e6, ret: 3e9, fet: 2e8, ins: 4e6, upd: 2e6, del: 3e5, ck: 120, buf: 9e5, wal: 8e10 };
  let reset = 1.7e9;
  for (let i = 0; i < n; i++) {
    const wave = 1 + 0.5 * Math.sin(i / 15) + 0.2 * Math.sin(i / 3.7);
    if (i === Math.floor(n / 2)) {
      // pg_stat_reset(): the database counters restart from zero
      c = { ...c, commit: 0, rollback: 0, hit: 0, read: 0, ret: 0, fet: 0, ins: 0, upd: 0, del: 0 };
      reset += 3600;
    }
    const tps = 180 * wave;
    c.commit += tps * 2;
    c.rollback += 2 * (1 + (i % 17 === 0 ? 12 : 0.5));
    const blocks = 40_000 * wave;
    const missPct = i > n * 0.8 && i < n * 0.85 ? 0.11 : 0.012 + 0.004 * Math.sin(i / 9);
    c.read += blocks * missPct;
    c.hit += blocks * (1 - missPct);
    c.ret += 250_000 * wave;
    c.fet += 30_000 * wave;
    c.ins += 600 * wave;
    c.upd += 350 * wave;
    c.del += 40 * wave;
    if (i % 40 === 0 || (i > 200 && i < 215 && i % 5 === 0)) c.ck += 1;
    c.buf += 900 * wave;
    c.wal += 1.5e6 * wave;
    const active = Math.round(6 * wave);
    const climbing = i > n - 40 ? Math.round((i - (n - 40)) * 1.5) : 0;
    const lockWait = i > 120 && i < 140 ? (i - 120) * 0.4 : null;
    out.push({
      atMs: startMs + i * 2000,
      startedMs: startMs - 86_400_000,
      maxConnections: 100,
      active,
      idle: 18 + climbing,
      idleInTransaction: i % 23 < 3 ? 2 : 0,
      otherState: 0,
      lockWaiting: lockWait === null ? 0 : 2,
      longestLockWaitSeconds: lockWait,
      longRunning: 0,
      longestQuerySeconds: active > 0 ? 0.2 * wave : null,
      longIdleInTransaction: 0,
      longestIdleInTransactionSeconds: i % 23 < 3 ? 4 : null,
      oldestXactSeconds: 4 * wave,
      xidAge: 20_000_000 + i * 400,
      freezeMaxAge: 200_000_000,
      xactCommit: c.commit,
      xactRollback: c.rollback,
      blksHit: c.hit,
      blksRead: c.read,
      tupReturned: c.ret,
      tupFetched: c.fet,
      tupInserted: c.ins,
      tupUpdated: c.upd,
      tupDeleted: c.del,
      dbResetKey: reset,
      checkpoints: c.ck,
      buffersWritten: c.buf,
      checkpointResetKey: 1.7e9,
      walBytes: c.wal,
      databaseBytes: 2.1e9 + i * 40_000,
      standbys: 1,
      replicationLagBytes: 2e5 * wave,
      replicationLagSeconds: 0.05 * wave,
    });
  }
  return out;
}

/** The same run's machine, read beside each sample: 4 CPUs busy with the load's wave, 16 GB of RAM, a disk reading and writing with it. */
export function recordedHostSamples(n = 300, startMs = Date.UTC(2026, 10, 26, 9, 0, 0)): HostSample[] {
  const out: HostSample[] = [];
  const GB = 2 ** 30;
  let busy = 5e6;
  let idle = 2e7;
  let reads = 4e6;
  let writes = 9e6;
  for (let i = 0; i < n; i++) {
    const wave = 1 + 0.5 * Math.sin(i / 15) + 0.2 * Math.sin(i / 3.7);
    // 4 CPUs at 100 ticks/s over 2 s: 800 ticks per interval, a third to two thirds busy.
    const b = Math.round(800 * 0.3 * wave);
    busy += b;
    idle += 800 - b;
    reads += Math.round(120 * wave);
    writes += Math.round(300 * wave);
    out.push({
      atMs: startMs + i * 2000,
      cpu: { busy, idle, iowait: 0 },
      mem: { totalBytes: 16 * GB, availableBytes: 16 * GB - (5 + wave) * GB, freeBytes: 2 * GB, buffersBytes: 0.2 * GB, cachedBytes: (7 + 0.01 * i) * GB },
      load: { one: 1.5 * wave, five: 1.4, fifteen: 1.2 },
      disk: { reads, writes, sectorsRead: reads * 16, sectorsWritten: writes * 16 },
    });
  }
  return out;
}
