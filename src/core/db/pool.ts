// One pg.Pool per profile. Every pgdba connection names itself (application_name 'pgdba') and
// carries a statement_timeout; queries are unnamed (no prepared statements) so that a PgBouncer in
// transaction mode in front of the server works.
import pg from 'pg';
import type { ConnectionProfile } from './profile';

export interface PoolOptions {
  password?: string;
  statementTimeoutMs: number;
  connectTimeoutMs?: number;
  max?: number;
  /** Connect through the profile's PgBouncer port instead of the server's. */
  viaPgbouncer?: boolean;
  /**
   * The port is a PgBouncer (or one answered "unsupported startup parameter"): PgBouncer passes
   * only a few startup parameters and refuses statement_timeout, so the timeout is enforced on
   * the client side instead (query_timeout), and nothing session-level is SET — in transaction
   * mode a SET would leak to other clients sharing the server connection.
   */
  pgbouncerCompatible?: boolean;
}

export function poolConfig(profile: ConnectionProfile, opts: PoolOptions): pg.PoolConfig {
  const ssl = profile.sslmode === undefined || profile.sslmode === 'disable' || profile.sslmode === 'prefer'
    ? false
    : { rejectUnauthorized: profile.sslmode === 'verify-ca' || profile.sslmode === 'verify-full' };
  const bouncer = opts.pgbouncerCompatible || (opts.viaPgbouncer && profile.pgbouncerPort !== undefined);
  return {
    host: profile.host,
    port: opts.viaPgbouncer && profile.pgbouncerPort ? profile.pgbouncerPort : profile.port,
    database: profile.database,
    user: profile.user,
    password: opts.password,
    ssl,
    application_name: 'pgdba',
    ...(bouncer ? { query_timeout: opts.statementTimeoutMs } : { statement_timeout: opts.statementTimeoutMs }),
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    max: opts.max ?? 4,
  };
}

export function createPool(profile: ConnectionProfile, opts: PoolOptions): pg.Pool {
  const pool = new pg.Pool(poolConfig(profile, opts));
  // An idle client that loses its server emits 'error' on the pool; without a listener, Node
  // would crash the extension host. The next query reports the loss to the person instead.
  pool.on('error', () => undefined);
  return pool;
}

/** PgBouncer's answer to a startup parameter it does not pass on (e.g. statement_timeout). */
export function isPgbouncerStartupRejection(e: unknown): boolean {
  return /unsupported startup parameter/i.test((e as { message?: string }).message ?? '');
}

/** Error text a person can act on, from a pg or network error. */
export function describeConnectError(e: unknown, profile: ConnectionProfile): string {
  const err = e as { code?: string; message?: string };
  const where = `${profile.host}:${profile.port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `No PostgreSQL server answers at ${where}: is it running, and is the port right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Host "${profile.host}" is unknown: check the profile's host.`;
    case 'ETIMEDOUT':
      return `Connecting to ${where} timed out: check the host, the port and any firewall.`;
    case '28P01':
      return `Password authentication failed for user "${profile.user}": set the password again (PostgreSQL DBA: Set Password) or check ~/.pgpass.`;
    case '28000':
      return `The server refused user "${profile.user}" (pg_hba.conf has no line for this host, user and database).`;
    case '3D000':
      return `Database "${profile.database}" does not exist on ${where}.`;
    default:
      if (/password must be a string|SASL: .*password/i.test(err.message ?? '')) {
        return `No password for ${profile.user}@${where}: set one (PostgreSQL DBA: Set Password), or add it to ~/.pgpass.`;
      }
      return `Cannot connect to ${where}: ${err.message ?? String(e)}`;
  }
}
