// Failures of a stats query, sorted into what the person can do about them. A node of the tree
// shows `message`; nothing here throws anything but a StatsError.
import { isQueryTimeout } from '../db/connectError';

export type StatsErrorKind =
  /** The role lacks a privilege (pg_read_all_stats, superuser, pg_read_server_files …). */
  | 'permission'
  /** pg_stat_statements (or another extension) is not created in this database. */
  | 'extension-missing'
  /** The extension exists but its library is not in shared_preload_libraries. */
  | 'not-preloaded'
  /** statement_timeout or a cancel ended the query. */
  | 'timeout'
  /** The server is gone or unreachable. */
  | 'connection'
  | 'other';

export class StatsError extends Error {
  override readonly name = 'StatsError';
  constructor(
    readonly kind: StatsErrorKind,
    message: string,
    /** SQLSTATE or network code of the underlying error, when there was one. */
    readonly code?: string,
    /** The server's own words, for the log channel. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

const PRELOAD_EXPLANATION =
  'pg_stat_statements keeps its statistics in shared memory, which PostgreSQL sizes once when ' +
  'the server starts; so its library must be listed in shared_preload_libraries, a ' +
  "'postmaster' setting that takes effect only after a full restart (a reload is not enough).";

export const PG_STAT_STATEMENTS_PRELOAD_WHY = PRELOAD_EXPLANATION;

/** Sorts any error a query raised into a StatsError that a person can act on. */
export function toStatsError(e: unknown, what: string): StatsError {
  if (e instanceof StatsError) return e;
  const err = (e ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : undefined;
  const msg = typeof err.message === 'string' ? err.message : String(e);
  if (code === '42501') {
    return new StatsError(
      'permission',
      `${what}: permission denied (${msg}). A superuser can grant pg_read_all_stats (statistics of all sessions) or pg_read_all_settings (file paths and settings) to this role, or pg_monitor for both.`,
      code,
      msg,
    );
  }
  if (code === '55000' && /shared_preload_libraries/.test(msg)) {
    return new StatsError(
      'not-preloaded',
      `${what}: pg_stat_statements is created but not loaded. Add it to shared_preload_libraries and restart the server. ${PRELOAD_EXPLANATION}`,
      code,
      msg,
    );
  }
  if ((code === '42P01' || code === '42883') && /pg_stat_statements/.test(msg)) {
    return new StatsError(
      'extension-missing',
      `${what}: the pg_stat_statements extension is not created in this database (CREATE EXTENSION pg_stat_statements).`,
      code,
      msg,
    );
  }
  if (isQueryTimeout(e))
    return new StatsError(
      'timeout',
      `${what}: the server did not answer before the query's deadline: it may be stalled (disk, locks, network). The connection was closed.`,
      code,
      msg,
    );
  if (code === '57014') return new StatsError('timeout', `${what}: the query was cancelled or hit statement_timeout.`, code, msg);
  if (code?.startsWith('08') || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === '57P01' || /Connection terminated/i.test(msg)) {
    return new StatsError('connection', `${what}: the connection to the server was lost (${msg}).`, code, msg);
  }
  return new StatsError('other', `${what}: ${msg}`, code, msg);
}

/** Either rows or the reason there are none: what a tree node needs to render either way. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: StatsError };

export async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, error: toStatsError(e, 'query') };
  }
}
