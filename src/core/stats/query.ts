// A stats query is declared once: its SQL (chosen by server_version_num) and the shape of its
// rows. The same declaration runs the query, gives the tree its "copy SQL", and lets the tests
// check every row against the declared shape on every major.
import { toStatsError } from './errors';
import { inlineSql, type Queryable, type SqlQuery } from './sql';

export type ColumnType = 'string' | 'number' | 'boolean' | 'string?' | 'number?' | 'boolean?' | 'number[]' | 'string[]' | 'string[]?';

/** The column type a TypeScript field type must be declared with; `never` flags a mismatch. */
type ColumnOf<T> = [T] extends [string]
  ? 'string'
  : [T] extends [number]
    ? 'number'
    : [T] extends [boolean]
      ? 'boolean'
      : [T] extends [number[]]
        ? 'number[]'
        : [T] extends [string[]]
          ? 'string[]'
          : [T] extends [string | null]
            ? 'string?'
            : [T] extends [number | null]
              ? 'number?'
              : [T] extends [boolean | null]
                ? 'boolean?'
                : [T] extends [string[] | null]
                  ? 'string[]?'
                  : never;

export type Columns<R> = { readonly [K in keyof R]-?: ColumnOf<R[K]> };

/** Every query gets the server's version; one read of server_version_num per connection. */
export interface VersionArgs {
  /** server_version_num, e.g. 160014. */
  versionNum: number;
}

export interface QueryDef<A extends VersionArgs, R> {
  /** Stable id, e.g. "tables.page". */
  id: string;
  /** What a failure message names. */
  title: string;
  build(args: A): SqlQuery;
  columns: Columns<R>;
}

export function defineQuery<A extends VersionArgs, R>(def: QueryDef<A, R>): QueryDef<A, R> {
  return def;
}

export async function runQuery<A extends VersionArgs, R>(q: Queryable, def: QueryDef<A, R>, args: A): Promise<R[]> {
  const { text, values } = def.build(args);
  try {
    // Unnamed statement: no `name`, so nothing is prepared on a server PgBouncer may swap.
    const r = await q.query<R & Record<string, unknown>>({ text, values: [...values] });
    return r.rows;
  } catch (e) {
    throw toStatsError(e, def.title);
  }
}

/** Checks a row against declared columns; returns the problems (empty when it fits). */
export function checkRow(row: Record<string, unknown>, columns: Record<string, ColumnType>): string[] {
  const problems: string[] = [];
  for (const [key, type] of Object.entries(columns)) {
    const v = row[key];
    const nullable = type.endsWith('?');
    const base = nullable ? type.slice(0, -1) : type;
    if (v === null || v === undefined) {
      if (!nullable) problems.push(`${key}: ${String(v)} where ${type} is declared`);
      continue;
    }
    const ok =
      base === 'number[]'
        ? Array.isArray(v) && v.every((x) => typeof x === 'number')
        : base === 'string[]'
          ? Array.isArray(v) && v.every((x) => typeof x === 'string')
          : typeof v === base && (base !== 'number' || Number.isFinite(v));
    if (!ok) problems.push(`${key}: ${JSON.stringify(v)} is not ${type}`);
  }
  for (const key of Object.keys(row)) if (!(key in columns)) problems.push(`${key}: not declared`);
  return problems;
}

/** A page of a long list, read by keyset (name > after), so page 100 costs what page 1 does. */
export interface Page<R> {
  rows: R[];
  /** Pass as `after` to read the next page; null when this was the last. */
  nextAfter: string | null;
}

export const DEFAULT_PAGE_SIZE = 200;

/** Runs a query fetched with limit + 1 rows and cuts it into a page. */
export async function runPage<A extends VersionArgs & { limit?: number }, R>(
  q: Queryable,
  def: QueryDef<A, R>,
  args: A,
  keyOf: (r: R) => string,
): Promise<Page<R>> {
  const limit = args.limit ?? DEFAULT_PAGE_SIZE;
  // One extra row tells whether another page exists, without a count(*) over 10,000 tables.
  const rows = await runQuery(q, def, { ...args, limit: limit + 1 });
  if (rows.length <= limit) return { rows, nextAfter: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextAfter: last ? keyOf(last) : null };
}

/** The statement a node ran, with its parameters written in: the "copy SQL" action's text. */
export function copySql<A extends VersionArgs, R>(def: QueryDef<A, R>, args: A): string {
  return inlineSql(def.build(args));
}
