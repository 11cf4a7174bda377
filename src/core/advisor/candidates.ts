// Candidate indexes of one statement: its uses (predicates.ts) resolved to tables with the
// catalog, then per table the columns compared with "=" first and the range columns after them
// (a btree index serves the equality columns and then one range; a second range column still
// filters inside the index), or the ORDER BY columns when there is no range. Candidates whose
// columns already lead a valid index are left out: those statements are served.
import type { ColumnUse, KeyPart, QueryLevel, StatementShape, TableRef } from './predicates';

export interface RelationInfo {
  schema: string;
  name: string;
  partitioned: boolean;
  columns: readonly string[];
  /** The leaf partitions of a partitioned table (where indexes, hypothetical too, are built). */
  leaves: readonly { schema: string; name: string }[];
  /** Each valid, non-partial btree index's key columns as pg_get_indexdef prints them. */
  indexKeys: readonly (readonly string[])[];
}

export interface IndexCandidate {
  /** "schema.table (a, b)": one index, whatever statement proposed it. */
  id: string;
  relation: RelationInfo;
  keys: KeyPart[];
}

/** Columns per part of a candidate. */
const MAX_EQ = 3;
const MAX_RANGE = 2;

export function candidateId(r: Pick<RelationInfo, 'schema' | 'name'>, keys: readonly Pick<KeyPart, 'label'>[]): string {
  return `${r.schema}.${r.name} (${keys.map((k) => k.label).join(', ')})`;
}

/** The candidate's columns lead an index that exists. */
export function alreadyIndexed(r: RelationInfo, keys: readonly Pick<KeyPart, 'label'>[]): boolean {
  return r.indexKeys.some((ix) => ix.length >= keys.length && keys.every((k, i) => ix[i] === k.label));
}

interface Instance {
  ref: TableRef;
  rel?: RelationInfo;
}

/** The table of a level a column belongs to: by its qualifier, else the one table that has it. */
function resolve(level: Instance[], qualifier: string | undefined, columns: readonly string[]): number | undefined {
  if (qualifier !== undefined) {
    const i = level.findIndex((t) => t.ref.qualifier === qualifier);
    return i >= 0 ? i : undefined;
  }
  const having = level.flatMap((t, i) => (t.rel && columns.every((c) => t.rel!.columns.includes(c)) ? [i] : []));
  return having.length === 1 ? having[0] : undefined;
}

function levelCandidates(level: QueryLevel, lookup: (t: TableRef) => RelationInfo | undefined): { primary: IndexCandidate[]; variants: IndexCandidate[] } {
  const inst: Instance[] = level.tables.map((ref) => ({ ref, ...(ref.cte ? {} : { rel: lookup(ref) }) }));
  const per = new Map<number, { eq: KeyPart[]; range: KeyPart[]; order: KeyPart[]; join: KeyPart[] }>();
  const orderOwners = new Set<number | undefined>();
  const orderKeys: { i: number; key: KeyPart }[] = [];
  const slot = (i: number) => {
    let s = per.get(i);
    if (!s) per.set(i, (s = { eq: [], range: [], order: [], join: [] }));
    return s;
  };
  const usable = (u: ColumnUse): { i: number; join: boolean } | undefined => {
    const i = resolve(inst, u.key.qualifier, u.key.columns);
    if (i === undefined || !inst[i]!.rel) return undefined;
    const others = u.against.map((a) => resolve(inst, a.qualifier, [a.column]));
    // a = b of the same table is no key lookup; against another table's column it is a join
    if (others.includes(i)) return undefined;
    return { i, join: u.role === 'join' || (u.role === 'eq' && others.some((o) => o !== undefined)) };
  };
  for (const u of level.uses) {
    const r = usable(u);
    const i = r?.i;
    if (u.role === 'order') {
      orderOwners.add(i);
      if (i !== undefined) orderKeys.push({ i, key: u.key });
      continue;
    }
    if (i === undefined) continue;
    const s = slot(i);
    const into = r!.join ? s.join : u.role === 'eq' ? s.eq : s.range;
    if (!into.some((k) => k.label === u.key.label)) into.push(u.key);
  }
  // ORDER BY helps an index only when all of it is one table's.
  if (orderOwners.size === 1 && !orderOwners.has(undefined))
    for (const { i, key } of orderKeys) {
      const s = slot(i);
      if (!s.order.some((k) => k.label === key.label)) s.order.push(key);
    }
  const primary: IndexCandidate[] = [];
  const variants: IndexCandidate[] = [];
  for (const [i, s] of per) {
    const rel = inst[i]!.rel!;
    const eq = s.eq.slice(0, MAX_EQ);
    const range = s.range.filter((k) => !eq.some((e) => e.label === k.label)).slice(0, MAX_RANGE);
    // ORDER BY alone is worth an index only when a LIMIT lets the scan stop early
    const order = eq.length || level.limited ? s.order.filter((k) => !eq.some((e) => e.label === k.label)) : [];
    const make = (keys: KeyPart[]): IndexCandidate | undefined =>
      keys.length === 0 || alreadyIndexed(rel, keys) ? undefined : { id: candidateId(rel, keys), relation: rel, keys };
    const main = make([...eq, ...(range.length ? range : order)]);
    // each join column after the table's equality columns: the inner side of a nested loop
    // (an index on the join column alone serves it already: nothing to add)
    const joins = s.join.filter((k) => !eq.some((e) => e.label === k.label) && !alreadyIndexed(rel, [k])).map((k) => make([...eq, k]));
    for (const c of [main, ...joins]) if (c && !primary.some((p) => p.id === c.id)) primary.push(c);
    const tries = [main, ...joins, make(eq), ...range.map((r) => make([...eq, r])), range.length ? make([...eq, ...order]) : undefined];
    for (const c of tries) if (c && !variants.some((v) => v.id === c.id)) variants.push(c);
  }
  return { primary, variants };
}

/**
 * primary: one candidate per table the statement filters, joins or orders (what is shown when it
 * cannot be verified); variants: those and their narrower forms, to try with hypothetical indexes.
 */
export function statementCandidates(
  shape: StatementShape,
  lookup: (t: TableRef) => RelationInfo | undefined,
): { primary: IndexCandidate[]; variants: IndexCandidate[] } {
  const primary: IndexCandidate[] = [];
  const variants: IndexCandidate[] = [];
  for (const level of shape.levels) {
    const r = levelCandidates(level, lookup);
    for (const c of r.primary) if (!primary.some((p) => p.id === c.id)) primary.push(c);
    for (const c of r.variants) if (!variants.some((p) => p.id === c.id)) variants.push(c);
  }
  return { primary, variants };
}
