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
import { quoteIdent } from '../db/sqlIdent';
import type { Plan, PlanNode } from '../explain/planTypes';
import { seqScanTables, type SeqScanRow } from '../stats/usage';
import { topStatements } from '../stats/statements';
import { formatCount } from '../format';
import { guarded, round, type HealthContext } from './context';
import { statementsGate } from './daily';
import { qualified, shortQuery } from './names';
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

/** A scan that keeps a small share of a large table's rows: the index the planner lacks. */
export function missingIndexes(plan: Plan, tables: readonly SeqScanRow[]): { node: PlanNode; table: SeqScanRow; sql: string }[] {
  const out: { node: PlanNode; table: SeqScanRow; sql: string }[] = [];
  for (const n of plan.nodes) {
    if (n.nodeType !== 'Seq Scan' || !n.relation || !n.filter) continue;
    const candidates = tables.filter((t) => t.table === n.relation && (!n.schema || t.schema === n.schema));
    const t = candidates[0];
    if (!t || candidates.length > 1 || t.liveTuples < SEQ_SCAN_MIN_ROWS_READ) continue;
    if (n.planRows > t.liveTuples * (1 - SEQ_SCAN_REMOVED_SHARE)) continue;
    // Only the columns a B-tree serves (not "<>", NOT LIKE …), each once with its operator class.
    const cols = indexColumns(n.filter).filter(
      (c, i, all) => (!c.qualifier || c.qualifier === n.alias || c.qualifier === n.relation) && all.findIndex((d) => d.column === c.column) === i,
    );
    if (cols.length === 0) continue;
    const elements = cols.map((c) => (c.opclass ? `${quoteIdent(c.column)} ${c.opclass}` : quoteIdent(c.column)));
    out.push({ node: n, table: t, sql: `CREATE INDEX CONCURRENTLY ON ${qualified(t.schema, t.table)} (${elements.join(', ')});` });
  }
  return out;
}

const insightLevel = (i: Insight): HealthLevel => (i.severity === 'info' ? 'info' : i.severity);
const insightFix = (i: Insight): Fix => ({ kind: i.action.kind, text: i.action.text });

export interface PlanResult {
  findings: Finding[];
  /** CREATE INDEX statements found, by "schema.table": the index check offers them. */
  indexFixes: Map<string, string>;
}

export async function queryPlans(ctx: HealthContext): Promise<PlanResult> {
  const indexFixes = new Map<string, string>();
  const gate = statementsGate(ctx, 'query-plans', 'monthly');
  if (gate) return { findings: [gate], indexFixes };
  const s = ctx.statements!;
  const major = Math.floor(ctx.v.versionNum / 10000);
  const findings = await guarded(ctx, 'query-plans', 'monthly', 'Plans of the top queries', async () => {
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
      for (const m of missing) indexFixes.set(`${m.table.schema}.${m.table.table}`, m.sql);
      const insights = planInsights(plan).sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
      const first = insights[0];
      const level: HealthLevel = missing.length > 0 ? 'warning' : first ? insightLevel(first) : 'ok';
      const m0 = missing[0];
      out.push({
        check: 'query-plans',
        schedule: 'monthly',
        level,
        subject: shortQuery(q),
        observed: `${formatCount(r.calls)} calls, mean ${round(r.meanExecMs, 2)} ms, ${r.pctOfTotal ?? '?'}% of time; plan: ${root?.label ?? '?'} (cost ${plan.summary.totalCost ?? '?'}, ${plan.summary.nodeCount} node${plan.summary.nodeCount === 1 ? '' : 's'})`,
        value: round(r.totalExecMs, 1),
        why: m0
          ? `The plan scans all ${formatCount(m0.table.liveTuples)} rows of ${m0.table.table} to keep an estimated ${formatCount(m0.node.planRows)} (filter ${m0.node.filter}).`
          : first
            ? first.why
            : `One of the statements that take the most time here; its ${hasParameters(q) ? 'generic ' : ''}plan shows nothing to fix.`,
        ...(m0 ? { fix: { kind: 'sql' as const, text: m0.sql } } : first ? { fix: insightFix(first) } : {}),
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
  return { findings, indexFixes };
}
