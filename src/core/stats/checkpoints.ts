// Checkpoints and WAL. The counters moved between majors: checkpoints were in pg_stat_bgwriter
// until 16 and are in pg_stat_checkpointer from 17 (which in 18 also counts num_done); backend
// writes left for pg_stat_io in 17; pg_stat_wal exists from 14 and lost its write/sync columns
// to pg_stat_io in 18. Rows here have one shape on every major, NULL where a counter is gone.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { CURRENT_LSN_SQL, isoTs, sql, type Queryable } from './sql';

export interface CheckpointRow {
  /** Checkpoints started by checkpoint_timeout. */
  timed: number;
  /** Checkpoints requested: max_wal_size reached, CHECKPOINT, a shutdown, a base backup … */
  requested: number;
  /** PostgreSQL 18+: checkpoints completed; NULL before 18. */
  done: number | null;
  writeTimeMs: number;
  syncTimeMs: number;
  buffersWritten: number;
  buffersClean: number;
  maxwrittenClean: number;
  /** Buffers backends wrote themselves; NULL from 17 (see pg_stat_io). */
  buffersBackend: number | null;
  buffersAlloc: number;
  statsReset: string | null;
  /** Seconds since the checkpoint counters were reset: the window of the counters above. */
  secondsSinceReset: number | null;
}

const CHECKPOINTER_17 = (versionNum: number) => `SELECT c.num_timed::float8 AS "timed", c.num_requested::float8 AS "requested",
  ${versionNum >= 180000 ? 'c.num_done::float8' : 'NULL::float8'} AS "done",
  c.write_time::float8 AS "writeTimeMs", c.sync_time::float8 AS "syncTimeMs", c.buffers_written::float8 AS "buffersWritten",
  b.buffers_clean::float8 AS "buffersClean", b.maxwritten_clean::float8 AS "maxwrittenClean",
  NULL::float8 AS "buffersBackend", b.buffers_alloc::float8 AS "buffersAlloc",
  ${isoTs('c.stats_reset')} AS "statsReset", extract(epoch FROM now() - c.stats_reset)::float8 AS "secondsSinceReset"
FROM pg_stat_checkpointer c CROSS JOIN pg_stat_bgwriter b`;

const BGWRITER_13 = `SELECT checkpoints_timed::float8 AS "timed", checkpoints_req::float8 AS "requested", NULL::float8 AS "done",
  checkpoint_write_time::float8 AS "writeTimeMs", checkpoint_sync_time::float8 AS "syncTimeMs",
  buffers_checkpoint::float8 AS "buffersWritten", buffers_clean::float8 AS "buffersClean",
  maxwritten_clean::float8 AS "maxwrittenClean", buffers_backend::float8 AS "buffersBackend",
  buffers_alloc::float8 AS "buffersAlloc",
  ${isoTs('stats_reset')} AS "statsReset", extract(epoch FROM now() - stats_reset)::float8 AS "secondsSinceReset"
FROM pg_stat_bgwriter`;

export const checkpointsQuery = defineQuery<VersionArgs, CheckpointRow>({
  id: 'stats.checkpoints',
  title: 'Checkpoints',
  build: ({ versionNum }) => sql(versionNum >= 170000 ? CHECKPOINTER_17(versionNum) : BGWRITER_13),
  columns: {
    timed: 'number',
    requested: 'number',
    done: 'number?',
    writeTimeMs: 'number',
    syncTimeMs: 'number',
    buffersWritten: 'number',
    buffersClean: 'number',
    maxwrittenClean: 'number',
    buffersBackend: 'number?',
    buffersAlloc: 'number',
    statsReset: 'string?',
    secondsSinceReset: 'number?',
  },
});

export async function checkpoints(q: Queryable, args: VersionArgs): Promise<CheckpointRow | undefined> {
  return (await runQuery(q, checkpointsQuery, args))[0];
}

/** The statement that restarts the checkpoint counters (superuser, or a GRANT on the function). */
export function resetCheckpointStatsSql(versionNum: number): string {
  return versionNum >= 170000 ? "SELECT pg_stat_reset_shared('checkpointer')" : "SELECT pg_stat_reset_shared('bgwriter')";
}

export interface WalRow {
  currentLsn: string;
  /** Bytes of WAL written since the cluster was created (position − 0/0). */
  totalBytes: number;
  /** PostgreSQL 14+ (pg_stat_wal); NULL on 13. */
  records: number | null;
  fullPageImages: number | null;
  bytes: number | null;
  buffersFull: number | null;
  /** 14–17; NULL on 13 and from 18 (moved to pg_stat_io). */
  writes: number | null;
  syncs: number | null;
  statsReset: string | null;
}

export const walQuery = defineQuery<VersionArgs, WalRow>({
  id: 'stats.wal',
  title: 'WAL',
  build: ({ versionNum }) => {
    const lsn = `(${CURRENT_LSN_SQL})`;
    const head = `SELECT ${lsn}::text AS "currentLsn", pg_wal_lsn_diff(${lsn}, '0/0')::float8 AS "totalBytes"`;
    if (versionNum < 140000) {
      return sql(`${head}, NULL::float8 AS "records", NULL::float8 AS "fullPageImages", NULL::float8 AS "bytes",
  NULL::float8 AS "buffersFull", NULL::float8 AS "writes", NULL::float8 AS "syncs", NULL::text AS "statsReset"`);
    }
    const io = versionNum >= 180000 ? 'NULL::float8 AS "writes", NULL::float8 AS "syncs"' : 'w.wal_write::float8 AS "writes", w.wal_sync::float8 AS "syncs"';
    return sql(`${head}, w.wal_records::float8 AS "records", w.wal_fpi::float8 AS "fullPageImages",
  w.wal_bytes::float8 AS "bytes", w.wal_buffers_full::float8 AS "buffersFull", ${io}, ${isoTs('w.stats_reset')} AS "statsReset"
FROM pg_stat_wal w`);
  },
  columns: {
    currentLsn: 'string',
    totalBytes: 'number',
    records: 'number?',
    fullPageImages: 'number?',
    bytes: 'number?',
    buffersFull: 'number?',
    writes: 'number?',
    syncs: 'number?',
    statsReset: 'string?',
  },
});

export async function wal(q: Queryable, args: VersionArgs): Promise<WalRow | undefined> {
  return (await runQuery(q, walQuery, args))[0];
}
