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
  /** Scans of the index's table by queries, sequential (less the one each index build makes) and by any of its indexes: 0 means no query read it. */
  tableReads: number;
  /** False for an index a failed CREATE INDEX CONCURRENTLY left: never scanned because it cannot be, the invalid-index check's. */
  isValid: boolean;
}

export interface LimitArgs extends VersionArgs {
  limit?: number;
}

export const indexUsageQuery = defineQuery<LimitArgs, IndexUsageRow>({
  id: 'stats.indexUsage',
  title: 'Index usage',
  build: ({ limit = 100 }) =>
    // Sorted by scans and the catalog's page count; the exact size (a stat() per file) and the
    // constraint check are computed for the page only: on 50,000 indexes that is 2 s → ~0.2 s.
    sql(
      `WITH top AS (
  SELECT i.indexrelid, i.indrelid, i.indisunique, i.indisprimary, i.indisvalid, pg_stat_get_numscans(i.indexrelid) AS scans
  FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ci.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
  ORDER BY pg_stat_get_numscans(i.indexrelid) ASC, ci.relpages DESC, n.nspname, ci.relname
  LIMIT $1
)
SELECT n.nspname::text AS "schema", ct.relname::text AS "table", ci.relname::text AS "index",
  t.scans::float8 AS "scans", pg_stat_get_tuples_returned(t.indexrelid)::float8 AS "tuplesRead",
  pg_stat_get_tuples_fetched(t.indexrelid)::float8 AS "tuplesFetched",
  pg_relation_size(t.indexrelid)::float8 AS "bytes",
  CASE WHEN t.scans = 0 THEN 'unused' WHEN t.scans < 10 THEN 'low' ELSE 'active' END AS "usage",
  t.indisunique OR t.indisprimary OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = t.indexrelid) AS "backsConstraint",
  t.indisvalid AS "isValid",
  -- each CREATE INDEX counts one sequential scan of its table: those are not a query's reads
  (SELECT greatest(pg_stat_get_numscans(t.indrelid) - count(*), 0) + sum(pg_stat_get_numscans(x.indexrelid)) FROM pg_index x WHERE x.indrelid = t.indrelid)::float8 AS "tableReads"
FROM top t JOIN pg_class ci ON ci.oid = t.indexrelid JOIN pg_class ct ON ct.oid = t.indrelid
JOIN pg_namespace n ON n.oid = ci.relnamespace
ORDER BY t.scans ASC, ci.relpages DESC, n.nspname, ci.relname`,
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
    isValid: 'boolean',
    tableReads: 'number',
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
    // pg_stat_user_tables sums index scans over every table's indexes before it can sort;
    // the pg_stat_get_* functions let the sum be taken for the page only.
    sql(
      `WITH top AS (
  SELECT c.oid, n.nspname, c.relname, pg_stat_get_numscans(c.oid) AS seq_scan
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
    AND pg_stat_get_numscans(c.oid) > 0
  ORDER BY pg_stat_get_numscans(c.oid) DESC, n.nspname, c.relname
  LIMIT $2
)
SELECT t.nspname::text AS "schema", t.relname::text AS "table", t.seq_scan::float8 AS "seqScans",
  pg_stat_get_tuples_returned(t.oid)::float8 AS "seqTuplesRead", x.idx_scan::float8 AS "idxScans",
  pg_stat_get_live_tuples(t.oid)::float8 AS "liveTuples",
  t.seq_scan > coalesce(x.idx_scan, 0) AND t.seq_scan > $1 AS "considerIndex"
FROM top t
CROSS JOIN LATERAL (SELECT sum(pg_stat_get_numscans(i.indexrelid)) AS idx_scan FROM pg_index i WHERE i.indrelid = t.oid) x
ORDER BY t.seq_scan DESC, t.nspname, t.relname`,
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

export interface TableSizesArgs extends LimitArgs {
  /**
   * Order by the exact size of every table. Off by default: it stats every file of the database
   * (3.4 s for 10,000 tables and 50,000 indexes, against ~0.1 s). The default orders by the page
   * counts VACUUM/ANALYZE keep in pg_class and shows exact sizes for the rows listed.
   */
  exactOrder?: boolean;
}

export const tableSizesQuery = defineQuery<TableSizesArgs, TableSizeRow>({
  id: 'stats.tableSizes',
  title: 'Largest tables',
  build: ({ limit = 100, exactOrder = false }) => {
    const estimate = `c.relpages::float8 + coalesce(t.relpages, 0)
    + coalesce((SELECT sum(ci.relpages) FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid WHERE i.indrelid = c.oid), 0)`;
    return sql(
      `WITH top AS (
  SELECT c.oid, n.nspname, c.relname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
  WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
  ORDER BY ${exactOrder ? 'pg_total_relation_size(c.oid)' : estimate} DESC, n.nspname, c.relname
  LIMIT $1
), sized AS (
  SELECT oid, nspname, relname, pg_total_relation_size(oid) AS total, pg_relation_size(oid) AS heap FROM top
)
SELECT nspname::text AS "schema", relname::text AS "table", total::float8 AS "totalBytes",
  heap::float8 AS "tableBytes", (total - heap)::float8 AS "otherBytes"
FROM sized
ORDER BY total DESC, nspname, relname`,
      [limit],
    );
  },
  columns: { schema: 'string', table: 'string', totalBytes: 'number', tableBytes: 'number', otherBytes: 'number' },
});

export const tableSizes = (q: Queryable, args: TableSizesArgs) => runQuery(q, tableSizesQuery, args);
