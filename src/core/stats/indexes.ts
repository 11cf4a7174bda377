// Indexes of a schema (or of one table), a page at a time by name, with size and scans. An
// index is marked unused when it was never scanned since the statistics were reset and it does
// not back a constraint: a unique or exclusion index does its job without being scanned.
import { defineQuery, runPage, type Page, type VersionArgs } from './query';
import { isoTs, sql, type Queryable } from './sql';

export interface IndexRow {
  schema: string;
  table: string;
  name: string;
  method: string;
  bytes: number;
  scans: number;
  tuplesRead: number;
  tuplesFetched: number;
  /** PostgreSQL 16+: last scan; NULL before 16 or never scanned. */
  lastScan: string | null;
  isUnique: boolean;
  isPrimary: boolean;
  isValid: boolean;
  /** Backs a primary key, unique or exclusion constraint. */
  backsConstraint: boolean;
  /** The seed's grading: 'unused' (0 scans), 'low' (< 10), 'active'. */
  usage: string;
  /** Never scanned and not needed by a constraint: a candidate for DROP INDEX. */
  unused: boolean;
  definition: string;
}

export interface IndexesArgs extends VersionArgs {
  schema: string;
  /** Only the indexes of this table. */
  table?: string;
  after?: string;
  limit?: number;
}

export const indexesQuery = defineQuery<IndexesArgs, IndexRow>({
  id: 'indexes.page',
  title: 'Indexes',
  build: ({ versionNum, schema, table, after = '', limit = 200 }) =>
    sql(
      `SELECT n.nspname::text AS "schema", ct.relname::text AS "table", ci.relname::text AS "name",
  am.amname::text AS "method", pg_relation_size(ci.oid)::float8 AS "bytes", st.scans::float8 AS "scans",
  pg_stat_get_tuples_returned(ci.oid)::float8 AS "tuplesRead", pg_stat_get_tuples_fetched(ci.oid)::float8 AS "tuplesFetched",
  ${versionNum >= 160000 ? isoTs('pg_stat_get_lastscan(ci.oid)') : 'NULL::text'} AS "lastScan",
  i.indisunique AS "isUnique", i.indisprimary AS "isPrimary", i.indisvalid AS "isValid",
  con.backs AS "backsConstraint",
  CASE WHEN st.scans = 0 THEN 'unused' WHEN st.scans < 10 THEN 'low' ELSE 'active' END AS "usage",
  st.scans = 0 AND NOT con.backs AS "unused",
  pg_get_indexdef(ci.oid) AS "definition"
FROM pg_index i
JOIN pg_class ci ON ci.oid = i.indexrelid
JOIN pg_class ct ON ct.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ci.relnamespace
JOIN pg_am am ON am.oid = ci.relam
CROSS JOIN LATERAL (SELECT pg_stat_get_numscans(ci.oid) AS scans) st
CROSS JOIN LATERAL (SELECT i.indisunique OR i.indisprimary
  OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ci.oid AND k.contype IN ('p', 'u', 'x')) AS backs) con
WHERE n.nspname = $1 AND ci.relname > $2::name${table !== undefined ? ' AND ct.relname = $4' : ''}
ORDER BY ci.relname
LIMIT $3`,
      table !== undefined ? [schema, after, limit, table] : [schema, after, limit],
    ),
  columns: {
    schema: 'string',
    table: 'string',
    name: 'string',
    method: 'string',
    bytes: 'number',
    scans: 'number',
    tuplesRead: 'number',
    tuplesFetched: 'number',
    lastScan: 'string?',
    isUnique: 'boolean',
    isPrimary: 'boolean',
    isValid: 'boolean',
    backsConstraint: 'boolean',
    usage: 'string',
    unused: 'boolean',
    definition: 'string',
  },
});

export function listIndexes(q: Queryable, args: IndexesArgs): Promise<Page<IndexRow>> {
  return runPage(q, indexesQuery, args, (r) => r.name);
}
