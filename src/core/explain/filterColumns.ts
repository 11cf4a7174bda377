// Columns of the simple comparisons in a Filter / Join Filter expression, as EXPLAIN prints it:
// "((status = 'active'::text) AND (check_in_date >= '2025-01-01'::date))" → status, check_in_date.
// Only "column OP constant" (or "constant OP column") counts; equality columns come first, as in
// a B-tree index the equality columns should lead and a range column follow.
import { unquoteIdent } from '../db/sqlIdent';

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const COLUMN = String.raw`(?:(${IDENT})\.)?(${IDENT})(?:::[\w ]+)?`;
const OPS = String.raw`(=|<>|<=|>=|<|>|~~\*?|!~~\*?|= ANY|IS NULL|IS NOT NULL)`;
const CONST = String.raw`(?:'(?:[^']|'')*'(?:::[\w ."\[\]]+)?|-?\d+(?:\.\d+)?(?:::[\w ]+)?|\$\d+|true|false|\(\$\d+\)|NULL)`;
const LEFT = new RegExp(String.raw`\(${COLUMN}\s+${OPS}(?:\s+(${CONST}|\(?'\{[^}]*\}'[^)]*\)?))?\)`, 'g');
const RIGHT = new RegExp(String.raw`\(${CONST}\s+(=|<>|<=|>=|<|>)\s+${COLUMN}\)`, 'g');

export interface FilterColumn {
  /** Qualifier printed before the column (table alias), if any. */
  qualifier?: string;
  column: string;
  equality: boolean;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'true', 'false', 'NULL']);

export function filterColumns(expr: string): FilterColumn[] {
  const found: FilterColumn[] = [];
  const add = (qualifier: string | undefined, col: string | undefined, op: string) => {
    if (!col || KEYWORDS.has(col)) return;
    const column = unquoteIdent(col);
    const equality = op === '=' || op === '= ANY' || op === 'IS NULL';
    const existing = found.find((f) => f.column === column && f.qualifier === qualifier);
    if (existing) existing.equality ||= equality;
    else found.push({ qualifier: qualifier ? unquoteIdent(qualifier) : undefined, column, equality });
  };
  for (const m of expr.matchAll(LEFT)) {
    // "(a = b)" with b a column is a join condition, not a filter on a constant.
    if (m[4] === undefined && !/^IS /.test(m[3]!)) continue;
    add(m[1], m[2], m[3]!);
  }
  for (const m of expr.matchAll(RIGHT)) add(m[2], m[3], m[1]!);
  return [...found.filter((f) => f.equality), ...found.filter((f) => !f.equality)];
}

/** Join conditions "(a.x = b.y)": each side's qualifier and column. */
export function joinPairs(expr: string): [FilterColumn, FilterColumn][] {
  const re = new RegExp(String.raw`\(${COLUMN}\s+=\s+${COLUMN}\)`, 'g');
  const out: [FilterColumn, FilterColumn][] = [];
  for (const m of expr.matchAll(re)) {
    out.push([
      { qualifier: m[1] ? unquoteIdent(m[1]) : undefined, column: unquoteIdent(m[2]!), equality: true },
      { qualifier: m[3] ? unquoteIdent(m[3]) : undefined, column: unquoteIdent(m[4]!), equality: true },
    ]);
  }
  return out;
}
