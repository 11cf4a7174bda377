// Buffer cache hit ratios, per database and per index. A "read" is a block PostgreSQL had to ask
// the kernel for (it may still come from the OS page cache), a "hit" one found in shared_buffers.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { isoTs, sql, type Queryable } from './sql';

export interface DatabaseCacheRow {
  database: string;
  blocksHit: number;
  blocksRead: number;
  /** hit / (hit + read) × 100, two decimals; NULL before any block was needed. */
  hitRatioPct: number | null;
  statsReset: string | null;
}

export const databaseCacheHitQuery = defineQuery<VersionArgs, DatabaseCacheRow>({
  id: 'stats.cacheHit.databases',
  title: 'Cache hit ratio per database',
  build: () =>
    sql(`SELECT datname::text AS "database", blks_hit::float8 AS "blocksHit", blks_read::float8 AS "blocksRead",
  CASE WHEN blks_hit + blks_read > 0 THEN round(100 * blks_hit::numeric / (blks_hit + blks_read), 2)::float8 END AS "hitRatioPct",
  ${isoTs('stats_reset')} AS "statsReset"
FROM pg_stat_database
WHERE datname IS NOT NULL AND datname NOT IN ('template0', 'template1')
ORDER BY datname`),
  columns: { database: 'string', blocksHit: 'number', blocksRead: 'number', hitRatioPct: 'number?', statsReset: 'string?' },
});

export const databaseCacheHit = (q: Queryable, args: VersionArgs) => runQuery(q, databaseCacheHitQuery, args);

export interface IndexCacheRow {
  schema: string;
  table: string;
  index: string;
  blocksHit: number;
  blocksRead: number;
  hitRatioPct: number | null;
}

export interface IndexCacheArgs extends VersionArgs {
  /** Skip indexes with fewer blocks read than this (the seed's "idx_blks_read > 0" is 1). */
  minBlocksRead?: number;
  limit?: number;
}

/** Worst first: the indexes that most often miss the cache, in the connected database. */
export const indexCacheHitQuery = defineQuery<IndexCacheArgs, IndexCacheRow>({
  id: 'stats.cacheHit.indexes',
  title: 'Cache hit ratio per index',
  build: ({ minBlocksRead = 1, limit = 100 }) =>
    sql(
      `SELECT schemaname::text AS "schema", relname::text AS "table", indexrelname::text AS "index",
  idx_blks_hit::float8 AS "blocksHit", idx_blks_read::float8 AS "blocksRead",
  CASE WHEN idx_blks_hit + idx_blks_read > 0 THEN round(100 * idx_blks_hit::numeric / (idx_blks_hit + idx_blks_read), 2)::float8 END AS "hitRatioPct"
FROM pg_statio_user_indexes
WHERE idx_blks_read >= $1
ORDER BY "hitRatioPct" ASC NULLS LAST, idx_blks_read DESC, schemaname, indexrelname
LIMIT $2`,
      [minBlocksRead, limit],
    ),
  columns: { schema: 'string', table: 'string', index: 'string', blocksHit: 'number', blocksRead: 'number', hitRatioPct: 'number?' },
});

export const indexCacheHit = (q: Queryable, args: IndexCacheArgs) => runQuery(q, indexCacheHitQuery, args);
