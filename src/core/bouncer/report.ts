// A PgBouncer's state as plain data (the CLI's JSON) and as text (the CLI's tables).
import { toMarkdownTable } from '../markdownTable';
import type { BouncerFinding } from './findings';
import { bouncerRates, type BouncerRates } from './rates';
import type { BouncerSnapshot } from './snapshot';
import type { PoolRow, StatsRow } from './showRows';

export interface BouncerReport {
  version: string;
  pools: PoolRow[];
  stats: StatsRow[];
  rates: BouncerRates;
  findings: BouncerFinding[];
  /** Why the server's side (pool arithmetic, auth_type) was not checked, when it was not. */
  serverUnchecked?: string;
}

export function bouncerReport(s: BouncerSnapshot, findings: BouncerFinding[], serverUnchecked?: string): BouncerReport {
  return {
    version: s.version,
    pools: s.pools,
    stats: s.stats,
    rates: bouncerRates(s),
    findings,
    ...(serverUnchecked ? { serverUnchecked } : {}),
  };
}

const r1 = (v: number) => Math.round(v * 10) / 10;

export function renderBouncerText(r: BouncerReport): string {
  const pools = r.pools.map((p) => ({
    pool: `${p.database}/${p.user}`,
    mode: p.poolMode,
    cl_active: p.clActive,
    cl_waiting: p.clWaiting,
    sv_active: p.svActive,
    sv_idle: p.svIdle,
    sv_used: p.svUsed,
    'maxwait s': r1(p.maxwaitSeconds),
  }));
  const stats = r.stats.map((s) => ({
    database: s.database,
    'xact/s': s.avgXactCount,
    'query/s': s.avgQueryCount,
    'avg query ms': r1(s.avgQueryTime / 1000),
    'avg wait ms': r1(s.avgWaitTime / 1000),
    transactions: s.totalXactCount,
  }));
  const findings = r.findings.length ? r.findings.map((f) => `- ${f.level}: ${f.message}${f.fix ? ` — ${f.fix}` : ''}`).join('\n') : '- none';
  return [
    `${r.version}`,
    '',
    'Pools',
    toMarkdownTable(Object.keys(pools[0] ?? { pool: '' }), pools),
    `Stats (PgBouncer's averages over its stats_period): ${r1(r.rates.tps)} transactions/s, average query ${r1(r.rates.avgQueryMs)} ms, wait ${r1(r.rates.avgWaitMs)} ms`,
    toMarkdownTable(Object.keys(stats[0] ?? { database: '' }), stats),
    'Findings',
    findings,
    ...(r.serverUnchecked ? ['', `The server's side was not checked: ${r.serverUnchecked}`] : []),
    '',
  ].join('\n');
}
