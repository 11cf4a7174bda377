// What an index could serve in a statement, read from PostgreSQL's parse tree: per query level
// (each SELECT, UPDATE, DELETE, also inside CTEs and subqueries), the tables of its FROM and
// the columns or expressions its WHERE and JOIN … ON compare with "=" (IN, = ANY) or with a
// range (<, <=, >, >=, BETWEEN, LIKE with a fixed prefix), and those of its ORDER BY. Which table an unqualified column
// belongs to needs the catalog: candidates.ts resolves it. The walk is iterative and bounded.
import { quoteIdent, readableIdent } from '../db/sqlIdent';
import { quoteLiteral } from '../stats/sql';

/** A parse-tree node as JSON: { NodeName: { fields } }. */
type Json = Record<string, unknown>;

/** Nodes visited at most; a statement past it is read only that far. */
export const MAX_NODES = 200_000;

export interface TableRef {
  schema?: string;
  name: string;
  /** The alias, or the name when none: what qualifies its columns. */
  qualifier: string;
  /** A WITH query's name, not a table. */
  cte: boolean;
}

/** A column or an indexable expression over columns of one table. */
export interface KeyPart {
  /** For an expression: the function call, every identifier quoted (runnable inside CREATE INDEX). */
  sql: string;
  /** As a person reads it and as pg_get_indexdef prints it: check_in_date, lower(email). */
  label: string;
  expression: boolean;
  /** The qualifier of its columns (all the same), undefined when unqualified. */
  qualifier?: string;
  /** The columns it reads. */
  columns: string[];
  /** An operator class only it serves: text_pattern_ops for LIKE 'abc%' (in any collation; the label carries it). */
  opclass?: 'text_pattern_ops';
}

/** join: compared with another table's column (or IN (SELECT …)): served by an index of its own. */
export type UseRole = 'eq' | 'range' | 'order' | 'join';

export interface ColumnUse {
  role: UseRole;
  key: KeyPart;
  /** Columns on the other side of the comparison: a use is dropped when one is of the same table. */
  against: { qualifier?: string; column: string }[];
}

export interface QueryLevel {
  tables: TableRef[];
  uses: ColumnUse[];
  /** It has a LIMIT: an index in ORDER BY order can stop early. */
  limited: boolean;
}

export interface StatementShape {
  levels: QueryLevel[];
  /** The highest $n: the parameters pg_stat_statements put in place of constants. */
  params: number;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const node = (v: unknown, kind: string): Json | undefined => (isObj(v) && isObj(v[kind]) ? v[kind] : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => node(v, 'String')?.sval as string | undefined;

/** Column reference → qualifier and column; undefined for a star or a three-part name of another database. */
function columnRef(v: unknown): { qualifier?: string; column: string } | undefined {
  const c = node(v, 'ColumnRef');
  if (!c) return undefined;
  const parts = list(c.fields).map(str);
  if (parts.some((p) => p === undefined) || parts.length === 0 || parts.length > 3) return undefined;
  const names = parts as string[];
  const column = names[names.length - 1]!;
  return names.length === 1 ? { column } : { qualifier: names[names.length - 2]!, column };
}

const FUNC_DEPTH = 4;

/** A key an index can hold: a column, or a function call over one table's columns and constants. */
export function keyOf(v: unknown, depth = 0): KeyPart | undefined {
  const col = columnRef(v);
  if (col) return { sql: quoteIdent(col.column), label: readableIdent(col.column), expression: false, qualifier: col.qualifier, columns: [col.column] };
  const f = node(v, 'FuncCall');
  if (f && depth < FUNC_DEPTH) {
    if (f.agg_star || f.agg_distinct || f.over || f.agg_order || f.agg_filter || f.func_variadic) return undefined;
    const name = list(f.funcname).map(str);
    if (name.length === 0 || name.some((n) => n === undefined)) return undefined;
    // pg_catalog.lower is lower: pg_get_indexdef prints built-ins without their schema.
    const fname = (name as string[]).filter((n, i) => !(i === 0 && n === 'pg_catalog' && name.length > 1));
    const args: { sql: string; label: string }[] = [];
    const columns: string[] = [];
    let qualifier: string | undefined;
    for (const a of list(f.args)) {
      const c = constOf(a);
      if (c) {
        args.push({ sql: c, label: c });
        continue;
      }
      const k = keyOf(a, depth + 1);
      if (!k) return undefined;
      if (k.qualifier !== undefined) {
        if (qualifier !== undefined && qualifier !== k.qualifier) return undefined;
        qualifier = k.qualifier;
      }
      columns.push(...k.columns);
      args.push({ sql: k.sql, label: k.label });
    }
    if (columns.length === 0) return undefined;
    return {
      sql: `${fname.map(quoteIdent).join('.')}(${args.map((a) => a.sql).join(', ')})`,
      label: `${fname.map(readableIdent).join('.')}(${args.map((a) => a.label).join(', ')})`,
      expression: true,
      qualifier,
      columns,
    };
  }
  return undefined;
}

/** A string or number constant as SQL text. */
function constOf(v: unknown): string | undefined {
  const c = node(v, 'A_Const');
  if (!c) return undefined;
  if (isObj(c.sval)) return quoteLiteral(typeof c.sval.sval === 'string' ? c.sval.sval : '');
  if (isObj(c.ival)) return String(Number(c.ival.ival ?? 0));
  if (isObj(c.fval) && typeof c.fval.fval === 'string' && /^[0-9.eE+-]+$/.test(c.fval.fval)) return c.fval.fval;
  return undefined;
}

/** LIKE's pattern is a constant with a fixed prefix (no leading % or _): a parameter's is not known. */
function likePrefix(v: unknown): boolean {
  const c = node(v, 'A_Const');
  const text = c && isObj(c.sval) && typeof c.sval.sval === 'string' ? c.sval.sval : undefined;
  return text !== undefined && text.length > 0 && !/^[%_\\]/.test(text);
}

/** Every column an expression reads (for the other side of a comparison), bounded. */
function columnsIn(v: unknown): { qualifier?: string; column: string }[] {
  const out: { qualifier?: string; column: string }[] = [];
  const stack: unknown[] = [v];
  let seen = 0;
  while (stack.length && seen++ < 10_000) {
    const x = stack.pop();
    const c = columnRef(x);
    if (c) {
      out.push(c);
      continue;
    }
    if (node(x, 'SubLink')) continue; // a subquery is a level of its own
    if (Array.isArray(x)) pushAll(stack, x as unknown[]);
    else if (isObj(x)) pushAll(stack, Object.values(x));
  }
  return out;
}

const EQ = new Set(['=']);
const RANGE = new Set(['<', '<=', '>', '>=']);

/** The uses in a WHERE or ON condition: AND-ed comparisons only (an OR needs more than one index). */
function conditionUses(cond: unknown, out: ColumnUse[]): void {
  const stack: unknown[] = [cond];
  while (stack.length) {
    const x = stack.pop();
    const b = node(x, 'BoolExpr');
    if (b) {
      if (b.boolop === 'AND_EXPR') pushAll(stack, list(b.args).reverse()); // popped in the written order
      continue;
    }
    const sub = node(x, 'SubLink');
    if (sub) {
      const key = sub.subLinkType === 'ANY_SUBLINK' ? keyOf(sub.testexpr) : undefined;
      if (key) out.push({ role: 'join', key, against: [] });
      continue;
    }
    const e = node(x, 'A_Expr');
    if (!e) continue;
    const op = list(e.name).map(str).join('.');
    const kind = e.kind as string;
    const add = (role: UseRole, side: unknown, other: unknown) => {
      const key = keyOf(side);
      if (key) out.push({ role, key, against: columnsIn(other) });
    };
    if (kind === 'AEXPR_OP' && (EQ.has(op) || RANGE.has(op))) {
      const role: UseRole = EQ.has(op) ? 'eq' : 'range';
      add(role, e.lexpr, e.rexpr);
      add(role, e.rexpr, e.lexpr);
    } else if (kind === 'AEXPR_LIKE' && op === '~~' && likePrefix(e.rexpr)) {
      // A range over the prefix, which only text_pattern_ops serves outside the C collation.
      const key = keyOf(e.lexpr);
      if (key) out.push({ role: 'range', key: { ...key, label: `${key.label} text_pattern_ops`, opclass: 'text_pattern_ops' }, against: [] });
    } else if ((kind === 'AEXPR_IN' && op === '=') || (kind === 'AEXPR_OP_ANY' && op === '=')) add('eq', e.lexpr, e.rexpr);
    else if (kind === 'AEXPR_BETWEEN' || kind === 'AEXPR_BETWEEN_SYM') add('range', e.lexpr, e.rexpr);
  }
}

/** The tables of a FROM list (joins flattened), and the ON conditions met on the way. */
function fromTables(from: unknown[], ctes: ReadonlySet<string>, tables: TableRef[], conditions: unknown[]): void {
  const stack: unknown[] = [...from].reverse();
  while (stack.length) {
    const x = stack.pop();
    const rv = node(x, 'RangeVar');
    if (rv) {
      const name = typeof rv.relname === 'string' ? rv.relname : '';
      const schema = typeof rv.schemaname === 'string' ? rv.schemaname : undefined;
      const alias = isObj(rv.alias) && typeof rv.alias.aliasname === 'string' ? rv.alias.aliasname : undefined;
      tables.push({ ...(schema ? { schema } : {}), name, qualifier: alias ?? name, cte: !schema && ctes.has(name) });
      continue;
    }
    const j = node(x, 'JoinExpr');
    if (j) {
      if (j.quals) conditions.push(j.quals);
      stack.push(j.rarg, j.larg);
    }
    // RangeSubselect, RangeFunction: their own levels, found by the walk.
  }
}

/** push(...items) without the spread: a list of 100,000 (an IN list, a hostile tree) would overflow the call stack. */
function pushAll(stack: unknown[], items: readonly unknown[]): void {
  for (const it of items) stack.push(it);
}

/** The shape of the first statement of a parse result (parseStatement's output). */
export function statementShape(tree: unknown): StatementShape {
  const levels: QueryLevel[] = [];
  let params = 0;
  const ctes = new Set<string>();
  const stmts = list(isObj(tree) ? tree.stmts : undefined);
  const first = isObj(stmts[0]) ? stmts[0].stmt : undefined;
  // First pass: WITH names and parameters; levels are collected in the same walk.
  const stack: unknown[] = [first];
  let seen = 0;
  const pending: { kind: string; body: Json }[] = [];
  while (stack.length && seen++ < MAX_NODES) {
    const x = stack.pop();
    if (Array.isArray(x)) {
      pushAll(stack, x as unknown[]);
      continue;
    }
    if (!isObj(x)) continue;
    for (const [k, v] of Object.entries(x)) {
      if (k === 'ParamRef' && isObj(v)) params = Math.max(params, Number(v.number ?? 0));
      if (k === 'CommonTableExpr' && isObj(v) && typeof v.ctename === 'string') ctes.add(v.ctename);
      if ((k === 'SelectStmt' || k === 'UpdateStmt' || k === 'DeleteStmt') && isObj(v)) pending.push({ kind: k, body: v });
      if (isObj(v) || Array.isArray(v)) stack.push(v);
    }
  }
  for (const { kind, body } of pending) {
    const tables: TableRef[] = [];
    const conditions: unknown[] = [];
    if (kind === 'SelectStmt') fromTables(list(body.fromClause), ctes, tables, conditions);
    else {
      fromTables([{ RangeVar: body.relation }], ctes, tables, conditions);
      fromTables(list(kind === 'UpdateStmt' ? body.fromClause : body.usingClause), ctes, tables, conditions);
    }
    if (tables.length === 0) continue;
    const uses: ColumnUse[] = [];
    if (body.whereClause) conditions.push(body.whereClause);
    for (const c of conditions) conditionUses(c, uses);
    for (const s of list(body.sortClause)) {
      const by = node(s, 'SortBy');
      const key = by ? keyOf(by.node) : undefined;
      if (key) uses.push({ role: 'order', key, against: [] });
    }
    levels.push({ tables, uses, limited: body.limitCount !== undefined });
  }
  return { levels, params };
}
