// The console's SHOW answers as typed rows, read by column name: PgBouncer adds columns from one
// version to the next (maxwait_us, cl_active_cancel_req, total_server_assignment_count …) and
// drops none that pgdba reads; a column a version lacks reads as 0 or ''.
import type { ConsoleRow } from './console';

export function num(r: ConsoleRow, col: string): number {
  const v = r[col];
  if (v === null || v === undefined || v === '') return 0;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

export function str(r: ConsoleRow, col: string): string {
  const v = r[col];
  return v === null || v === undefined ? '' : String(v);
}

export interface PoolRow {
  database: string;
  user: string;
  clActive: number;
  clWaiting: number;
  svActive: number;
  svIdle: number;
  svUsed: number;
  svTested: number;
  svLogin: number;
  /** Seconds the oldest waiting client has waited (maxwait + maxwait_us). */
  maxwaitSeconds: number;
  poolMode: string;
}

export function poolRows(rows: readonly ConsoleRow[]): PoolRow[] {
  return rows.map((r) => ({
    database: str(r, 'database'),
    user: str(r, 'user'),
    clActive: num(r, 'cl_active'),
    clWaiting: num(r, 'cl_waiting'),
    svActive: num(r, 'sv_active'),
    svIdle: num(r, 'sv_idle'),
    svUsed: num(r, 'sv_used'),
    svTested: num(r, 'sv_tested'),
    svLogin: num(r, 'sv_login'),
    maxwaitSeconds: num(r, 'maxwait') + num(r, 'maxwait_us') / 1e6,
    poolMode: str(r, 'pool_mode'),
  }));
}

/** Server connections a pool holds, whatever their state. */
export function poolServerConnections(p: PoolRow): number {
  return p.svActive + p.svIdle + p.svUsed + p.svTested + p.svLogin;
}

export interface StatsRow {
  database: string;
  totalXactCount: number;
  totalQueryCount: number;
  /** Microseconds, as PgBouncer counts them. */
  totalXactTime: number;
  totalQueryTime: number;
  totalWaitTime: number;
  /** PgBouncer's own averages over its last stats_period: per second for counts, microseconds for times. */
  avgXactCount: number;
  avgQueryCount: number;
  avgQueryTime: number;
  avgWaitTime: number;
}

export function statsRows(rows: readonly ConsoleRow[]): StatsRow[] {
  return rows.map((r) => ({
    database: str(r, 'database'),
    totalXactCount: num(r, 'total_xact_count'),
    totalQueryCount: num(r, 'total_query_count'),
    totalXactTime: num(r, 'total_xact_time'),
    totalQueryTime: num(r, 'total_query_time'),
    totalWaitTime: num(r, 'total_wait_time'),
    avgXactCount: num(r, 'avg_xact_count'),
    avgQueryCount: num(r, 'avg_query_count'),
    avgQueryTime: num(r, 'avg_query_time'),
    avgWaitTime: num(r, 'avg_wait_time'),
  }));
}

export interface DatabaseRow {
  name: string;
  host: string;
  port: number;
  /** The server-side database name. */
  database: string;
  forceUser: string;
  poolSize: number;
  reservePool: number;
  poolMode: string;
  /** 0: no limit. */
  maxConnections: number;
  currentConnections: number;
  paused: boolean;
  disabled: boolean;
}

export function databaseRows(rows: readonly ConsoleRow[]): DatabaseRow[] {
  return rows.map((r) => ({
    name: str(r, 'name'),
    host: str(r, 'host'),
    port: num(r, 'port'),
    database: str(r, 'database'),
    forceUser: str(r, 'force_user'),
    poolSize: num(r, 'pool_size'),
    reservePool: num(r, 'reserve_pool'),
    poolMode: str(r, 'pool_mode'),
    maxConnections: num(r, 'max_connections'),
    currentConnections: num(r, 'current_connections'),
    paused: num(r, 'paused') !== 0,
    disabled: num(r, 'disabled') !== 0,
  }));
}

export interface ClientRow {
  user: string;
  database: string;
  state: string;
  addr: string;
  port: number;
  /** Seconds this client has waited for a server connection (wait + wait_us; 0 when not waiting). */
  waitSeconds: number;
  applicationName: string;
}

export function clientRows(rows: readonly ConsoleRow[]): ClientRow[] {
  return rows.map((r) => ({
    user: str(r, 'user'),
    database: str(r, 'database'),
    state: str(r, 'state'),
    addr: str(r, 'addr'),
    port: num(r, 'port'),
    waitSeconds: num(r, 'wait') + num(r, 'wait_us') / 1e6,
    applicationName: str(r, 'application_name'),
  }));
}

export interface ServerRow {
  user: string;
  database: string;
  state: string;
  addr: string;
  port: number;
  applicationName: string;
}

export function serverRows(rows: readonly ConsoleRow[]): ServerRow[] {
  return rows.map((r) => ({
    user: str(r, 'user'),
    database: str(r, 'database'),
    state: str(r, 'state'),
    addr: str(r, 'addr'),
    port: num(r, 'port'),
    applicationName: str(r, 'application_name'),
  }));
}

/** SHOW CONFIG: key → value (changeable is not needed here). */
export function configMap(rows: readonly ConsoleRow[]): Map<string, string> {
  return new Map(rows.map((r) => [str(r, 'key'), str(r, 'value')]));
}

/** SHOW LISTS: list → items. */
export function listsMap(rows: readonly ConsoleRow[]): Map<string, number> {
  return new Map(rows.map((r) => [str(r, 'list'), num(r, 'items')]));
}

/** SHOW VERSION: one row, one column ("version"; older ones named it differently). */
export function versionText(rows: readonly ConsoleRow[]): string {
  const r = rows[0];
  if (!r) return '';
  return str(r, 'version') || String(Object.values(r)[0] ?? '');
}
