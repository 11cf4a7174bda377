// Columns of the simple comparisons in a Filter / Join Filter expression, as EXPLAIN prints it:
// "((status = 'active'::text) AND (check_in_date >= '2025-01-01'::date))" → status, check_in_date.
// Only "column OP constant" (or "constant OP column") counts, a cast column "(email)::text" too;
// equality columns come first, as in a B-tree index the equality columns should lead and a range
// column follow. indexColumns keeps only what a B-tree can serve, for the index advice.
// filterExpressions finds the other comparisons: "lower(email) = 'x'", whose statistics only an
// expression index (or extended statistics) gives.
import { unquoteIdent } from '../db/sqlIdent';

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const COLUMN = String.raw`(?:(${IDENT})\.)?(${IDENT})(?:::[\w ]+)?`;
/** "((email)::text = …": a cast column, as EXPLAIN prints a varchar compared with text. */
const CAST_COLUMN = new RegExp(String.raw`(?<![\w$])\(\(((?:${IDENT}\.)?${IDENT})\)::`, 'g');
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
  expr = expr.replace(CAST_COLUMN, '($1::');
  for (const m of expr.matchAll(LEFT)) {
    // "(a = b)" with b a column is a join condition, not a filter on a constant.
    if (m[4] === undefined && !/^IS /.test(m[3]!)) continue;
    add(m[1], m[2], m[3]!);
  }
  for (const m of expr.matchAll(RIGHT)) add(m[2], m[3], m[1]!);
  return [...found.filter((f) => f.equality), ...found.filter((f) => !f.equality)];
}

/** A column an index can serve: `opclass` when only a pattern operator class serves it (LIKE 'abc%'). */
export interface IndexColumn extends FilterColumn {
  opclass?: 'text_pattern_ops';
}

const TERM_LEFT = new RegExp(String.raw`^${COLUMN}\s+${OPS}(?:\s+(${CONST}|\(?'\{[^}]*\}'[^)]*\)?))?$`);
const TERM_RIGHT = new RegExp(String.raw`^${CONST}\s+(=|<>|<=|>=|<|>)\s+${COLUMN}$`);

/** Whether LIKE's pattern (a literal, as EXPLAIN prints it) has a fixed prefix, which a B-tree range serves; not a parameter, nor a leading wildcard. */
const hasLikePrefix = (constant: string): boolean => /^'(?!%|_)(?:[^']|'')/.test(constant);

/**
 * The columns of a filter a B-tree index can serve, equality first, then range: only top-level
 * AND terms (an OR needs an index per branch), and only =, = ANY, IS NULL (equality) or <, <=, >,
 * >=, IS NOT NULL and LIKE with a fixed prefix (range, through text_pattern_ops in any
 * collation). <>, NOT IN (<> ALL), NOT LIKE, ILIKE, a leading wildcard or a parameter pattern
 * cannot use one: their columns are left out.
 */
export function indexColumns(expr: string): IndexColumn[] {
  if (expr.length > MAX_FILTER_LENGTH) return [];
  const found: IndexColumn[] = [];
  const add = (qualifier: string | undefined, col: string, use: 'equality' | 'range' | 'pattern') => {
    if (KEYWORDS.has(col)) return;
    const c: IndexColumn = { qualifier: qualifier ? unquoteIdent(qualifier) : undefined, column: unquoteIdent(col), equality: use === 'equality' };
    const existing = found.find((f) => f.column === c.column && f.qualifier === c.qualifier);
    if (!existing) found.push(use === 'pattern' ? { ...c, opclass: 'text_pattern_ops' } : c);
    else if (use === 'equality') existing.equality = true;
    else if (use === 'range') delete existing.opclass; // the plain class serves <, >; pattern ops would not
  };
  for (const term of andTerms(expr.replace(CAST_COLUMN, '($1::'))) {
    const left = TERM_LEFT.exec(term);
    if (left) {
      const [, q, col, op, constant] = left;
      if (constant === undefined && !op!.startsWith('IS ')) continue; // "a = b": a join condition
      if (op === '=' || op === '= ANY' || op === 'IS NULL') add(q, col!, 'equality');
      else if (/^(<=?|>=?|IS NOT NULL)$/.test(op!)) add(q, col!, 'range');
      else if (op === '~~' && constant !== undefined && hasLikePrefix(constant)) add(q, col!, 'pattern');
      continue;
    }
    const right = TERM_RIGHT.exec(term);
    if (right && right[1] !== '<>') add(right[2], right[3]!, right[1] === '=' ? 'equality' : 'range');
  }
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

/** Hostile input bounds: a longer filter is not looked into, and only so many terms. */
const MAX_FILTER_LENGTH = 20_000;
const MAX_TERMS = 64;
const CONST_ONLY = new RegExp(String.raw`^${CONST}$`);
const COLUMN_ONLY = new RegExp(String.raw`^\(?(?:${IDENT}\.)?${IDENT}\)?(?:::[\w ]+)?$`);
const COMPARISON = /^ (=|<>|<=|>=|<|>|~~\*?) /;
/** The comparisons of an expression a B-tree index on it serves (LIKE would need a pattern class). */
const INDEX_OPS = new Set(['=', '<', '<=', '>', '>=']);

/**
 * Visits each character outside '…' and "…" with the parenthesis depth before it; stops when
 * visit returns true. One pass: a doubled quote closes and reopens, so it stays inside.
 */
function scanTopLevel(s: string, visit: (i: number, depth: number) => boolean): void {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      continue;
    }
    if (visit(i, depth)) return;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
}

/** "(x)" → "x", as long as the first parenthesis is the one that closes at the end. */
function stripOuter(s: string): string {
  for (let k = 0; k < 8 && s.startsWith('('); k++) {
    let closeAt = -1;
    scanTopLevel(s, (i, depth) => {
      if (s[i] === ')' && depth === 1) closeAt = i;
      return closeAt >= 0;
    });
    if (closeAt !== s.length - 1) break;
    s = s.slice(1, -1).trim();
  }
  return s;
}

/**
 * An expression that can go into a CREATE INDEX shown to a person: quotes closed, parentheses
 * balanced, and outside literals no statement end or comment (a pasted plan is anyone's text).
 */
function wellFormed(e: string): boolean {
  let depth = 0;
  let bad = false;
  scanTopLevel(e + ' ', (i, d) => {
    depth = d;
    bad = d < 0 || e[i] === ';' || e.startsWith('--', i) || e.startsWith('/*', i);
    return bad;
  });
  const outside = e.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, '');
  return !bad && depth === 0 && !/['"]/.test(outside);
}

/** The top-level AND terms of a filter, each without its outer parentheses. */
function andTerms(expr: string): string[] {
  const s = stripOuter(expr.trim());
  const terms: string[] = [];
  let start = 0;
  scanTopLevel(s, (i, depth) => {
    if (depth === 0 && s.startsWith(' AND ', i)) {
      terms.push(s.slice(start, i));
      start = i + 5;
    }
    return terms.length >= MAX_TERMS;
  });
  if (terms.length < MAX_TERMS) terms.push(s.slice(start));
  return terms.map((t) => stripOuter(t.trim()));
}

/**
 * The expressions compared with a constant ("lower(email)" of "(lower(email) = 'x'::text)"), as
 * EXPLAIN prints them: not plain columns (filterColumns has those), nor anything holding a
 * parameter or a subplan, which no index can hold. For `index`, only the comparisons an index on
 * the expression serves.
 */
export function filterExpressions(expr: string, use: 'statistics' | 'index' = 'statistics'): string[] {
  if (expr.length > MAX_FILTER_LENGTH) return [];
  const out: string[] = [];
  for (const term of andTerms(expr)) {
    let opAt = -1;
    let opLen = 0;
    let op = '';
    scanTopLevel(term, (i, depth) => {
      const m = depth === 0 && term[i] === ' ' ? COMPARISON.exec(term.slice(i, i + 6)) : null;
      if (m) [opAt, opLen, op] = [i, m[0].length, m[1]!];
      return opAt >= 0;
    });
    // Statistics on an expression help every operator's estimate; an index serves only these.
    if (opAt < 0 || (use === 'index' && !INDEX_OPS.has(op))) continue;
    const left = stripOuter(term.slice(0, opAt).trim());
    const right = stripOuter(term.slice(opAt + opLen).trim());
    if (!CONST_ONLY.test(right) || COLUMN_ONLY.test(left) || CONST_ONLY.test(left)) continue;
    if (/\$\d|SubPlan|InitPlan/.test(left) || !wellFormed(left)) continue;
    if (!out.includes(left)) out.push(left);
  }
  return out;
}
