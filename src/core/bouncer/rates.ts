// Rates from two SHOW STATS samples: PgBouncer's totals only grow (until a restart), so the
// difference over the time between the samples is the rate now. Without a previous sample, the
// console's own averages over its last stats_period stand in.
import type { StatsRow } from './showRows';

export interface BouncerRates {
  /** Transactions per second. */
  tps: number;
  queriesPerSecond: number;
  /** Average query time in ms over the window. */
  avgQueryMs: number;
  /** Average time a client waited for a server connection, ms per transaction. */
  avgWaitMs: number;
  /** "delta": between two samples; "console": PgBouncer's own averages (first sample, or a restart). */
  source: 'delta' | 'console';
}

const sum = (rows: readonly StatsRow[], f: (r: StatsRow) => number) => rows.reduce((a, r) => a + f(r), 0);

/** Over every database of the bouncer (the console's own database included: it carries no traffic). */
export function bouncerRates(
  current: { stats: readonly StatsRow[]; takenAt: number },
  previous?: { stats: readonly StatsRow[]; takenAt: number },
): BouncerRates {
  const seconds = previous ? (current.takenAt - previous.takenAt) / 1000 : 0;
  if (previous && seconds > 0) {
    const d = (f: (r: StatsRow) => number) => sum(current.stats, f) - sum(previous.stats, f);
    const xacts = d((r) => r.totalXactCount);
    const queries = d((r) => r.totalQueryCount);
    const queryUs = d((r) => r.totalQueryTime);
    const waitUs = d((r) => r.totalWaitTime);
    if (xacts >= 0 && queries >= 0 && queryUs >= 0 && waitUs >= 0) {
      return {
        tps: xacts / seconds,
        queriesPerSecond: queries / seconds,
        avgQueryMs: queries > 0 ? queryUs / queries / 1000 : 0,
        avgWaitMs: xacts > 0 ? waitUs / xacts / 1000 : 0,
        source: 'delta',
      };
    }
  }
  const xactRate = sum(current.stats, (r) => r.avgXactCount);
  const queryRate = sum(current.stats, (r) => r.avgQueryCount);
  // The console's per-database averages, weighted by each database's query (transaction) rate.
  const weighted = (f: (r: StatsRow) => number, w: (r: StatsRow) => number, total: number) =>
    total > 0 ? sum(current.stats, (r) => f(r) * w(r)) / total / 1000 : 0;
  return {
    tps: xactRate,
    queriesPerSecond: queryRate,
    avgQueryMs: weighted(
      (r) => r.avgQueryTime,
      (r) => r.avgQueryCount,
      queryRate,
    ),
    avgWaitMs: weighted(
      (r) => r.avgWaitTime,
      (r) => r.avgXactCount,
      xactRate,
    ),
    source: 'console',
  };
}
