// The index advisor: candidate indexes from the top statements' parse trees, proved with
// hypothetical indexes where HypoPG is installed. A statement is helped when it costs at least
// MIN_COST and its cost falls by MIN_FALL with the index (dexter's rules); of the indexes that
// pass, the cheapest wins, and a wider one only when it costs at least 10% less than a narrower.
// An index whose columns lead another suggested one on the same table is folded into it, and
// each suggestion's statements are planned again with exactly that index: the figures shown.
// Without HypoPG the same candidates come out labelled "not verified", with how to install it.
import type pg from 'pg';
import { quoteIdent } from '../db/sqlIdent';
import { checkStatement } from '../explain/safety';
import { isApplicationQuery } from '../health/plans';
import { advisedRelations, hypopgStatus } from '../stats/indexAdvice';
import { topStatements } from '../stats/statements';
import { candidateId, statementCandidates, type IndexCandidate, type RelationInfo } from './candidates';
import { ExplainSession, type AdvisedStatement } from './explainSession';
import { hypotheticalSql, indexSteps, stepsSql } from './indexDdl';
import { statementShape, type TableRef } from './predicates';
import { parseStatement } from './sqlParser';
import {
  MIN_COST,
  MIN_FALL,
  type AdvisorInput,
  type AdvisorReport,
  type ExaminedStatement,
  type HypopgState,
  type IndexSuggestion,
  type SuggestedStatement,
} from './types';

/** A wider index must beat a narrower one by this share to be preferred (it is bigger to keep). */
const WIDER_GAIN = 0.1;

export interface AdviseOptions {
  pool: pg.Pool;
  versionNum: number;
  statements: readonly AdvisorInput[];
  /** statement_timeout of the advisor's EXPLAINs (default 10 s). */
  explainTimeoutMs?: number;
  signal?: AbortSignal;
}

/** The top statements of this database by total time that read or change application tables. */
export async function topAdvisorInputs(
  pool: pg.Pool,
  o: { versionNum: number; schema: string; extVersion: string | null; database: string; limit?: number },
): Promise<AdvisorInput[]> {
  const rows = await topStatements(pool, { versionNum: o.versionNum, schema: o.schema, extVersion: o.extVersion, orderBy: 'total', limit: 200 });
  return rows
    .filter((r) => r.database === o.database && r.query && r.query !== '<insufficient privilege>' && isApplicationQuery(r.query))
    .slice(0, o.limit ?? 20)
    .map((r) => ({ query: r.query!, queryid: r.queryid, calls: r.calls, totalExecMs: r.totalExecMs }));
}

export function hypopgInstall(state: HypopgState, versionNum: number): string | undefined {
  const major = Math.floor(versionNum / 10000);
  if (state.state === 'installed') return undefined;
  const create = 'then, in this database as a superuser: CREATE EXTENSION hypopg; (no restart needed)';
  return state.state === 'available'
    ? `HypoPG ${state.version} is on the server but not created in this database: CREATE EXTENSION hypopg;`
    : `HypoPG is not on the server: apt install postgresql-${major}-hypopg (Debian, Ubuntu: the distribution's own archive has it for its own major only, e.g. 15 on Debian 12; for another, the apt.postgresql.org repository; hypopg_${major} on RHEL from yum.postgresql.org), ${create}`;
}

interface Parsed {
  input: AdvisorInput;
  st: AdvisedStatement;
  refs: TableRef[];
  shape: ReturnType<typeof statementShape>;
}

const lookupName = (t: TableRef) => (t.schema ? `${quoteIdent(t.schema)}.${quoteIdent(t.name)}` : quoteIdent(t.name));

export async function adviseIndexes(o: AdviseOptions): Promise<AdvisorReport> {
  const v = { versionNum: o.versionNum };
  const h = await hypopgStatus(o.pool, v);
  const hypopg: HypopgState = h.installedVersion
    ? { state: 'installed', version: h.installedVersion, schema: h.schema ?? 'public' }
    : h.availableVersion
      ? { state: 'available', version: h.availableVersion }
      : { state: 'missing' };
  const verified = hypopg.state === 'installed';
  const examined: ExaminedStatement[] = [];
  const parsed: Parsed[] = [];
  for (const input of o.statements) {
    const safety = checkStatement(input.query);
    if (!safety.ok) {
      examined.push({ query: input.query, outcome: 'not-explained', reason: safety.reason });
      continue;
    }
    try {
      const shape = statementShape(await parseStatement(safety.sql));
      parsed.push({ input, st: { sql: safety.sql, params: shape.params }, shape, refs: shape.levels.flatMap((l) => l.tables.filter((t) => !t.cte)) });
    } catch (e) {
      examined.push({
        query: input.query,
        outcome: 'not-explained',
        reason: `the parser refused it (${(e as Error).message}); a text cut by track_activity_query_size reads so`,
      });
    }
  }
  const names = [...new Set(parsed.flatMap((p) => p.refs.map(lookupName)))];
  const relations = new Map<string, RelationInfo>();
  if (names.length)
    for (const r of await advisedRelations(o.pool, { ...v, names }))
      relations.set(r.lookup, {
        schema: r.schema,
        name: r.name,
        partitioned: r.partitioned,
        columns: r.columns,
        leaves: r.leafNames.map((name, i) => ({ schema: r.leafSchemas[i] ?? r.schema, name })),
        indexKeys: r.indexKeys.map((k) => k.split('\u001f')),
      });
  const lookup = (t: TableRef) => relations.get(lookupName(t));

  const chosen = new Map<string, { candidate: IndexCandidate; statements: Parsed[] }>();
  const base = new Map<Parsed, number>();
  const pick = (c: IndexCandidate, p: Parsed) => {
    const e = chosen.get(c.id) ?? { candidate: c, statements: [] };
    e.statements.push(p);
    chosen.set(c.id, e);
  };
  const session = await ExplainSession.open(o.pool, {
    versionNum: o.versionNum,
    timeoutMs: o.explainTimeoutMs ?? 10_000,
    ...(hypopg.state === 'installed' ? { hypopgSchema: hypopg.schema } : {}),
  });
  try {
    for (const p of parsed) {
      if (o.signal?.aborted) throw new Error('cancelled');
      // No table of this database's own (catalog monitoring, another database's tables): not ours to advise.
      if (!p.refs.some((t) => lookup(t))) continue;
      const { primary, variants } = statementCandidates(p.shape, lookup);
      if (primary.length === 0) {
        examined.push({ query: p.input.query, outcome: 'no-candidate', reason: 'no column of its filters, joins or ordering lacks an index' });
        continue;
      }
      let before: number;
      try {
        before = (await session.cost(p.st)).totalCost;
      } catch (e) {
        examined.push({ query: p.input.query, outcome: 'not-explained', reason: `EXPLAIN failed: ${(e as Error).message}` });
        continue;
      }
      base.set(p, before);
      if (before < MIN_COST) {
        examined.push({
          query: p.input.query,
          outcome: 'cheap',
          costBefore: before,
          reason: `its plan costs ${round(before)}, below ${MIN_COST}: an index would not pay`,
        });
        continue;
      }
      if (!verified) {
        for (const c of primary) pick(c, p);
        examined.push({
          query: p.input.query,
          outcome: 'candidate',
          costBefore: before,
          reason: `candidates ${primary.map((c) => c.id).join('; ')} (not verified)`,
        });
        continue;
      }
      let best: { c: IndexCandidate; cost: number } | undefined;
      for (const c of [...variants].sort((a, b) => a.keys.length - b.keys.length)) {
        const after = await costWith(session, c, p.st);
        if (after === undefined || after > before * (1 - MIN_FALL)) continue;
        if (!best || after < best.cost * (c.keys.length > best.c.keys.length ? 1 - WIDER_GAIN : 1)) best = { c, cost: after };
      }
      if (!best) {
        examined.push({
          query: p.input.query,
          outcome: 'no-gain',
          costBefore: before,
          reason: `no candidate lowers its cost of ${round(before)} by ${MIN_FALL * 100}%`,
        });
        continue;
      }
      pick(best.c, p);
      examined.push({ query: p.input.query, outcome: 'suggested', costBefore: before, reason: best.c.id });
    }
    // Fold an index into a wider one on the same table whose leading columns are its own.
    const entries = [...chosen.values()].sort((a, b) => b.candidate.keys.length - a.candidate.keys.length);
    const kept: typeof entries = [];
    for (const e of entries) {
      const wider = kept.find(
        (k) => k.candidate.relation === e.candidate.relation && e.candidate.keys.every((key, i) => k.candidate.keys[i]?.label === key.label),
      );
      if (wider) wider.statements.push(...e.statements.filter((s) => !wider.statements.includes(s)));
      else kept.push(e);
    }
    const suggestions: IndexSuggestion[] = [];
    for (const { candidate: c, statements } of kept) {
      const out: SuggestedStatement[] = [];
      for (const p of statements) {
        const before = base.get(p)!;
        const row = {
          query: p.input.query,
          queryid: p.input.queryid ?? null,
          calls: p.input.calls ?? 0,
          totalExecMs: p.input.totalExecMs ?? 0,
          costBefore: before,
        };
        if (!verified) {
          out.push(row);
          continue;
        }
        const after = await costWith(session, c, p.st);
        if (after !== undefined && after <= before * (1 - MIN_FALL)) out.push({ ...row, costAfter: after, fallPct: round((100 * (before - after)) / before) });
      }
      if (out.length === 0) continue;
      const steps = indexSteps(c.relation, c.keys);
      suggestions.push({
        id: candidateId(c.relation, c.keys),
        schema: c.relation.schema,
        table: c.relation.name,
        keys: c.keys.map((k) => k.label),
        partitioned: c.relation.partitioned,
        verified,
        statements: out.sort((a, b) => b.totalExecMs - a.totalExecMs),
        sql: stepsSql(steps),
        steps,
      });
    }
    const install = hypopgInstall(hypopg, o.versionNum);
    return { hypopg, verified, ...(install ? { install } : {}), suggestions, examined };
  } finally {
    await session.close();
  }
}

/** The statement's cost with the candidate as a hypothetical index; undefined when it cannot be made. */
async function costWith(session: ExplainSession, c: IndexCandidate, st: AdvisedStatement): Promise<number | undefined> {
  try {
    // The cost alone tells: a hypothetical index changes it only when the plan uses it (before 16
    // EXECUTE with NULLs prunes every partition's scan from the plan's text, not from its cost).
    return await session.withHypothetical(hypotheticalSql(c.relation, c.keys), async () => (await session.cost(st)).totalCost);
  } catch {
    return undefined; // e.g. an expression whose function is not IMMUTABLE: no index can hold it
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
