// SQL plumbing shared by every stats query: the connection shape we accept, the query value we
// hand around (text + params, so the tree can "copy SQL"), and quoting for the statements that
// cannot take bind parameters (ALTER SYSTEM; identifiers are quoted by db/sqlIdent).
import type pg from 'pg';

/** A pool or a client: all a stats query needs. Unnamed queries only (PgBouncer transaction mode). */
export type Queryable = Pick<pg.Pool | pg.Client, 'query'>;

/** One statement: text with $n placeholders and their values. */
export interface SqlQuery {
  text: string;
  values: readonly (string | number | boolean | null)[];
}

export function sql(text: string, values: SqlQuery['values'] = []): SqlQuery {
  return { text, values };
}

/**
 * 'text' — as PostgreSQL's quote_literal does it: doubled quotes, and E'' with doubled
 * backslashes when there is a backslash, so the result means the same whatever
 * standard_conforming_strings is.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a string literal cannot contain a NUL character');
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

/** A value as SQL text, for the copy-SQL action: strings quoted, numbers and booleans bare. */
export function literalOf(v: string | number | boolean | null): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return quoteLiteral(v);
}

/**
 * The statement with its parameters written in as literals: what "copy SQL" puts on the
 * clipboard so that it runs as-is in psql. Placeholders are replaced from the highest number
 * down so that $1 never eats the start of $10.
 */
export function inlineSql(q: SqlQuery): string {
  let text = q.text;
  for (let i = q.values.length; i >= 1; i--) {
    const v = q.values[i - 1];
    text = text.split(`$${i}`).join(literalOf(v ?? null));
  }
  return text;
}

/** A timestamptz column as an ISO-8601 UTC string (JSON-safe, DateStyle-proof), or NULL. */
export function isoTs(expr: string): string {
  return `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The current WAL position, also on a standby (where pg_current_wal_lsn() raises an error). */
export const CURRENT_LSN_SQL = 'CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END';

/**
 * A client session in pg_stat_activity. backend_type is NULL on rows a role may not see (another
 * role's sessions without pg_read_all_stats); such a row with a user is a session all the same.
 */
export const IS_CLIENT_BACKEND = "coalesce(backend_type = 'client backend', usesysid IS NOT NULL)";
