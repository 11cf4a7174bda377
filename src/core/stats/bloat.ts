// Table bloat, estimated the way ioguix's pgsql-bloat-estimation does it (BSD licence): from
// pg_stats' average column widths and null fractions, the size a tuple should take, hence the
// pages the table should need at its fillfactor; the excess over pg_class.relpages is bloat.
// It reads only catalogs (no table scan), so it is cheap; it is an estimate, good to ~±20 %,
// and meaningless for a table never analysed or with columns the role may not read (pg_stats
// hides those): such rows carry estimateReliable = false.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { sql, type Queryable } from './sql';

export interface TableBloatRow {
  schema: string;
  table: string;
  /** Heap + TOAST pages as pg_class counts them (as of the last VACUUM/ANALYZE). */
  realBytes: number;
  /** Bytes beyond what the live rows need at the table's fillfactor. */
  bloatBytes: number;
  bloatPct: number;
  fillfactor: number;
  /** False when a column has no statistics (never analysed, or hidden from this role). */
  estimateReliable: boolean;
}

export interface BloatArgs extends VersionArgs {
  /** Tables smaller than this are left out: a few pages of slack is noise, not bloat. */
  minBytes?: number;
  limit?: number;
}

export const tableBloatQuery = defineQuery<BloatArgs, TableBloatRow>({
  id: 'stats.tableBloat',
  title: 'Table bloat (estimate)',
  build: ({ minBytes = 1024 * 1024, limit = 100 }) =>
    sql(
      `WITH widths AS (
  -- per table: the tuple header (23 bytes + null bitmap) and the average data width
  SELECT c.oid, n.nspname, c.relname, c.reltuples::numeric AS reltuples, c.relpages::numeric AS relpages,
    coalesce(t.relpages, 0)::numeric AS toast_pages, coalesce(t.reltuples, 0)::numeric AS toast_tuples,
    coalesce(substring(array_to_string(c.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, 100) AS fillfactor,
    current_setting('block_size')::numeric AS bs,
    23 + CASE WHEN max(coalesce(s.null_frac, 0)) > 0 THEN (7 + count(*)) / 8 ELSE 0 END AS hdr,
    sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 0))::numeric AS data_width,
    count(s.attname) = count(*) AND NOT bool_or(a.atttypid = 'pg_catalog.name'::regtype) AS reliable
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname AND NOT s.inherited
  LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
  WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
    AND c.relpages::numeric * current_setting('block_size')::numeric >= $1
  GROUP BY c.oid, n.nspname, c.relname, c.reltuples, c.relpages, c.reloptions, t.relpages, t.reltuples
), tuples AS (
  -- a tuple on disk: 4-byte line pointer + header and data, each padded to MAXALIGN (8)
  SELECT *, 4 + (ceil(hdr / 8.0) * 8) + (ceil(data_width / 8.0) * 8) AS tuple_bytes FROM widths
), estimate AS (
  SELECT *, relpages + toast_pages AS real_pages,
    ceil(greatest(reltuples, 0) / ((bs - 24) * fillfactor / (100 * tuple_bytes))) + ceil(toast_tuples / 4) AS expected_pages
  FROM tuples
)
SELECT nspname::text AS "schema", relname::text AS "table", (real_pages * bs)::float8 AS "realBytes",
  (greatest(real_pages - expected_pages, 0) * bs)::float8 AS "bloatBytes",
  CASE WHEN real_pages > 0 THEN round(100 * greatest(real_pages - expected_pages, 0) / real_pages, 1) ELSE 0 END::float8 AS "bloatPct",
  fillfactor AS "fillfactor", reliable AS "estimateReliable"
FROM estimate
ORDER BY greatest(real_pages - expected_pages, 0) DESC, nspname, relname
LIMIT $2`,
      [minBytes, limit],
    ),
  columns: {
    schema: 'string',
    table: 'string',
    realBytes: 'number',
    bloatBytes: 'number',
    bloatPct: 'number',
    fillfactor: 'number',
    estimateReliable: 'boolean',
  },
});

export const tableBloat = (q: Queryable, args: BloatArgs) => runQuery(q, tableBloatQuery, args);
