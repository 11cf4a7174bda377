// The dashboard's one query per tick: every counter and gauge of the charts in a single round
// trip, its SQL chosen by server_version_num. Checkpoints moved from pg_stat_bgwriter to
// pg_stat_checkpointer in 17 (num_done from 18); WAL volume is read from the WAL position, which
// exists on every major and never resets, so stats resets cannot corrupt that rate.
import { defineQuery, runQuery, type VersionArgs } from '../stats/query';
import { CURRENT_LSN_SQL, IS_CLIENT_BACKEND, sql, type Queryable } from '../stats/sql';
import { DEFAULT_THRESHOLDS } from '../stats/thresholds';

/** Raw counters and gauges as read at one instant (server clock). */
export interface DashboardSample {
  /** clock_timestamp() on the server, epoch milliseconds: intervals do not suffer client jitter. */
  atMs: number;
  /** pg_postmaster_start_time(), epoch ms: a change means the server restarted (every counter reset). */
  startedMs: number;
  maxConnections: number;
  active: number;
  idle: number;
  idleInTransaction: number;
  /** Other client sessions (fastpath, disabled, hidden from this role). */
  otherState: number;
  /** Sessions waiting on a heavyweight lock, and the longest of those waits in seconds. */
  lockWaiting: number;
  longestLockWaitSeconds: number | null;
  /** Active statements running longer than longQuerySeconds, and the longest one's seconds. */
  longRunning: number;
  longestQuerySeconds: number | null;
  /** Sessions idle in a transaction longer than idleInTransactionSeconds, and the longest idle. */
  longIdleInTransaction: number;
  longestIdleInTransactionSeconds: number | null;
  /** The oldest open transaction of a client session, seconds. */
  oldestXactSeconds: number | null;
  /** The oldest database's datfrozenxid age, and autovacuum_freeze_max_age it is held against. */
  xidAge: number;
  freezeMaxAge: number;
  // pg_stat_database, summed over all databases
  xactCommit: number;
  xactRollback: number;
  blksHit: number;
  blksRead: number;
  tupReturned: number;
  tupFetched: number;
  tupInserted: number;
  tupUpdated: number;
  tupDeleted: number;
  /** Sum of the databases' stats_reset epochs: changes when any database's counters are reset. */
  dbResetKey: number;
  // checkpointer / bgwriter
  checkpoints: number;
  buffersWritten: number;
  checkpointResetKey: number;
  /** Bytes of WAL written since the cluster was created (position − 0/0). */
  walBytes: number;
  /** Size of the connected database, bytes. */
  databaseBytes: number;
  /** Standbys streaming from this server, the largest replay lag in bytes and in seconds. */
  standbys: number;
  replicationLagBytes: number | null;
  replicationLagSeconds: number | null;
}

const epochMs = (expr: string) => `coalesce(extract(epoch FROM ${expr}) * 1000, 0)::float8`;

function checkpointSql(versionNum: number): string {
  if (versionNum >= 170000) {
    const count = versionNum >= 180000 ? 'c.num_done' : 'c.num_timed + c.num_requested';
    return `SELECT (${count})::float8 AS n, (c.buffers_written + b.buffers_clean)::float8 AS buffers,
      ${epochMs('c.stats_reset')} + ${epochMs('b.stats_reset')} AS reset
    FROM pg_stat_checkpointer c CROSS JOIN pg_stat_bgwriter b`;
  }
  return `SELECT (checkpoints_timed + checkpoints_req)::float8 AS n,
      (buffers_checkpoint + buffers_clean + buffers_backend)::float8 AS buffers, ${epochMs('stats_reset')} AS reset
    FROM pg_stat_bgwriter`;
}

export interface DashboardSampleArgs extends VersionArgs {
  /** The thresholds the long-running and idle-in-transaction counts use (warning levels by default). */
  longQuerySeconds?: number;
  idleInTransactionSeconds?: number;
}

/** A threshold written into the SQL: the sample stays one simple-protocol message without parameters. */
const seconds = (v: number) => (Number.isFinite(v) && v >= 0 ? String(v) : '0');

export const dashboardSampleQuery = defineQuery<DashboardSampleArgs, DashboardSample>({
  id: 'dashboard.sample',
  title: 'Dashboard sample',
  build: ({
    versionNum,
    longQuerySeconds = DEFAULT_THRESHOLDS.longQuerySeconds.warn,
    idleInTransactionSeconds = DEFAULT_THRESHOLDS.idleInTransactionSeconds.warn,
  }) => {
    const lsn = `(${CURRENT_LSN_SQL})`;
    return sql(`SELECT ${epochMs('clock_timestamp()')} AS "atMs", ${epochMs('pg_postmaster_start_time()')} AS "startedMs",
  current_setting('max_connections')::int AS "maxConnections",
  a.active AS "active", a.idle AS "idle", a.idle_tx AS "idleInTransaction", a.other AS "otherState",
  a.lock_waiting AS "lockWaiting", a.longest_lock AS "longestLockWaitSeconds",
  a.long_running AS "longRunning", a.longest_query AS "longestQuerySeconds",
  a.long_idle_tx AS "longIdleInTransaction", a.longest_idle_tx AS "longestIdleInTransactionSeconds", a.oldest_xact AS "oldestXactSeconds",
  x.xid_age AS "xidAge", current_setting('autovacuum_freeze_max_age')::float8 AS "freezeMaxAge",
  d.xact_commit AS "xactCommit", d.xact_rollback AS "xactRollback", d.blks_hit AS "blksHit", d.blks_read AS "blksRead",
  d.tup_returned AS "tupReturned", d.tup_fetched AS "tupFetched", d.tup_inserted AS "tupInserted",
  d.tup_updated AS "tupUpdated", d.tup_deleted AS "tupDeleted", d.reset AS "dbResetKey",
  c.n AS "checkpoints", c.buffers AS "buffersWritten", c.reset AS "checkpointResetKey",
  pg_wal_lsn_diff(${lsn}, '0/0')::float8 AS "walBytes",
  pg_database_size(current_database())::float8 AS "databaseBytes",
  r.standbys AS "standbys", r.lag_bytes AS "replicationLagBytes", r.lag_seconds AS "replicationLagSeconds"
FROM (SELECT count(*) FILTER (WHERE state = 'active')::int AS active,
    count(*) FILTER (WHERE state = 'idle')::int AS idle,
    count(*) FILTER (WHERE state IN ('idle in transaction', 'idle in transaction (aborted)'))::int AS idle_tx,
    count(*) FILTER (WHERE state IS NULL OR state NOT IN ('active', 'idle', 'idle in transaction', 'idle in transaction (aborted)'))::int AS other,
    count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS lock_waiting,
    max(extract(epoch FROM clock_timestamp() - state_change)) FILTER (WHERE wait_event_type = 'Lock')::float8 AS longest_lock,
    count(*) FILTER (WHERE state = 'active' AND clock_timestamp() - query_start > interval '${seconds(longQuerySeconds)} s')::int AS long_running,
    max(extract(epoch FROM clock_timestamp() - query_start)) FILTER (WHERE state = 'active')::float8 AS longest_query,
    count(*) FILTER (WHERE state LIKE 'idle in transaction%' AND clock_timestamp() - state_change > interval '${seconds(idleInTransactionSeconds)} s')::int AS long_idle_tx,
    max(extract(epoch FROM clock_timestamp() - state_change)) FILTER (WHERE state LIKE 'idle in transaction%')::float8 AS longest_idle_tx,
    max(extract(epoch FROM clock_timestamp() - xact_start))::float8 AS oldest_xact
  FROM pg_stat_activity WHERE ${IS_CLIENT_BACKEND}) a
CROSS JOIN (SELECT coalesce(max(age(datfrozenxid)), 0)::float8 AS xid_age FROM pg_database) x
CROSS JOIN (SELECT coalesce(sum(xact_commit), 0)::float8 AS xact_commit, coalesce(sum(xact_rollback), 0)::float8 AS xact_rollback,
    coalesce(sum(blks_hit), 0)::float8 AS blks_hit, coalesce(sum(blks_read), 0)::float8 AS blks_read,
    coalesce(sum(tup_returned), 0)::float8 AS tup_returned, coalesce(sum(tup_fetched), 0)::float8 AS tup_fetched,
    coalesce(sum(tup_inserted), 0)::float8 AS tup_inserted, coalesce(sum(tup_updated), 0)::float8 AS tup_updated,
    coalesce(sum(tup_deleted), 0)::float8 AS tup_deleted, coalesce(sum(extract(epoch FROM stats_reset)), 0)::float8 AS reset
  FROM pg_stat_database) d
CROSS JOIN (${checkpointSql(versionNum)}) c
CROSS JOIN (SELECT count(*)::int AS standbys,
    -- on a standby pg_current_wal_lsn() raises an error, and it has no standbys of its own here
    CASE WHEN pg_is_in_recovery() THEN NULL ELSE max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::float8 END AS lag_bytes,
    max(extract(epoch FROM replay_lag))::float8 AS lag_seconds
  FROM pg_stat_replication) r`);
  },
  columns: {
    atMs: 'number',
    startedMs: 'number',
    maxConnections: 'number',
    active: 'number',
    idle: 'number',
    idleInTransaction: 'number',
    otherState: 'number',
    lockWaiting: 'number',
    longestLockWaitSeconds: 'number?',
    longRunning: 'number',
    longestQuerySeconds: 'number?',
    longIdleInTransaction: 'number',
    longestIdleInTransactionSeconds: 'number?',
    oldestXactSeconds: 'number?',
    xidAge: 'number',
    freezeMaxAge: 'number',
    xactCommit: 'number',
    xactRollback: 'number',
    blksHit: 'number',
    blksRead: 'number',
    tupReturned: 'number',
    tupFetched: 'number',
    tupInserted: 'number',
    tupUpdated: 'number',
    tupDeleted: 'number',
    dbResetKey: 'number',
    checkpoints: 'number',
    buffersWritten: 'number',
    checkpointResetKey: 'number',
    walBytes: 'number',
    databaseBytes: 'number',
    standbys: 'number',
    replicationLagBytes: 'number?',
    replicationLagSeconds: 'number?',
  },
});

export async function readDashboardSample(q: Queryable, args: DashboardSampleArgs): Promise<DashboardSample> {
  const row = (await runQuery(q, dashboardSampleQuery, args))[0];
  if (!row) throw new Error('Dashboard sample: the server returned no row');
  return row;
}
