// From two samples to one chart point: rates are counter deltas over the interval between the
// samples (server clock). A counter that was reset between them (stats reset, server restart)
// gives no rate for that interval — a gap (null), never a negative or huge spike.
import type { DashboardSample } from './sampleQuery';
import { bouncerRates } from '../bouncer/rates';
import { isConsolePool, type BouncerSample } from '../bouncer/snapshot';

/** One point of every chart; null is a gap (first sample, a reset, a metric the server lacks). */
export interface DashboardPoint {
  /** Epoch milliseconds (server clock). */
  t: number;
  maxConnections: number;
  active: number;
  idle: number;
  idleInTransaction: number;
  otherState: number;
  /** All client sessions, percent of max_connections. */
  connectionsPct: number;
  commitsPerSec: number | null;
  rollbacksPerSec: number | null;
  /** Cache hit ratio over the interval; null when no block was read or hit in it. */
  cacheHitPct: number | null;
  /** Blocks hit + read during the interval (how much the ratio is worth). */
  blocksAccessed: number | null;
  tupReturnedPerSec: number | null;
  tupFetchedPerSec: number | null;
  tupInsertedPerSec: number | null;
  tupUpdatedPerSec: number | null;
  tupDeletedPerSec: number | null;
  /** Checkpoints completed (18+) or started during the interval. */
  checkpoints: number | null;
  /** Checkpoints over the last minute of points (set by the sampler, which holds the history). */
  checkpointsPerMin: number | null;
  buffersWrittenPerSec: number | null;
  walBytesPerSec: number | null;
  lockWaiting: number;
  longestLockWaitSeconds: number | null;
  longRunning: number;
  longestQuerySeconds: number | null;
  longIdleInTransaction: number;
  longestIdleInTransactionSeconds: number | null;
  oldestXactSeconds: number | null;
  xidAge: number;
  /** xidAge as a percent of autovacuum_freeze_max_age (the wraparound check's figure). */
  wraparoundPct: number;
  databaseBytes: number;
  standbys: number;
  replicationLagBytes: number | null;
  replicationLagSeconds: number | null;
  /** The server's machine (hostSample.ts), null without a host read: CPU busy over the interval, all CPUs. */
  hostCpuBusyPct: number | null;
  /** RAM in use by processes (MemTotal − MemAvailable) and the page cache (Cached + SReclaimable, + Buffers). */
  hostMemUsedBytes: number | null;
  hostPageCacheBytes: number | null;
  hostMemTotalBytes: number | null;
  /** 1-minute load average. */
  hostLoad1: number | null;
  /** Completed reads and writes of the whole disks per second. */
  hostDiskReadsPerSec: number | null;
  hostDiskWritesPerSec: number | null;
  /** The PgBouncer group (SHOW POOLS, SHOW STATS); null without a PgBouncer or when its console was not read. */
  bouncerClActive: number | null;
  bouncerClWaiting: number | null;
  bouncerSvActive: number | null;
  bouncerSvIdle: number | null;
  bouncerSvUsed: number | null;
  /** The longest maxwait of the pools, seconds. */
  bouncerMaxWaitSeconds: number | null;
  /** Over the interval, from SHOW STATS deltas (PgBouncer's own averages on the first sample). */
  bouncerTps: number | null;
  bouncerAvgQueryMs: number | null;
  bouncerAvgWaitMs: number | null;
}

/** The host's part of a point. */
export type HostPointFields = Pick<
  DashboardPoint,
  'hostCpuBusyPct' | 'hostMemUsedBytes' | 'hostPageCacheBytes' | 'hostMemTotalBytes' | 'hostLoad1' | 'hostDiskReadsPerSec' | 'hostDiskWritesPerSec'
>;

export const NO_HOST: HostPointFields = {
  hostCpuBusyPct: null,
  hostMemUsedBytes: null,
  hostPageCacheBytes: null,
  hostMemTotalBytes: null,
  hostLoad1: null,
  hostDiskReadsPerSec: null,
  hostDiskWritesPerSec: null,
};

/** Names and order of a point's fields: the CSV columns and the protocol's checks use it. */
export const POINT_FIELDS = [
  't',
  'maxConnections',
  'active',
  'idle',
  'idleInTransaction',
  'otherState',
  'connectionsPct',
  'commitsPerSec',
  'rollbacksPerSec',
  'cacheHitPct',
  'blocksAccessed',
  'tupReturnedPerSec',
  'tupFetchedPerSec',
  'tupInsertedPerSec',
  'tupUpdatedPerSec',
  'tupDeletedPerSec',
  'checkpoints',
  'checkpointsPerMin',
  'buffersWrittenPerSec',
  'walBytesPerSec',
  'lockWaiting',
  'longestLockWaitSeconds',
  'longRunning',
  'longestQuerySeconds',
  'longIdleInTransaction',
  'longestIdleInTransactionSeconds',
  'oldestXactSeconds',
  'xidAge',
  'wraparoundPct',
  'databaseBytes',
  'standbys',
  'replicationLagBytes',
  'replicationLagSeconds',
  'hostCpuBusyPct',
  'hostMemUsedBytes',
  'hostPageCacheBytes',
  'hostMemTotalBytes',
  'hostLoad1',
  'hostDiskReadsPerSec',
  'hostDiskWritesPerSec',
  'bouncerClActive',
  'bouncerClWaiting',
  'bouncerSvActive',
  'bouncerSvIdle',
  'bouncerSvUsed',
  'bouncerMaxWaitSeconds',
  'bouncerTps',
  'bouncerAvgQueryMs',
  'bouncerAvgWaitMs',
] as const satisfies readonly (keyof DashboardPoint)[];

type Counter = 'xactCommit' | 'xactRollback' | 'blksHit' | 'blksRead' | 'tupReturned' | 'tupFetched' | 'tupInserted' | 'tupUpdated' | 'tupDeleted';
const DB_COUNTERS: readonly Counter[] = [
  'xactCommit',
  'xactRollback',
  'blksHit',
  'blksRead',
  'tupReturned',
  'tupFetched',
  'tupInserted',
  'tupUpdated',
  'tupDeleted',
];

/** Why an interval has no rates, for the log; undefined when it has them. */
export function gapReason(prev: DashboardSample, cur: DashboardSample): string | undefined {
  if (cur.startedMs !== prev.startedMs) return 'the server restarted';
  if (cur.atMs <= prev.atMs) return 'the server clock did not move forward';
  return undefined;
}

type BouncerFields = Pick<
  DashboardPoint,
  | 'bouncerClActive'
  | 'bouncerClWaiting'
  | 'bouncerSvActive'
  | 'bouncerSvIdle'
  | 'bouncerSvUsed'
  | 'bouncerMaxWaitSeconds'
  | 'bouncerTps'
  | 'bouncerAvgQueryMs'
  | 'bouncerAvgWaitMs'
>;

/** The PgBouncer group of a point: the pools of the server's databases summed (the console's own left out). */
export function bouncerFields(cur?: BouncerSample, prev?: BouncerSample): BouncerFields {
  if (!cur)
    return {
      bouncerClActive: null,
      bouncerClWaiting: null,
      bouncerSvActive: null,
      bouncerSvIdle: null,
      bouncerSvUsed: null,
      bouncerMaxWaitSeconds: null,
      bouncerTps: null,
      bouncerAvgQueryMs: null,
      bouncerAvgWaitMs: null,
    };
  const pools = cur.pools.filter((p) => !isConsolePool(p.database));
  const sum = (f: (p: (typeof pools)[number]) => number) => pools.reduce((a, p) => a + f(p), 0);
  const r = bouncerRates(cur, prev);
  return {
    bouncerClActive: sum((p) => p.clActive),
    bouncerClWaiting: sum((p) => p.clWaiting),
    bouncerSvActive: sum((p) => p.svActive),
    bouncerSvIdle: sum((p) => p.svIdle),
    bouncerSvUsed: sum((p) => p.svUsed),
    bouncerMaxWaitSeconds: pools.reduce((a, p) => Math.max(a, p.maxwaitSeconds), 0),
    bouncerTps: r.tps,
    bouncerAvgQueryMs: r.avgQueryMs,
    bouncerAvgWaitMs: r.avgWaitMs,
  };
}

export function toPoint(cur: DashboardSample, prev?: DashboardSample, bouncer?: { cur: BouncerSample; prev?: BouncerSample }): DashboardPoint {
  const gap = !prev || gapReason(prev, cur) !== undefined;
  const seconds = prev ? (cur.atMs - prev.atMs) / 1000 : 0;
  // Database counters: one reset key for them all; any counter going backwards also means a reset.
  const dbOk = !gap && prev.dbResetKey === cur.dbResetKey && DB_COUNTERS.every((k) => cur[k] >= prev[k]);
  const ckOk = !gap && prev.checkpointResetKey === cur.checkpointResetKey && cur.checkpoints >= prev.checkpoints && cur.buffersWritten >= prev.buffersWritten;
  const walOk = !gap && cur.walBytes >= prev.walBytes;
  const delta = (k: Counter) => (dbOk ? cur[k] - prev[k] : null);
  const rate = (k: Counter) => (dbOk ? (cur[k] - prev[k]) / seconds : null);
  const hit = delta('blksHit');
  const read = delta('blksRead');
  const blocks = hit === null || read === null ? null : hit + read;
  const clients = cur.active + cur.idle + cur.idleInTransaction + cur.otherState;
  return {
    t: cur.atMs,
    maxConnections: cur.maxConnections,
    active: cur.active,
    idle: cur.idle,
    idleInTransaction: cur.idleInTransaction,
    otherState: cur.otherState,
    connectionsPct: cur.maxConnections > 0 ? (100 * clients) / cur.maxConnections : 0,
    commitsPerSec: rate('xactCommit'),
    rollbacksPerSec: rate('xactRollback'),
    cacheHitPct: blocks ? (100 * hit!) / blocks : null,
    blocksAccessed: blocks,
    tupReturnedPerSec: rate('tupReturned'),
    tupFetchedPerSec: rate('tupFetched'),
    tupInsertedPerSec: rate('tupInserted'),
    tupUpdatedPerSec: rate('tupUpdated'),
    tupDeletedPerSec: rate('tupDeleted'),
    checkpoints: ckOk ? cur.checkpoints - prev.checkpoints : null,
    checkpointsPerMin: null,
    buffersWrittenPerSec: ckOk ? (cur.buffersWritten - prev.buffersWritten) / seconds : null,
    walBytesPerSec: walOk ? (cur.walBytes - prev.walBytes) / seconds : null,
    lockWaiting: cur.lockWaiting,
    longestLockWaitSeconds: cur.longestLockWaitSeconds,
    longRunning: cur.longRunning,
    longestQuerySeconds: cur.longestQuerySeconds,
    longIdleInTransaction: cur.longIdleInTransaction,
    longestIdleInTransactionSeconds: cur.longestIdleInTransactionSeconds,
    oldestXactSeconds: cur.oldestXactSeconds,
    xidAge: cur.xidAge,
    wraparoundPct: cur.freezeMaxAge > 0 ? (100 * cur.xidAge) / cur.freezeMaxAge : 0,
    databaseBytes: cur.databaseBytes,
    standbys: cur.standbys,
    replicationLagBytes: cur.replicationLagBytes,
    replicationLagSeconds: cur.replicationLagSeconds,
    ...NO_HOST,
    ...bouncerFields(bouncer?.cur, bouncer?.prev),
  };
}

/** Client sessions in a point (all states). */
export const clientSessions = (p: Pick<DashboardPoint, 'active' | 'idle' | 'idleInTransaction' | 'otherState'>) =>
  p.active + p.idle + p.idleInTransaction + p.otherState;
