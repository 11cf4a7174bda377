// "Query plan analysis for critical queries": the plans of the top statements of this database
// by total time, read with plain EXPLAIN (never ANALYZE: nothing is executed), GENERIC_PLAN on
// 16+ for statements pg_stat_statements recorded with $n parameters. Only statements that
// safety.ts rates as reads are explained, inside BEGIN READ ONLY … ROLLBACK.
import type pg from 'pg';
import { explainOptionList } from '../explain/explainOptions';
import { indexColumns } from '../explain/filterColumns';
import { planInsights } from '../explain/insights';
import { SEVERITY_RANK, type Insight } from '../explain/insightTypes';
import { parsePlan } from '../explain/parsePlan';
import { checkStatement } from '../explain/safety';
import { SEQ_SCAN_MIN_ROWS_READ, SEQ_SCAN_REMOVED_SHARE } from '../explain/insights';
import type { AdvisorReport } from '../advisor/types';
import type { Plan, PlanNode } from '../explain/planTypes';
import { seqScanTables, type SeqScanRow } from '../stats/usage';
import { topStatements } from '../stats/statements';
import { formatCount } from '../format';
import { guarded, round, type HealthContext } from './context';
import { statementsGate } from './daily';
import { adviceFix, adviceReason } from './adviceFix';
import { shortQuery } from './names';
import type { Finding, Fix, HealthLevel } from './types';

/** EXPLAIN options for a plan without running it; GENERIC_PLAN (16+) plans $n-parameterised text. */
export function explainPrefix(major: number, generic: boolean): string {
  const opts = explainOptionList({ analyze: false }, major);
  return `EXPLAIN (${[...(generic ? ['GENERIC_PLAN'] : []), ...opts].join(', ')}) `;
}

export const hasParameters = (q: string): boolean => /\$\d+/.test(q);

/** Statements that read or change data; not utility commands, nor monitoring of the catalogs (pgdba's own among them). */
const DML = /^\s*(\(?\s*SELECT|WITH|INSERT|UPDATE|DELETE|MERGE|VALUES|TABLE)\b/i;
const CATALOG =
  /\b(pg_catalog\.|pg_(stat|statio)_\w+|pg_settings|pg_class|pg_database|pg_roles|pg_namespace|pg_index|pg_locks|pg_extension|pg_available_extensions|pg_attribute|pg_stats|information_schema\.)/i;

export function isApplicationQuery(q: string): boolean {
  return DML.test(q) && !CATALOG.test(q);
}

/** The plan of a read-only statement, as EXPLAIN's JSON; the transaction is always rolled back. */
async function explainReadOnly(pool: pg.Pool, statement: string, major: number, timeoutMs: number): Promise<unknown> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (e: Error) => {
    broken = e;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    const r = await client.query<Record<string, unknown>>(explainPrefix(major, hasParameters(statement) && major >= 16) + statement);
    const v = r.rows[0]?.['QUERY PLAN'];
    return typeof v === 'string' ? JSON.parse(v) : v;
  } catch (e) {
    if (/Connection terminated|ECONNRESET/.test((e as Error).message)) broken = e as Error;
    throw e;
  } finally {
    if (!broken) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * A scan that keeps a small share of a large table's rows: where the planner lacks an index. Which
 * index is the advisor's to say (adviceFix): this only points at the table and the filter.
 */
export function missingIndexes(plan: Plan, tables: readonly SeqScanRow[]): { node: PlanNode; table: SeqScanRow }[] {
  const out: { node: PlanNode; table: SeqScanRow }[] = [];
  for (const n of plan.nodes) {
    if (n.nodeType !== 'Seq Scan' || !n.relation || !n.filter) continue;
    const candidates = tables.filter((t) => t.table === n.relation && (!n.schema || t.schema === n.schema));
    const t = candidates[0];
    if (!t || candidates.length > 1 || t.liveTuples < SEQ_SCAN_MIN_ROWS_READ) continue;
    if (n.planRows > t.liveTuples * (1 - SEQ_SCAN_REMOVED_SHARE)) continue;
    // Only a filter an index can serve (not "<>", NOT LIKE …) of this scan's own table.
    const served = indexColumns(n.filter).some((c) => !c.qualifier || c.qualifier === n.alias || c.qualifier === n.relation);
    if (served) out.push({ node: n, table: t });
  }
  return out;
}

const insightLevel = (i: Insight): HealthLevel => (i.severity === 'info' ? 'info' : i.severity);
const insightFix = (i: Insight): Fix => ({ kind: i.action.kind, text: i.action.text });

/** advice: the index advisor's report of this run, the one source of the indexes offered. */
export async function queryPlans(ctx: HealthContext, advice?: AdvisorReport): Promise<Finding[]> {
  const gate = statementsGate(ctx, 'query-plans', 'monthly');
  if (gate) return [gate];
  const s = ctx.statements!;
  const major = Math.floor(ctx.v.versionNum / 10000);
  return guarded(ctx, 'query-plans', 'monthly', 'Plans of the top queries', async () => {
    const out: Finding[] = [];
    const top = (await topStatements(ctx.pool, { ...ctx.v, schema: s.schema ?? 'public', extVersion: s.installedVersion, orderBy: 'total', limit: 50 }))
      .filter((r) => r.database === ctx.overview.currentDatabase && r.query && r.query !== '<insufficient privilege>')
      .filter((r) => isApplicationQuery(r.query!));
    const skipped: string[] = [];
    const tables = await seqScanTables(ctx.pool, { ...ctx.v, minSeqScans: 0, limit: 500 });
    for (const r of top) {
      if (out.length >= ctx.planLimit || ctx.signal?.aborted) break;
      const q = r.query!;
      const safety = checkStatement(q);
      if (!safety.ok) {
        skipped.push(`${shortQuery(q, 50)}: ${safety.reason}`);
        continue;
      }
      if (safety.effect !== 'read') {
        skipped.push(`${shortQuery(q, 50)}: not explained because ${safety.reason ?? 'it may write'}`);
        continue;
      }
      if (hasParameters(q) && major < 16) {
        skipped.push(`${shortQuery(q, 50)}: has $n parameters (EXPLAIN (GENERIC_PLAN) needs PostgreSQL 16+)`);
        continue;
      }
      let plan: Plan;
      try {
        plan = parsePlan(await explainReadOnly(ctx.pool, safety.sql, major, ctx.explainTimeoutMs));
      } catch (e) {
        skipped.push(`${shortQuery(q, 50)}: EXPLAIN failed (${(e as Error).message})`);
        continue;
      }
      const root = plan.nodes[0];
      const missing = missingIndexes(plan, tables);
      const insights = planInsights(plan).sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
      const first = insights[0];
      const m0 = missing[0];
      // The advisor's index for the scanned table; none when it found that no index pays here.
      const advised = m0 ? adviceFix(advice, m0.table.schema, m0.table.table, q) : undefined;
      const declined = m0 && !advised ? (adviceReason(advice, q) ?? (advice ? 'the index advisor suggests no index for it' : undefined)) : undefined;
      const level: HealthLevel = advised ? 'warning' : m0 ? (declined ? 'info' : 'warning') : first ? insightLevel(first) : 'ok';
      out.push({
        check: 'query-plans',
        schedule: 'monthly',
        level,
        subject: shortQuery(q),
        observed: `${formatCount(r.calls)} calls, mean ${round(r.meanExecMs, 2)} ms, ${r.pctOfTotal ?? '?'}% of time; plan: ${root?.label ?? '?'} (cost ${plan.summary.totalCost ?? '?'}, ${plan.summary.nodeCount} node${plan.summary.nodeCount === 1 ? '' : 's'})`,
        value: round(r.totalExecMs, 1),
        why: m0
          ? `The plan scans all ${formatCount(m0.table.liveTuples)} rows of ${m0.table.table} to keep an estimated ${formatCount(m0.node.planRows)} (filter ${m0.node.filter}).${declined ? ` No index for it: ${declined}.` : advised ? " The index is the index advice's (Index advice below)." : ''}`
          : first
            ? first.why
            : `One of the statements that take the most time here; its ${hasParameters(q) ? 'generic ' : ''}plan shows nothing to fix.`,
        ...(advised ? { fix: advised } : m0 ? {} : first ? { fix: insightFix(first) } : {}),
      });
    }
    if (skipped.length > 0) {
      out.push({
        check: 'query-plans',
        schedule: 'monthly',
        level: 'info',
        subject: `${skipped.length} top statement${skipped.length > 1 ? 's' : ''}`,
        observed: 'not explained',
        why: skipped.slice(0, 5).join('; ') + (skipped.length > 5 ? `; and ${skipped.length - 5} more` : '') + '.',
      });
    }
    if (out.length === 0)
      out.push({
        check: 'query-plans',
        schedule: 'monthly',
        level: 'info',
        subject: ctx.overview.currentDatabase,
        observed: 'no statements recorded yet',
        why: 'pg_stat_statements holds no statement of this database to explain.',
      });
    return out;
  });
}
