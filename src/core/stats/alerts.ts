// Alerts from the seed's table, computed from stats rows. The evaluators are pure (rows in,
// alerts out) so the tree, the CLI and the tests share them; collectAlerts() reads the rows
// in one go and says which metrics it could not read, and why.
import type { LockRow } from './activity';
import type { AutovacuumTableRow } from './autovacuum';
import { autovacuumTables } from './autovacuum';
import { tableBloat, type TableBloatRow } from './bloat';
import { databaseCacheHit, type DatabaseCacheRow } from './cacheHit';
import { checkpoints, type CheckpointRow } from './checkpoints';
import { listLocks } from './activity';
import { settle, type Settled } from './errors';
import type { VersionArgs } from './query';
import { serverOverview } from './server';
import type { Queryable } from './sql';
import { queryTimeByDatabase, statementsReadiness, statementsStatus, type DatabaseQueryTimeRow } from './statements';
import { levelFor, resolveThresholds, type AlertLevel, type PartialThresholds, type Thresholds } from './thresholds';

export type AlertMetric =
  | 'cacheHitRatio'
  | 'avgQueryTime'
  | 'connections'
  | 'tableBloat'
  | 'deadTuples'
  | 'checkpointFrequency'
  | 'lockWait'
  | 'wraparound'
  | 'longQuery'
  | 'idleInTransaction'
  /** The dashboard's PgBouncer group: the pools' longest maxwait. */
  | 'bouncerMaxWait';

export interface Alert {
  level: AlertLevel;
  metric: AlertMetric;
  /** What the alert is about: a database, "schema.table", "pid 1234", "server". */
  subject: string;
  value: number;
  threshold: number;
  unit: '%' | 'ms' | '/min' | 's';
  message: string;
}

const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

function make(metric: AlertMetric, key: keyof Thresholds, subject: string, value: number, t: Thresholds, unit: Alert['unit'], what: string): Alert[] {
  const hit = levelFor(key, value, t[key]);
  if (!hit) return [];
  const cmp = key === 'cacheHitRatioPct' ? 'below' : 'above';
  return [
    {
      level: hit.level,
      metric,
      subject,
      value: round(value, 2),
      threshold: hit.threshold,
      unit,
      message: `${subject}: ${what} ${round(value)}${unit} is ${cmp} the ${hit.level} threshold of ${hit.threshold}${unit}`,
    },
  ];
}

/** One metric's alert, worded as the tree words it (the dashboard raises the same ones). */
export const thresholdAlert = make;

export function cacheHitAlerts(rows: readonly DatabaseCacheRow[], t: Thresholds): Alert[] {
  return rows.flatMap((r) =>
    r.hitRatioPct === null || r.blocksRead < t.cacheHitRatioPct.minBlocks
      ? []
      : make('cacheHitRatio', 'cacheHitRatioPct', r.database, r.hitRatioPct, t, '%', 'cache hit ratio'),
  );
}

export function queryTimeAlerts(rows: readonly DatabaseQueryTimeRow[], t: Thresholds): Alert[] {
  return rows.flatMap((r) =>
    r.calls < t.avgQueryTimeMs.minCalls ? [] : make('avgQueryTime', 'avgQueryTimeMs', r.database, r.meanExecMs, t, 'ms', 'average query time'),
  );
}

export function connectionAlerts(c: { connections: number; maxConnections: number }, t: Thresholds): Alert[] {
  if (c.maxConnections <= 0) return [];
  const pct = (100 * c.connections) / c.maxConnections;
  return make('connections', 'connectionsPct', 'server', pct, t, '%', `${c.connections} of ${c.maxConnections} connections:`);
}

export function bloatAlerts(rows: readonly TableBloatRow[], t: Thresholds): Alert[] {
  return rows.flatMap((r) =>
    !r.estimateReliable || r.realBytes < t.tableBloatPct.minBytes
      ? []
      : make('tableBloat', 'tableBloatPct', `${r.schema}.${r.table}`, r.bloatPct, t, '%', 'estimated bloat'),
  );
}

export function deadTupleAlerts(rows: readonly Pick<AutovacuumTableRow, 'schema' | 'table' | 'deadTuples' | 'liveTuples'>[], t: Thresholds): Alert[] {
  return rows.flatMap((r) => {
    const all = r.deadTuples + r.liveTuples;
    if (all < t.deadTuplePct.minRows || all === 0) return [];
    return make('deadTuples', 'deadTuplePct', `${r.schema}.${r.table}`, (100 * r.deadTuples) / all, t, '%', 'dead tuples');
  });
}

/** Checkpoints completed (18+) or started (before), the count the rate is taken from. */
function checkpointCount(c: CheckpointRow): number {
  return c.done ?? c.timed + c.requested;
}

/**
 * Checkpoints per minute: between two samples when the caller kept the previous one (the rate
 * now), else since the counters' reset (the long-run rate). The window is at least a minute, so
 * one checkpoint right after a reset does not read as 60 per minute.
 */
export function checkpointRate(current: CheckpointRow, previous?: { row: CheckpointRow; secondsBefore: number }): number | undefined {
  if (previous) {
    const n = checkpointCount(current) - checkpointCount(previous.row);
    if (n < 0) return undefined; // counters were reset between the samples
    return n / Math.max(previous.secondsBefore / 60, 1);
  }
  if (current.secondsSinceReset === null) return undefined;
  return checkpointCount(current) / Math.max(current.secondsSinceReset / 60, 1);
}

/**
 * Since the counters' reset, fewer checkpoints than this are no rate: a young cluster's first
 * minute holds the ones CREATE DATABASE requests before 15 (its file copy checkpoints before and
 * after), which say nothing of max_wal_size.
 */
export const MIN_CHECKPOINTS_SINCE_RESET = 3;

/** Too few checkpoints since the reset to judge their frequency by (no previous sample to compare). */
export const tooFewCheckpoints = (current: CheckpointRow, previous?: unknown): boolean => !previous && checkpointCount(current) < MIN_CHECKPOINTS_SINCE_RESET;

export function checkpointAlerts(current: CheckpointRow, t: Thresholds, previous?: { row: CheckpointRow; secondsBefore: number }): Alert[] {
  const rate = checkpointRate(current, previous);
  if (rate === undefined || tooFewCheckpoints(current, previous)) return [];
  const why = current.requested > current.timed ? ' (mostly requested: max_wal_size may be too small)' : '';
  return make('checkpointFrequency', 'checkpointsPerMinute', 'server', rate, t, '/min', `checkpoint frequency${why}`);
}

export function lockWaitAlerts(rows: readonly LockRow[], t: Thresholds): Alert[] {
  return rows.flatMap((r) =>
    r.lockWaitSeconds === null || r.blockedBy.length === 0
      ? []
      : make('lockWait', 'lockWaitSeconds', `pid ${r.pid}`, r.lockWaitSeconds, t, 's', `waits for a lock held by pid ${r.blockedBy.join(', ')};`),
  );
}

const LEVEL_RANK: Record<AlertLevel, number> = { critical: 0, warning: 1 };

/** Critical first, then by metric and subject: a stable order for a badge and a list. */
export function sortAlerts(alerts: Alert[]): Alert[] {
  return alerts.sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || a.metric.localeCompare(b.metric) || a.subject.localeCompare(b.subject));
}

export interface CollectAlertsArgs extends VersionArgs {
  thresholds?: PartialThresholds;
  /** The checkpoint row of the previous refresh, for the current rate rather than the long-run one. */
  previousCheckpoints?: { row: CheckpointRow; secondsBefore: number };
  /** Metrics not to read this time (e.g. tableBloat, the costliest, on a short refresh interval). */
  skip?: readonly AlertMetric[];
}

export interface AlertReport {
  alerts: Alert[];
  /** Metrics that could not be read, and why (permissions, pg_stat_statements missing …). */
  unavailable: { metric: AlertMetric; reason: string }[];
  /** Threshold settings that were ignored, and why. */
  thresholdProblems: string[];
  /** The checkpoint row read now: pass it back as previousCheckpoints next time. */
  checkpoints?: CheckpointRow;
}

/** Reads every metric of the seed's alert table (database-wide ones for the connected database). */
export async function collectAlerts(q: Queryable, args: CollectAlertsArgs): Promise<AlertReport> {
  const { thresholds: t, problems } = resolveThresholds(args.thresholds);
  const v = { versionNum: args.versionNum };
  const maybe = <T>(m: AlertMetric, run: () => Promise<T>): Promise<Settled<T> | undefined> =>
    args.skip?.includes(m) ? Promise.resolve(undefined) : settle(run());
  const [cache, overview, bloat, dead, ckpt, locks, status] = await Promise.all([
    maybe('cacheHitRatio', () => databaseCacheHit(q, v)),
    maybe('connections', () => serverOverview(q, v)),
    maybe('tableBloat', () => tableBloat(q, { ...v, minBytes: t.tableBloatPct.minBytes, limit: 1000 })),
    maybe('deadTuples', () => autovacuumTables(q, { ...v, limit: 1000 })),
    maybe('checkpointFrequency', () => checkpoints(q, v)),
    maybe('lockWait', () => listLocks(q, { ...v, maxQueryLength: 200 })),
    maybe('avgQueryTime', () => statementsStatus(q, v)),
  ]);
  const alerts: Alert[] = [];
  const unavailable: AlertReport['unavailable'] = [];
  const take = <T>(metric: AlertMetric, s: Settled<T> | undefined, f: (v: T) => Alert[]) => {
    if (!s) return;
    if (s.ok) alerts.push(...f(s.value));
    else unavailable.push({ metric, reason: s.error.message });
  };
  take('cacheHitRatio', cache, (rows) => cacheHitAlerts(rows, t));
  take('connections', overview, (row) => (row ? connectionAlerts(row, t) : []));
  take('tableBloat', bloat, (rows) => bloatAlerts(rows, t));
  take('deadTuples', dead, (rows) => deadTupleAlerts(rows, t));
  take('checkpointFrequency', ckpt, (row) => (row ? checkpointAlerts(row, t, args.previousCheckpoints) : []));
  take('lockWait', locks, (rows) => lockWaitAlerts(rows, t));
  if (status && !status.ok) unavailable.push({ metric: 'avgQueryTime', reason: status.error.message });
  else if (status) {
    const ready = statementsReadiness(status.value);
    if (!ready.ready) unavailable.push({ metric: 'avgQueryTime', reason: ready.reason ?? 'pg_stat_statements is not available' });
    else {
      const times = await settle(
        queryTimeByDatabase(q, {
          ...v,
          schema: status.value.schema ?? 'public',
          extVersion: status.value.installedVersion,
          minCalls: t.avgQueryTimeMs.minCalls,
        }),
      );
      take('avgQueryTime', times, (rows) => queryTimeAlerts(rows, t));
    }
  }
  return { alerts: sortAlerts(alerts), unavailable, thresholdProblems: problems, ...(ckpt?.ok && ckpt.value ? { checkpoints: ckpt.value } : {}) };
}
