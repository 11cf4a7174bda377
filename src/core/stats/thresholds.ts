// Alert thresholds: the seed's table by default, any of them overridable (they are settings).
// Each metric knows whether low or high values are bad, and a floor below which a sample is too
// small to judge (a database that read 3 blocks has no meaningful hit ratio).

export interface Threshold {
  warn: number;
  crit: number;
}

export interface Thresholds {
  /**
   * Percent; alerts when the ratio is BELOW the limits, and only for a database that read at least
   * `minBlocks` blocks from outside shared_buffers: a few cold reads (a server just started) are no
   * cache problem, whatever their share.
   */
  cacheHitRatioPct: Threshold & { minBlocks: number };
  /** Milliseconds, average per statement per database (pg_stat_statements). */
  avgQueryTimeMs: Threshold & { minCalls: number };
  /** Client connections as a percent of max_connections: a share, so it fits any server. */
  connectionsPct: Threshold;
  /** Estimated bloat, percent of the table; tables below minBytes are ignored. */
  tableBloatPct: Threshold & { minBytes: number };
  /** Dead tuples, percent of live + dead (the seed's "bloat analysis" query). */
  deadTuplePct: Threshold & { minRows: number };
  /** Checkpoints per minute. */
  checkpointsPerMinute: Threshold;
  /** Seconds a session has waited for a lock. */
  lockWaitSeconds: Threshold;
  /** Transaction ID or multixact age, percent of autovacuum_freeze_max_age (or the multixact one). */
  wraparoundPct: Threshold;
  /** Percent of a sequence's range (or its column's type's) used. */
  sequenceUsedPct: Threshold;
  /** Seconds an active statement has run. */
  longQuerySeconds: Threshold;
  /** Seconds a session has sat idle inside a transaction. */
  idleInTransactionSeconds: Threshold;
  /** Seconds a standby's replay is behind (pg_stat_replication.replay_lag). */
  replicationLagSeconds: Threshold;
  /** Seconds a PgBouncer client has waited for a server connection (SHOW CLIENTS wait). */
  bouncerClientWaitSeconds: Threshold;
  /** A PgBouncer pool's maxwait: seconds its oldest waiting client has waited (SHOW POOLS). */
  bouncerMaxWaitSeconds: Threshold;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  cacheHitRatioPct: { warn: 95, crit: 90, minBlocks: 1000 },
  avgQueryTimeMs: { warn: 100, crit: 500, minCalls: 10 },
  connectionsPct: { warn: 80, crit: 95 },
  tableBloatPct: { warn: 20, crit: 40, minBytes: 1024 * 1024 },
  deadTuplePct: { warn: 20, crit: 40, minRows: 1000 },
  checkpointsPerMinute: { warn: 1, crit: 2 },
  lockWaitSeconds: { warn: 1, crit: 5 },
  // Past 100%, anti-wraparound autovacuum should already have frozen it: something holds it back.
  wraparoundPct: { warn: 100, crit: 400 },
  sequenceUsedPct: { warn: 75, crit: 90 },
  longQuerySeconds: { warn: 300, crit: 1800 },
  idleInTransactionSeconds: { warn: 300, crit: 1800 },
  replicationLagSeconds: { warn: 60, crit: 300 },
  // In transaction mode a client normally gets a server connection at once: a second of queueing is felt.
  bouncerClientWaitSeconds: { warn: 1, crit: 10 },
  bouncerMaxWaitSeconds: { warn: 1, crit: 5 },
});

/** Metrics where a low value is the bad one. */
const LOWER_IS_WORSE = new Set<keyof Thresholds>(['cacheHitRatioPct']);

export type PartialThresholds = { [K in keyof Thresholds]?: Partial<Thresholds[K]> };

/** Defaults overlaid with what the person set; problems are reported, not thrown. */
export function resolveThresholds(input: PartialThresholds = {}): { thresholds: Thresholds; problems: string[] } {
  const problems: string[] = [];
  const out = structuredClone(DEFAULT_THRESHOLDS) as Thresholds;
  for (const key of Object.keys(out) as (keyof Thresholds)[]) {
    const given = input[key];
    if (!given) continue;
    const merged: Record<string, number> = { ...out[key] };
    for (const [k, v] of Object.entries(given)) {
      if (!(k in merged)) problems.push(`${key}.${k} is not a known threshold field`);
      else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`${key}.${k} must be a number ≥ 0`);
      else merged[k] = v;
    }
    const warn = merged.warn ?? 0;
    const crit = merged.crit ?? 0;
    const ordered = LOWER_IS_WORSE.has(key) ? crit <= warn : crit >= warn;
    if (!ordered) {
      problems.push(`${key}: critical (${crit}) must be ${LOWER_IS_WORSE.has(key) ? 'at or below' : 'at or above'} warning (${warn}); using the defaults`);
      continue;
    }
    (out as unknown as Record<string, Record<string, number>>)[key] = merged;
  }
  return { thresholds: out, problems };
}

export type AlertLevel = 'warning' | 'critical';

/** The level a value reaches for a metric, or undefined when it is fine. Limits are strict (> / <). */
export function levelFor(metric: keyof Thresholds, value: number, t: Threshold): { level: AlertLevel; threshold: number } | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (LOWER_IS_WORSE.has(metric)) {
    if (value < t.crit) return { level: 'critical', threshold: t.crit };
    if (value < t.warn) return { level: 'warning', threshold: t.warn };
    return undefined;
  }
  if (value > t.crit) return { level: 'critical', threshold: t.crit };
  if (value > t.warn) return { level: 'warning', threshold: t.warn };
  return undefined;
}
