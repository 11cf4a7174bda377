// Sessions past their time: statements running for long, and transactions left idle, with the
// locks each one holds (what the others wait for) and the settings that bound them. The
// relations are named in the connected database only: pg_locks' OIDs of another one mean nothing here.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { IS_CLIENT_BACKEND, sql, type Queryable } from './sql';

export interface LongSessionRow {
  pid: number;
  database: string | null;
  user: string | null;
  state: string;
  queryAgeSeconds: number | null;
  xactAgeSeconds: number | null;
  /** Since its state last changed: how long it has been idle, for a session idle in a transaction. */
  idleSeconds: number | null;
  /** Locks granted to it, and up to five relations of this database among them. */
  locksHeld: number;
  relations: string[];
  query: string | null;
  /** idle_in_transaction_session_timeout in milliseconds (0: none). */
  idleTimeoutMs: number;
}

export interface LongSessionsArgs extends VersionArgs {
  /** Active statements running at least this long. */
  minQuerySeconds: number;
  /** Transactions idle (in transaction, or aborted) for at least this long. */
  minIdleSeconds: number;
  maxQueryLength?: number;
}

export const longSessionsQuery = defineQuery<LongSessionsArgs, LongSessionRow>({
  id: 'activity.longSessions',
  title: 'Long-running and idle-in-transaction sessions',
  build: ({ minQuerySeconds, minIdleSeconds, maxQueryLength = 200 }) =>
    sql(
      `SELECT a.pid AS "pid", a.datname::text AS "database", a.usename::text AS "user", a.state AS "state",
  extract(epoch FROM now() - a.query_start)::float8 AS "queryAgeSeconds",
  extract(epoch FROM now() - a.xact_start)::float8 AS "xactAgeSeconds",
  extract(epoch FROM now() - a.state_change)::float8 AS "idleSeconds",
  (SELECT count(*) FROM pg_locks l WHERE l.pid = a.pid AND l.granted)::int AS "locksHeld",
  ARRAY(SELECT DISTINCT l.relation::regclass::text FROM pg_locks l
    WHERE l.pid = a.pid AND l.granted AND l.relation IS NOT NULL
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    ORDER BY 1 LIMIT 5) AS "relations",
  left(a.query, $3) AS "query",
  (SELECT setting::float8 FROM pg_settings WHERE name = 'idle_in_transaction_session_timeout') AS "idleTimeoutMs"
FROM pg_stat_activity a
WHERE ${IS_CLIENT_BACKEND} AND a.pid <> pg_backend_pid()
  AND ((a.state = 'active' AND now() - a.query_start >= make_interval(secs => $1))
    OR (a.state LIKE 'idle in transaction%' AND now() - a.state_change >= make_interval(secs => $2)))
ORDER BY a.xact_start NULLS LAST, a.pid`,
      [minQuerySeconds, minIdleSeconds, maxQueryLength],
    ),
  columns: {
    pid: 'number',
    database: 'string?',
    user: 'string?',
    state: 'string',
    queryAgeSeconds: 'number?',
    xactAgeSeconds: 'number?',
    idleSeconds: 'number?',
    locksHeld: 'number',
    relations: 'string[]',
    query: 'string?',
    idleTimeoutMs: 'number',
  },
});

export const longSessions = (q: Queryable, args: LongSessionsArgs) => runQuery(q, longSessionsQuery, args);
