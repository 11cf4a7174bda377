// The dashboard's top-queries table: pg_stat_statements rows (when the extension is ready) and,
// for each, whether "Explain" can run its text. pg_stat_statements keeps normalised text, with
// constants replaced by $1, $2 …: only PostgreSQL 16+ can plan that (EXPLAIN (GENERIC_PLAN)).
import { checkStatement } from '../explain/safety';
import { settle } from '../stats/errors';
import type { Queryable } from '../stats/sql';
import { statementsReadiness, statementsStatus, topStatements } from '../stats/statements';

export interface TopQuery {
  /** pg_stat_statements' queryid, or a row number when it has none; the key "Explain" sends back. */
  id: string;
  query: string;
  database: string | null;
  user: string | null;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
  /** Share of all statements' execution time, percent. */
  pctOfTotal: number | null;
  /** Why "Explain" cannot run this text; undefined when it can. */
  notExplainable?: string;
  /** The text has $n parameters: it is explained with GENERIC_PLAN (16+). */
  generic: boolean;
}

export type TopQueries = { ok: true; rows: TopQuery[] } | { ok: false; reason: string };

const PARAM = /\$\d+/;

/** Whether EXPLAIN (without ANALYZE) can plan this text on this major, and how. */
export function explainability(text: string | null, major: number): { ok: true; generic: boolean } | { ok: false; reason: string } {
  if (!text || text === '<insufficient privilege>')
    return { ok: false, reason: 'the text of this statement is hidden from this role (pg_read_all_stats shows it)' };
  const safety = checkStatement(text);
  if (!safety.ok) return { ok: false, reason: safety.reason };
  const generic = PARAM.test(safety.sql);
  if (generic && major < 16)
    return { ok: false, reason: `the text has $n parameters; PostgreSQL ${major} cannot plan it without values (EXPLAIN (GENERIC_PLAN) needs 16+)` };
  return { ok: true, generic };
}

export async function readTopQueries(q: Queryable, args: { versionNum: number; limit?: number }): Promise<TopQueries> {
  const status = await settle(statementsStatus(q, args));
  if (!status.ok) return { ok: false, reason: status.error.message };
  const ready = statementsReadiness(status.value);
  if (!ready.ready) return { ok: false, reason: ready.reason ?? 'pg_stat_statements is not available' };
  const rows = await topStatements(q, {
    versionNum: args.versionNum,
    limit: args.limit ?? 25,
    schema: status.value.schema ?? 'public',
    extVersion: status.value.installedVersion,
    maxQueryLength: 10_000,
  });
  const major = Math.floor(args.versionNum / 10000);
  return {
    ok: true,
    rows: rows.map((r, i) => {
      const e = explainability(r.query, major);
      return {
        id: r.queryid ?? `row${i}`,
        query: r.query ?? '',
        database: r.database,
        user: r.user,
        calls: r.calls,
        totalMs: r.totalExecMs,
        meanMs: r.meanExecMs,
        rows: r.rows,
        pctOfTotal: r.pctOfTotal,
        generic: e.ok && e.generic,
        ...(e.ok ? {} : { notExplainable: e.reason }),
      };
    }),
  };
}
