// Tables (weekly): without a primary key or replica identity; never analyzed or with statistics
// far behind their analyze threshold; large tables whose global autovacuum_vacuum_scale_factor
// lets dead rows pile up, with the per-table scale factor computed from their size; constraints
// added NOT VALID and never validated.
import { quoteIdent } from '../db/sqlIdent';
import { formatBytes, formatCount } from '../format';
import { invalidConstraints, tableStatsAge, tablesWithoutKey, type TableKeyRow } from '../stats/tableDefects';
import { guarded, type HealthContext } from './context';
import { qualified } from './names';
import type { Finding, Fix } from './types';

/** Tables with fewer live rows than this plan fine without statistics. */
const STATS_MIN_ROWS = 1000;
/** Autovacuum analyzes at 1× the threshold: past 2× it is behind, or off. */
const STALE_FACTOR = 2;
/** From this many rows a table gets its own scale factor… */
export const LARGE_TABLE_ROWS = 1_000_000;
/** …one that starts a vacuum at about this many dead rows. */
export const TARGET_DEAD_ROWS = 100_000;

/** The per-table scale factor that starts a vacuum near TARGET_DEAD_ROWS, one significant digit. */
export function suggestedScaleFactor(rows: number): number {
  return Math.max(0.0001, Number((TARGET_DEAD_ROWS / Math.max(rows, 1)).toPrecision(1)));
}

export function primaryKeyFix(r: Pick<TableKeyRow, 'schema' | 'table' | 'candidateIndex'>): Fix {
  const t = qualified(r.schema, r.table);
  if (r.candidateIndex !== null) return { kind: 'sql', text: `ALTER TABLE ${t} ADD PRIMARY KEY USING INDEX ${quoteIdent(r.candidateIndex)};` };
  return {
    kind: 'note',
    text: `Add a primary key on the columns that identify a row: ALTER TABLE ${t} ADD PRIMARY KEY (…); with no such columns, ALTER TABLE ${t} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY (rewrites the table); for logical replication alone, ALTER TABLE ${t} REPLICA IDENTITY FULL.`,
  };
}

export async function primaryKeysCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'primary-keys', 'weekly', 'Tables without a primary key', async () => {
    const rows = await tablesWithoutKey(ctx.pool, ctx.v);
    if (rows.length === 0)
      return [
        {
          check: 'primary-keys',
          schedule: 'weekly',
          level: 'ok',
          subject: 'server',
          observed: 'every table has a primary key',
          why: 'Every table here has a primary key.',
        },
      ];
    return rows.map((r) => {
      const identity = r.replicaIdentity === 'f' ? 'REPLICA IDENTITY FULL' : r.replicaIdentity === 'i' ? 'a replica identity index' : 'no replica identity';
      return {
        check: 'primary-keys',
        schedule: 'weekly',
        level: r.replicaIdentity === 'f' || r.replicaIdentity === 'i' ? 'info' : 'warning',
        subject: `${r.schema}.${r.table}`,
        observed: `no primary key, ${identity}; ${formatBytes(r.bytes)}${r.candidateIndex !== null ? `; unique index ${r.candidateIndex} could be it` : ''}`,
        why: 'Rows cannot be told apart for sure: duplicates creep in, and once the table is published for logical replication every UPDATE and DELETE on it fails without a replica identity.',
        fix: primaryKeyFix(r),
      };
    });
  });
}

export async function tableStatisticsCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'table-statistics', 'weekly', 'Table statistics', async () => {
    const out: Finding[] = [];
    for (const r of await tableStatsAge(ctx.pool, { ...ctx.v, order: 'stale', limit: 200 })) {
      const never = r.lastAnalyze === null && r.liveRows >= STATS_MIN_ROWS;
      const behind = r.modsSinceAnalyze >= STATS_MIN_ROWS && r.modsSinceAnalyze > STALE_FACTOR * r.analyzeThreshold;
      if (!never && !behind) continue;
      out.push({
        check: 'table-statistics',
        schedule: 'weekly',
        level: 'warning',
        subject: `${r.schema}.${r.table}`,
        observed: never
          ? `never analyzed, ${formatCount(r.liveRows)} live rows`
          : `${formatCount(r.modsSinceAnalyze)} rows changed since the last ANALYZE (${r.lastAnalyze}), over ${STALE_FACTOR}× its analyze threshold of ${formatCount(r.analyzeThreshold)}`,
        value: r.modsSinceAnalyze,
        threshold: Math.round(r.analyzeThreshold),
        why: `The planner estimates row counts from these statistics, so its plans for ${r.table} are built on figures that no longer hold${r.autovacuumEnabled ? '; autovacuum has not caught up' : ', and autovacuum is off for it'}.`,
        fix: {
          kind: 'sql',
          text: `ANALYZE ${qualified(r.schema, r.table)};${r.autovacuumEnabled ? '' : `\nALTER TABLE ${qualified(r.schema, r.table)} RESET (autovacuum_enabled);`}`,
        },
      });
    }
    if (out.length === 0)
      out.push({
        check: 'table-statistics',
        schedule: 'weekly',
        level: 'ok',
        subject: 'server',
        observed: 'statistics current',
        why: `No table of ${formatCount(STATS_MIN_ROWS)}+ rows is unanalyzed or ${STALE_FACTOR}× past its analyze threshold.`,
      });
    return out;
  });
}

export async function vacuumScaleCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'vacuum-scale', 'weekly', 'Autovacuum scale factor of large tables', async () => {
    const out: Finding[] = [];
    for (const r of await tableStatsAge(ctx.pool, { ...ctx.v, order: 'large', minRows: LARGE_TABLE_ROWS, limit: 50 })) {
      if (r.ownScaleFactor || r.vacuumThreshold <= 2 * TARGET_DEAD_ROWS) continue;
      const sf = suggestedScaleFactor(r.reltuples);
      out.push({
        check: 'vacuum-scale',
        schedule: 'weekly',
        level: 'info',
        subject: `${r.schema}.${r.table}`,
        observed: `${formatCount(r.reltuples)} rows: autovacuum_vacuum_scale_factor ${r.vacuumScaleFactor} waits for ${formatCount(r.vacuumThreshold)} dead rows`,
        value: r.vacuumThreshold,
        threshold: 2 * TARGET_DEAD_ROWS,
        why: `The server-wide scale factor grows with the table: ${r.table} (${formatBytes(r.bytes)}) collects that many dead rows before each vacuum, so it bloats and each vacuum is long; a scale factor of its own starts one near ${formatCount(TARGET_DEAD_ROWS)}.`,
        fix: { kind: 'sql', text: `ALTER TABLE ${qualified(r.schema, r.table)} SET (autovacuum_vacuum_scale_factor = ${sf});` },
      });
    }
    if (out.length === 0)
      out.push({
        check: 'vacuum-scale',
        schedule: 'weekly',
        level: 'ok',
        subject: 'server',
        observed: `no table of ${formatCount(LARGE_TABLE_ROWS)}+ rows waits for more than ${formatCount(2 * TARGET_DEAD_ROWS)} dead rows`,
        why: 'Large tables have a vacuum threshold that fits their size.',
      });
    return out;
  });
}

export async function invalidConstraintsCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'invalid-constraints', 'weekly', 'Constraints not validated', async () => {
    const rows = await invalidConstraints(ctx.pool, ctx.v);
    if (rows.length === 0)
      return [
        {
          check: 'invalid-constraints',
          schedule: 'weekly',
          level: 'ok',
          subject: 'server',
          observed: 'every constraint validated',
          why: 'No CHECK or foreign key constraint is left NOT VALID.',
        },
      ];
    return rows.map((r) => ({
      check: 'invalid-constraints',
      schedule: 'weekly',
      level: 'warning',
      subject: `${r.schema}.${r.table}.${r.constraint}`,
      observed: r.definition,
      value: r.bytes,
      why: `Added NOT VALID and never validated: new rows are checked, the rows ${r.table} had then are not, so ${r.kind === 'f' ? 'they may reference rows that do not exist' : 'they may break the rule'} and the planner cannot rely on it.`,
      fix: {
        kind: 'sql',
        text: `ALTER TABLE ${qualified(r.schema, r.table)} VALIDATE CONSTRAINT ${quoteIdent(r.constraint)};`,
      },
    }));
  });
}
