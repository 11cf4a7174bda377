// One pg.Pool per profile. Every pgdba connection names itself (application_name 'pgdba') and
// carries a statement_timeout and, on the client side, a deadline a little longer (a server that
// stalls never sends statement_timeout's error); pg-pool destroys a client whose query failed, so
// a timed-out one is never reused. Queries are unnamed (no prepared statements) so that a PgBouncer in
// transaction mode in front of the server works.
import pg from 'pg';
import { CLIENT_GRACE_MS, clientConfig, endpointOf, type PgConnection } from './connection';
import { PgClient } from './pgClient';

export interface PoolOptions {
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

export function poolConfig(c: PgConnection, opts: PoolOptions): pg.PoolConfig {
  // The SSH tunnel forwards the server's port only; say so rather than connect to the server instead.
  if (opts.viaPgbouncer && c.via) throw new Error(`${c.name}: a PgBouncer behind an SSH hop is not reached by pgdba yet; connect to the server's port`);
  const bouncer = opts.pgbouncerCompatible || (opts.viaPgbouncer && c.pgbouncerPort !== undefined);
  return {
    ...clientConfig(c, { connectMs: opts.connectTimeoutMs ?? 5000, queryMs: bouncer ? opts.statementTimeoutMs : opts.statementTimeoutMs + CLIENT_GRACE_MS }),
    port: opts.viaPgbouncer && c.pgbouncerPort ? c.pgbouncerPort : endpointOf(c).port,
    ...(bouncer ? {} : { statement_timeout: opts.statementTimeoutMs }),
    idleTimeoutMillis: 30_000,
    max: opts.max ?? 4,
    Client: PgClient,
  };
}

export function createPool(c: PgConnection, opts: PoolOptions): pg.Pool {
  const pool = new pg.Pool(poolConfig(c, opts));
  // An idle client that loses its server emits 'error' on the pool; without a listener, Node
  // would crash the extension host. The next query reports the loss to the person instead.
  pool.on('error', () => undefined);
  return pool;
}

/** PgBouncer's answer to a startup parameter it does not pass on (e.g. statement_timeout). */
export function isPgbouncerStartupRejection(e: unknown): boolean {
  return /unsupported startup parameter/i.test((e as { message?: string }).message ?? '');
}
