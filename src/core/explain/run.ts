// Runs EXPLAIN on a pool's connection, safely: the statement is checked first (safety.ts), runs
// inside BEGIN … ROLLBACK with a SET LOCAL statement_timeout, and is cancelled for real through
// pg_cancel_backend() from a second connection. Whatever happens, no transaction stays open: the
// ROLLBACK runs in `finally`, and a connection that failed is destroyed (the server then aborts
// whatever it was doing), never returned to the pool. The whole run has a client-side deadline
// (timeoutMs and a grace): a server that stops answering cannot send statement_timeout's error.
import pg from 'pg';
import { CLIENT_GRACE_MS } from '../db/connection';
import { isQueryTimeout } from '../db/connectError';
import { checkStatement, type Effect } from './safety';
import { explainOptionList, type ExplainOptions } from './explainOptions';
import { quoteLiteral } from '../stats/sql';

export interface RunOptions extends ExplainOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** SET LOCAL for this run only (work_mem, enable_* …): what-if experiments. */
  session?: Record<string, string>;
}

/** SET LOCAL statements; names are checked, values quoted as literals. */
function setLocalSql(session: Record<string, string>): string[] {
  return Object.entries(session).map(([name, value]) => {
    if (!/^[a-z_][a-z0-9_.]*$/i.test(name)) throw new Error(`"${name}" is not a setting name`);
    return `SET LOCAL ${name} = ${quoteLiteral(value)}`;
  });
}

export type RunFailure = 'refused' | 'sql-error' | 'cancelled' | 'timeout' | 'connection-lost';

export type ExplainRun =
  | {
      ok: true;
      /** The JSON value EXPLAIN (FORMAT JSON) returned. */
      planJson: unknown;
      sql: string;
      explainSql: string;
      major: number;
      effect: Effect;
      /** Always true for ANALYZE: the statement ran inside BEGIN … ROLLBACK. */
      rolledBack: boolean;
      /** What the person should be told ("It is an UPDATE: it ran inside BEGIN … ROLLBACK"). */
      notices: string[];
    }
  | { ok: false; kind: RunFailure; message: string; /** 0-based offset in the statement. */ position?: number; code?: string };

const CONNECTION_LOST = /Connection terminated|ECONNRESET|EPIPE|terminating connection|server closed the connection/i;

export async function runExplain(pool: pg.Pool, statement: string, opts: RunOptions): Promise<ExplainRun> {
  const safety = checkStatement(statement);
  if (!safety.ok) return { ok: false, kind: 'refused', message: `Not run: ${safety.reason}.` };
  if (opts.signal?.aborted) return { ok: false, kind: 'cancelled', message: 'Cancelled before it started.' };
  const client = await pool.connect();
  let broken: Error | undefined;
  let pid: number | undefined;
  let cancelled = false;
  let stalled = false;
  let cancelling: Promise<void> | undefined;
  let prefixLen = 0;
  let released = false;
  // release(err) destroys the connection instead of pooling it; the deadline may have done so already.
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    client.release(err);
  };
  const deadline = setTimeout(() => {
    stalled = true;
    broken = new Error(`no answer within ${opts.timeoutMs + CLIENT_GRACE_MS} ms`);
    release(broken); // the pending query then rejects with "Connection terminated"
  }, opts.timeoutMs + CLIENT_GRACE_MS);
  const onAbort = () => {
    cancelled = true;
    if (pid !== undefined) cancelling = cancelBackend(pool, pid);
  };
  opts.signal?.addEventListener('abort', onAbort);
  // An abort while pool.connect() waited (a cold pool on a loaded machine) fired before the listener.
  if (opts.signal?.aborted) onAbort();
  // A server that goes away mid-query makes the client emit 'error'; the query rejects too.
  const onError = (e: Error) => {
    broken = e;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const info = await client.query<{ pid: number; v: string }>("SELECT pg_backend_pid() AS pid, current_setting('server_version_num') AS v");
    pid = info.rows[0]!.pid;
    const major = Math.floor(Number(info.rows[0]!.v) / 10000);
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(opts.timeoutMs))}`);
    for (const set of setLocalSql(opts.session ?? {})) await client.query(set);
    if (cancelled) return { ok: false, kind: 'cancelled', message: 'Cancelled before it started.' };
    const prefix = `EXPLAIN (${explainOptionList(opts, major).join(', ')}) `;
    prefixLen = prefix.length;
    const explainSql = prefix + safety.sql;
    const r = await client.query<Record<string, unknown>>(explainSql);
    const value = r.rows[0]?.['QUERY PLAN'];
    const planJson: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    const notices: string[] = [];
    if (opts.analyze && safety.effect !== 'read')
      notices.push(`The statement ran inside BEGIN … ROLLBACK because ${safety.reason ?? 'it may write'}: nothing it changed was kept.`);
    notices.push(...safety.notes);
    return { ok: true, planJson, sql: safety.sql, explainSql, major, effect: safety.effect, rolledBack: true, notices };
  } catch (e) {
    if (isQueryTimeout(e)) {
      stalled = true;
      broken = e as Error;
    }
    return failure(e, cancelled, stalled, broken, statement.indexOf(safety.sql), prefixLen, opts.timeoutMs);
  } finally {
    clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', onAbort);
    // The cancel's own connection may still be on its way (it can land after an early return):
    // wait for it before ROLLBACK, so that it neither outlives the run nor cancels a later query.
    await cancelling;
    if (!broken) {
      try {
        await client.query('ROLLBACK');
      } catch (e) {
        broken = e as Error;
      }
    }
    client.off('error', onError);
    release(broken);
  }
}

function failure(
  e: unknown,
  cancelled: boolean,
  stalled: boolean,
  broken: Error | undefined,
  sqlStart: number,
  prefixLen: number,
  timeoutMs: number,
): ExplainRun {
  const err = e as pg.DatabaseError;
  const message = err.message ?? String(e);
  if (stalled) {
    return {
      ok: false,
      kind: 'timeout',
      message: `The server did not answer within ${timeoutMs} ms (and ${CLIENT_GRACE_MS} ms of grace): pgdba closed the connection, and the server rolls back its transaction, so nothing was kept. Check that the server is not stalled (disk, locks, network), or give a longer timeout.`,
    };
  }
  if (err.code === '57014') {
    return cancelled
      ? { ok: false, kind: 'cancelled', message: 'Cancelled: the server stopped the statement and rolled it back.', code: err.code }
      : {
          ok: false,
          kind: 'timeout',
          message: `Stopped by statement_timeout after ${timeoutMs} ms (rolled back). Use plain EXPLAIN for queries this slow.`,
          code: err.code,
        };
  }
  if (broken || err.code === '57P01' || err.code === '57P02' || err.code === '57P03' || CONNECTION_LOST.test(message)) {
    return {
      ok: false,
      kind: 'connection-lost',
      message: `The connection was lost during the run (${message}); the server rolls back an interrupted transaction, so nothing was kept.`,
      code: err.code,
    };
  }
  // The server's position is 1-based in the text we sent: map it back into the statement.
  const pos = err.position ? Number(err.position) - 1 - prefixLen : undefined;
  return { ok: false, kind: 'sql-error', message, code: err.code, position: pos !== undefined && pos >= 0 ? pos + Math.max(0, sqlStart) : undefined };
}

/** A cancel that cannot reach the server in this time gives up: the run waits for it. */
const CANCEL_DEADLINE_MS = 5000;

/** The pg client has no cancel API: ask the server, from a second connection, to cancel the pid. */
async function cancelBackend(pool: pg.Pool, pid: number): Promise<void> {
  const deadline = Math.min(pool.options.connectionTimeoutMillis || CANCEL_DEADLINE_MS, CANCEL_DEADLINE_MS);
  // pg-pool keeps the password as a non-enumerable property: a spread alone would drop it, and the
  // cancel would fail to log in (SCRAM: "client password must be a string").
  const c = new pg.Client({ ...pool.options, password: pool.options.password, connectionTimeoutMillis: deadline, query_timeout: CANCEL_DEADLINE_MS });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // Nothing more to do: the statement_timeout still bounds the run.
  } finally {
    await c.end().catch(() => undefined);
  }
}
