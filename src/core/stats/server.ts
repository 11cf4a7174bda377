// The Server node: what runs where (version, uptime, files), whether it is a replica, and its
// replication slots and standbys.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { CURRENT_LSN_SQL, IS_CLIENT_BACKEND, isoTs, sql, type Queryable } from './sql';

export interface ServerOverviewRow {
  version: string;
  versionNum: number;
  startedAt: string;
  uptimeSeconds: number;
  /** NULL when the role may not see file paths (needs pg_read_all_settings or superuser). */
  dataDirectory: string | null;
  configFile: string | null;
  hbaFile: string | null;
  isReplica: boolean;
  currentDatabase: string;
  currentUser: string;
  isSuperuser: boolean;
  maxConnections: number;
  connections: number;
}

// Paths come from pg_settings, not current_setting(): pg_settings hides rows a role may not
// see, where current_setting() raises an error and would fail the whole node.
export const serverOverviewQuery = defineQuery<VersionArgs, ServerOverviewRow>({
  id: 'server.overview',
  title: 'Server overview',
  build: () =>
    sql(`SELECT version() AS "version",
  current_setting('server_version_num')::int AS "versionNum",
  ${isoTs('pg_postmaster_start_time()')} AS "startedAt",
  extract(epoch FROM now() - pg_postmaster_start_time())::float8 AS "uptimeSeconds",
  (SELECT setting FROM pg_settings WHERE name = 'data_directory') AS "dataDirectory",
  (SELECT setting FROM pg_settings WHERE name = 'config_file') AS "configFile",
  (SELECT setting FROM pg_settings WHERE name = 'hba_file') AS "hbaFile",
  pg_is_in_recovery() AS "isReplica",
  current_database()::text AS "currentDatabase",
  current_user::text AS "currentUser",
  coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS "isSuperuser",
  current_setting('max_connections')::int AS "maxConnections",
  (SELECT count(*)::int FROM pg_stat_activity WHERE ${IS_CLIENT_BACKEND}) AS "connections"`),
  columns: {
    version: 'string',
    versionNum: 'number',
    startedAt: 'string',
    uptimeSeconds: 'number',
    dataDirectory: 'string?',
    configFile: 'string?',
    hbaFile: 'string?',
    isReplica: 'boolean',
    currentDatabase: 'string',
    currentUser: 'string',
    isSuperuser: 'boolean',
    maxConnections: 'number',
    connections: 'number',
  },
});

export async function serverOverview(q: Queryable, args: VersionArgs): Promise<ServerOverviewRow | undefined> {
  return (await runQuery(q, serverOverviewQuery, args))[0];
}

export interface ReplicationSlotRow {
  slotName: string;
  slotType: string;
  plugin: string | null;
  database: string | null;
  active: boolean;
  activePid: number | null;
  restartLsn: string | null;
  /** Bytes of WAL the slot holds back from removal; the number that fills disks. */
  retainedBytes: number | null;
  /** reserved | extended | unreserved | lost */
  walStatus: string | null;
  /** Bytes it may still fall behind before max_slot_wal_keep_size invalidates it; NULL when unlimited. */
  safeWalBytes: number | null;
  /** PostgreSQL 17+: why the slot was invalidated; NULL before 17. */
  invalidationReason: string | null;
  /** PostgreSQL 17+: since when the slot is unused; NULL before 17. */
  inactiveSince: string | null;
}

export const replicationSlotsQuery = defineQuery<VersionArgs, ReplicationSlotRow>({
  id: 'server.replicationSlots',
  title: 'Replication slots',
  build: ({ versionNum }) =>
    sql(`SELECT slot_name::text AS "slotName", slot_type AS "slotType", plugin::text AS "plugin",
  database::text AS "database", active AS "active", active_pid AS "activePid",
  restart_lsn::text AS "restartLsn",
  pg_wal_lsn_diff(${CURRENT_LSN_SQL}, restart_lsn)::float8 AS "retainedBytes",
  wal_status AS "walStatus", safe_wal_size::float8 AS "safeWalBytes",
  ${versionNum >= 170000 ? 'invalidation_reason' : 'NULL::text'} AS "invalidationReason",
  ${versionNum >= 170000 ? isoTs('inactive_since') : 'NULL::text'} AS "inactiveSince"
FROM pg_replication_slots
ORDER BY slot_name`),
  columns: {
    slotName: 'string',
    slotType: 'string',
    plugin: 'string?',
    database: 'string?',
    active: 'boolean',
    activePid: 'number?',
    restartLsn: 'string?',
    retainedBytes: 'number?',
    walStatus: 'string?',
    safeWalBytes: 'number?',
    invalidationReason: 'string?',
    inactiveSince: 'string?',
  },
});

export const replicationSlots = (q: Queryable, args: VersionArgs) => runQuery(q, replicationSlotsQuery, args);

export interface StandbyRow {
  pid: number;
  user: string | null;
  applicationName: string | null;
  clientAddr: string | null;
  /** NULL for a role without pg_read_all_stats: the server hides the details. */
  state: string | null;
  syncState: string | null;
  sentLsn: string | null;
  replayLsn: string | null;
  /** Bytes the standby's replay is behind this server's WAL position. */
  replayLagBytes: number | null;
  replayLagSeconds: number | null;
}

export const standbysQuery = defineQuery<VersionArgs, StandbyRow>({
  id: 'server.standbys',
  title: 'Standbys (pg_stat_replication)',
  build: () =>
    sql(`SELECT pid AS "pid", usename::text AS "user", application_name AS "applicationName",
  host(client_addr) AS "clientAddr", state AS "state", sync_state AS "syncState",
  sent_lsn::text AS "sentLsn", replay_lsn::text AS "replayLsn",
  pg_wal_lsn_diff(${CURRENT_LSN_SQL}, replay_lsn)::float8 AS "replayLagBytes",
  extract(epoch FROM replay_lag)::float8 AS "replayLagSeconds"
FROM pg_stat_replication
ORDER BY application_name, pid`),
  columns: {
    pid: 'number',
    user: 'string?',
    applicationName: 'string?',
    clientAddr: 'string?',
    state: 'string?',
    syncState: 'string?',
    sentLsn: 'string?',
    replayLsn: 'string?',
    replayLagBytes: 'number?',
    replayLagSeconds: 'number?',
  },
});

export const standbys = (q: Queryable, args: VersionArgs) => runQuery(q, standbysQuery, args);

export interface ReplayStatusRow {
  /** Replay paused (pg_wal_replay_pause): WAL still arrives, nothing is applied. */
  paused: boolean;
  /** now() − the commit time of the last transaction replayed; NULL before the first. */
  sinceLastReplaySeconds: number | null;
  /** WAL received from the primary and not yet replayed: the lag a standby can measure itself. */
  unreplayedBytes: number | null;
}

/** On a standby (overview.isReplica): its own replay against what it received (pgHero's replication lag). */
export const replayStatusQuery = defineQuery<VersionArgs, ReplayStatusRow>({
  id: 'server.replayStatus',
  title: 'Replay on this standby',
  build: () =>
    sql(`SELECT pg_is_wal_replay_paused() AS "paused",
  extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS "sinceLastReplaySeconds",
  pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8 AS "unreplayedBytes"`),
  columns: { paused: 'boolean', sinceLastReplaySeconds: 'number?', unreplayedBytes: 'number?' },
});

export const replayStatus = async (q: Queryable, args: VersionArgs) => (await runQuery(q, replayStatusQuery, args))[0];
