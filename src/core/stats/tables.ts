// Tables of a schema, a page at a time by name (keyset: relname > after, which the
// pg_class (relname, relnamespace) index serves), so a schema of 10,000 tables opens as fast as
// one of ten. The statistics come from the pg_stat_get_* functions for just the rows of the
// page: joining pg_stat_all_tables would aggregate every table's indexes first.
import { defineQuery, runPage, type Page, type VersionArgs } from './query';
import { isoTs, sql, type Queryable } from './sql';

export interface TableRow {
  schema: string;
  name: string;
  /** r table, p partitioned, m materialized view, f foreign */
  kind: string;
  totalBytes: number;
  tableBytes: number;
  /** Planner estimate (pg_class.reltuples); NULL when never vacuumed or analysed. */
  estimatedRows: number | null;
  liveTuples: number;
  deadTuples: number;
  /** dead / (live + dead) × 100, one decimal; NULL for an empty table. */
  deadTuplePct: number | null;
  lastVacuum: string | null;
  lastAutovacuum: string | null;
  lastAnalyze: string | null;
  lastAutoanalyze: string | null;
  seqScans: number;
  /** NULL when the table has no index. */
  idxScans: number | null;
  /** PostgreSQL 16+: last sequential scan; NULL before 16. */
  lastSeqScan: string | null;
}

export interface TablesArgs extends VersionArgs {
  schema: string;
  /** Only this table (the agents' table stats of one table). */
  table?: string;
  /** Name of the last table of the previous page (Page.nextAfter); '' for the first page. */
  after?: string;
  limit?: number;
}

export const tablesQuery = defineQuery<TablesArgs, TableRow>({
  id: 'tables.page',
  title: 'Tables',
  build: ({ versionNum, schema, table, after = '', limit = 200 }) =>
    sql(
      `SELECT n.nspname::text AS "schema", c.relname::text AS "name", c.relkind::text AS "kind",
  pg_total_relation_size(c.oid)::float8 AS "totalBytes", pg_relation_size(c.oid)::float8 AS "tableBytes",
  CASE WHEN c.reltuples < 0 OR (c.reltuples = 0 AND c.relpages = 0) THEN NULL ELSE c.reltuples::float8 END AS "estimatedRows",
  s.live::float8 AS "liveTuples", s.dead::float8 AS "deadTuples",
  CASE WHEN s.live + s.dead > 0 THEN round(100 * s.dead::numeric / (s.live + s.dead), 1)::float8 END AS "deadTuplePct",
  ${isoTs('pg_stat_get_last_vacuum_time(c.oid)')} AS "lastVacuum",
  ${isoTs('pg_stat_get_last_autovacuum_time(c.oid)')} AS "lastAutovacuum",
  ${isoTs('pg_stat_get_last_analyze_time(c.oid)')} AS "lastAnalyze",
  ${isoTs('pg_stat_get_last_autoanalyze_time(c.oid)')} AS "lastAutoanalyze",
  pg_stat_get_numscans(c.oid)::float8 AS "seqScans",
  (SELECT sum(pg_stat_get_numscans(i.indexrelid)) FROM pg_index i WHERE i.indrelid = c.oid)::float8 AS "idxScans",
  ${versionNum >= 160000 ? isoTs('pg_stat_get_lastscan(c.oid)') : 'NULL::text'} AS "lastSeqScan"
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (SELECT pg_stat_get_live_tuples(c.oid) AS live, pg_stat_get_dead_tuples(c.oid) AS dead) s
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'm', 'f') AND c.relname > $2::name${table !== undefined ? ' AND c.relname = $4' : ''}
ORDER BY c.relname
LIMIT $3`,
      table !== undefined ? [schema, after, limit, table] : [schema, after, limit],
    ),
  columns: {
    schema: 'string',
    name: 'string',
    kind: 'string',
    totalBytes: 'number',
    tableBytes: 'number',
    estimatedRows: 'number?',
    liveTuples: 'number',
    deadTuples: 'number',
    deadTuplePct: 'number?',
    lastVacuum: 'string?',
    lastAutovacuum: 'string?',
    lastAnalyze: 'string?',
    lastAutoanalyze: 'string?',
    seqScans: 'number',
    idxScans: 'number?',
    lastSeqScan: 'string?',
  },
});

export function listTables(q: Queryable, args: TablesArgs): Promise<Page<TableRow>> {
  return runPage(q, tablesQuery, args, (r) => r.name);
}
