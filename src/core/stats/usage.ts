// Usage lists of the Statistics node, over the connected database: indexes by how little they
// are used, tables read mostly by sequential scans (a missing index?), tables by size.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { sql, type Queryable } from './sql';

export interface IndexUsageRow {
  schema: string;
  table: string;
  index: string;
  scans: number;
  tuplesRead: number;
  tuplesFetched: number;
  bytes: number;
  /** 'unused' (0 scans), 'low' (< 10), 'active': the seed's grading. */
  usage: string;
  backsConstraint: boolean;
}

export interface LimitArgs extends VersionArgs {
  limit?: number;
}

export const indexUsageQuery = defineQuery<LimitArgs, IndexUsageRow>({
  id: 'stats.indexUsage',
  title: 'Index usage',
  build: ({ limit = 100 }) =>
    sql(
      `SELECT s.schemaname::text AS "schema", s.relname::text AS "table", s.indexrelname::text AS "index",
  s.idx_scan::float8 AS "scans", s.idx_tup_read::float8 AS "tuplesRead", s.idx_tup_fetch::float8 AS "tuplesFetched",
  pg_relation_size(s.indexrelid)::float8 AS "bytes",
  CASE WHEN s.idx_scan = 0 THEN 'unused' WHEN s.idx_scan < 10 THEN 'low' ELSE 'active' END AS "usage",
  i.indisunique OR i.indisprimary OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = s.indexrelid) AS "backsConstraint"
FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
ORDER BY s.idx_scan ASC, pg_relation_size(s.indexrelid) DESC, s.schemaname, s.indexrelname
LIMIT $1`,
      [limit],
    ),
  columns: {
    schema: 'string',
    table: 'string',
    index: 'string',
    scans: 'number',
    tuplesRead: 'number',
    tuplesFetched: 'number',
    bytes: 'number',
    usage: 'string',
    backsConstraint: 'boolean',
  },
});

export const indexUsage = (q: Queryable, args: LimitArgs) => runQuery(q, indexUsageQuery, args);

export interface SeqScanRow {
  schema: string;
  table: string;
  seqScans: number;
  seqTuplesRead: number;
  idxScans: number | null;
  liveTuples: number;
  /** The seed's rule: more sequential than index scans, and more than `minSeqScans` of them. */
  considerIndex: boolean;
}

export interface SeqScanArgs extends VersionArgs {
  /** The seed uses 100. */
  minSeqScans?: number;
  limit?: number;
}

export const seqScanTablesQuery = defineQuery<SeqScanArgs, SeqScanRow>({
  id: 'stats.seqScans',
  title: 'Tables with many sequential scans',
  build: ({ minSeqScans = 100, limit = 100 }) =>
    sql(
      `SELECT schemaname::text AS "schema", relname::text AS "table", seq_scan::float8 AS "seqScans",
  seq_tup_read::float8 AS "seqTuplesRead", idx_scan::float8 AS "idxScans", n_live_tup::float8 AS "liveTuples",
  seq_scan > coalesce(idx_scan, 0) AND seq_scan > $1 AS "considerIndex"
FROM pg_stat_user_tables
WHERE seq_scan > 0
ORDER BY seq_scan DESC, schemaname, relname
LIMIT $2`,
      [minSeqScans, limit],
    ),
  columns: {
    schema: 'string',
    table: 'string',
    seqScans: 'number',
    seqTuplesRead: 'number',
    idxScans: 'number?',
    liveTuples: 'number',
    considerIndex: 'boolean',
  },
});

export const seqScanTables = (q: Queryable, args: SeqScanArgs) => runQuery(q, seqScanTablesQuery, args);

export interface TableSizeRow {
  schema: string;
  table: string;
  totalBytes: number;
  tableBytes: number;
  /** Indexes and TOAST: total minus the heap. */
  otherBytes: number;
}

export const tableSizesQuery = defineQuery<LimitArgs, TableSizeRow>({
  id: 'stats.tableSizes',
  title: 'Largest tables',
  build: ({ limit = 100 }) =>
    sql(
      `SELECT n.nspname::text AS "schema", c.relname::text AS "table",
  pg_total_relation_size(c.oid)::float8 AS "totalBytes", pg_relation_size(c.oid)::float8 AS "tableBytes",
  (pg_total_relation_size(c.oid) - pg_relation_size(c.oid))::float8 AS "otherBytes"
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY pg_total_relation_size(c.oid) DESC, n.nspname, c.relname
LIMIT $1`,
      [limit],
    ),
  columns: { schema: 'string', table: 'string', totalBytes: 'number', tableBytes: 'number', otherBytes: 'number' },
});

export const tableSizes = (q: Queryable, args: LimitArgs) => runQuery(q, tableSizesQuery, args);
