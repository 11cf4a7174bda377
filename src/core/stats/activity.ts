// The Activity node: sessions by state, long-running queries, and who blocks whom (the lock
// tree), with the statements that cancel or terminate a session. Sessions of other roles show
// state 'hidden' unless the role has pg_read_all_stats: the server withholds their details.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { IS_CLIENT_BACKEND, isoTs, sql, type Queryable, type SqlQuery } from './sql';

export interface SessionStateRow {
  /** active | idle | idle in transaction | … | hidden (another role's, without pg_read_all_stats) */
  state: string;
  sessions: number;
  waitingOnLock: number;
  /** Age of the oldest open transaction in this state, seconds. */
  oldestXactSeconds: number | null;
}

export const sessionStatesQuery = defineQuery<VersionArgs, SessionStateRow>({
  id: 'activity.states',
  title: 'Sessions by state',
  build: () =>
    sql(`SELECT coalesce(state, 'hidden') AS "state", count(*)::int AS "sessions",
  count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS "waitingOnLock",
  max(extract(epoch FROM now() - xact_start))::float8 AS "oldestXactSeconds"
FROM pg_stat_activity WHERE ${IS_CLIENT_BACKEND}
GROUP BY 1 ORDER BY 1`),
  columns: { state: 'string', sessions: 'number', waitingOnLock: 'number', oldestXactSeconds: 'number?' },
});

export const sessionStates = (q: Queryable, args: VersionArgs) => runQuery(q, sessionStatesQuery, args);

export interface SessionRow {
  pid: number;
  database: string | null;
  user: string | null;
  applicationName: string | null;
  clientAddr: string | null;
  state: string | null;
  waitEventType: string | null;
  waitEvent: string | null;
  backendStart: string | null;
  xactStart: string | null;
  queryStart: string | null;
  /** Seconds since the current (or, when idle, the last) query started. */
  queryAgeSeconds: number | null;
  xactAgeSeconds: number | null;
  /** '<insufficient privilege>' for other roles' sessions without pg_read_all_stats. */
  query: string | null;
}

export interface SessionsArgs extends VersionArgs {
  /** Only sessions in this state ('hidden' for those whose state is withheld). */
  state?: string;
  /** Only non-idle sessions whose query runs for at least this long: the long-running list. */
  minQuerySeconds?: number;
  /** Query text is cut to this many characters (a tree label needs little). */
  maxQueryLength?: number;
}

export const sessionsQuery = defineQuery<SessionsArgs, SessionRow>({
  id: 'activity.sessions',
  title: 'Sessions',
  build: ({ state, minQuerySeconds, maxQueryLength = 2000 }) => {
    const values: (string | number)[] = [maxQueryLength];
    const where = [IS_CLIENT_BACKEND, 'pid <> pg_backend_pid()'];
    if (state !== undefined) {
      values.push(state);
      where.push(`coalesce(state, 'hidden') = $${values.length}`);
    }
    if (minQuerySeconds !== undefined) {
      values.push(minQuerySeconds);
      where.push(`state <> 'idle' AND now() - query_start >= make_interval(secs => $${values.length})`);
    }
    return sql(
      `SELECT pid AS "pid", datname::text AS "database", usename::text AS "user", application_name AS "applicationName",
  host(client_addr) AS "clientAddr", state AS "state", wait_event_type AS "waitEventType", wait_event AS "waitEvent",
  ${isoTs('backend_start')} AS "backendStart", ${isoTs('xact_start')} AS "xactStart", ${isoTs('query_start')} AS "queryStart",
  extract(epoch FROM now() - query_start)::float8 AS "queryAgeSeconds",
  extract(epoch FROM now() - xact_start)::float8 AS "xactAgeSeconds",
  left(query, $1) AS "query"
FROM pg_stat_activity
WHERE ${where.join(' AND ')}
ORDER BY query_start NULLS LAST, pid`,
      values,
    );
  },
  columns: {
    pid: 'number',
    database: 'string?',
    user: 'string?',
    applicationName: 'string?',
    clientAddr: 'string?',
    state: 'string?',
    waitEventType: 'string?',
    waitEvent: 'string?',
    backendStart: 'string?',
    xactStart: 'string?',
    queryStart: 'string?',
    queryAgeSeconds: 'number?',
    xactAgeSeconds: 'number?',
    query: 'string?',
  },
});

export const listSessions = (q: Queryable, args: SessionsArgs) => runQuery(q, sessionsQuery, args);

export interface LockRow {
  pid: number;
  /** Sessions this one waits for (pg_blocking_pids); empty for a blocker at the root. */
  blockedBy: number[];
  database: string | null;
  user: string | null;
  state: string | null;
  waitEventType: string | null;
  waitEvent: string | null;
  queryStart: string | null;
  xactAgeSeconds: number | null;
  /** How long it has waited for its lock: pg_locks.waitstart on 14+, since its query began on 13. */
  lockWaitSeconds: number | null;
  query: string | null;
}

// pg_blocking_pids() is costly (it walks the lock table), so only sessions that wait on a lock
// are asked; their blockers are then added so that every root of the tree is present.
export const locksQuery = defineQuery<VersionArgs & { maxQueryLength?: number }, LockRow>({
  id: 'activity.locks',
  title: 'Blocked and blocking sessions',
  build: ({ versionNum, maxQueryLength = 2000 }) =>
    sql(
      `WITH waiting AS (
  SELECT pid, pg_blocking_pids(pid) AS blocked_by FROM pg_stat_activity WHERE wait_event_type = 'Lock'
), involved AS (
  SELECT pid FROM waiting WHERE cardinality(blocked_by) > 0
  UNION SELECT unnest(blocked_by) FROM waiting
)
SELECT a.pid AS "pid", coalesce(w.blocked_by, '{}') AS "blockedBy", a.datname::text AS "database",
  a.usename::text AS "user", a.state AS "state", a.wait_event_type AS "waitEventType", a.wait_event AS "waitEvent",
  ${isoTs('a.query_start')} AS "queryStart", extract(epoch FROM now() - a.xact_start)::float8 AS "xactAgeSeconds",
  ${
    versionNum >= 140000
      ? '(SELECT extract(epoch FROM now() - min(l.waitstart)) FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted)::float8'
      : "CASE WHEN a.wait_event_type = 'Lock' THEN extract(epoch FROM now() - a.query_start)::float8 END"
  } AS "lockWaitSeconds",
  left(a.query, $1) AS "query"
FROM involved i JOIN pg_stat_activity a ON a.pid = i.pid LEFT JOIN waiting w ON w.pid = a.pid
ORDER BY a.pid`,
      [maxQueryLength],
    ),
  columns: {
    pid: 'number',
    blockedBy: 'number[]',
    database: 'string?',
    user: 'string?',
    state: 'string?',
    waitEventType: 'string?',
    waitEvent: 'string?',
    queryStart: 'string?',
    xactAgeSeconds: 'number?',
    lockWaitSeconds: 'number?',
    query: 'string?',
  },
});

export const listLocks = (q: Queryable, args: VersionArgs & { maxQueryLength?: number }) => runQuery(q, locksQuery, args);

export interface LockNode {
  session: LockRow;
  /** Sessions waiting for this one. */
  blocks: LockNode[];
}

/**
 * The lock tree: roots are sessions that block others without waiting themselves (or, in a
 * cycle, the lowest pid); a session waiting on two blockers appears under both.
 */
export function buildLockTree(rows: readonly LockRow[]): LockNode[] {
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  const waiters = new Map<number, LockRow[]>();
  for (const r of rows) {
    for (const b of r.blockedBy) {
      const list = waiters.get(b) ?? [];
      list.push(r);
      waiters.set(b, list);
    }
  }
  const grow = (r: LockRow, path: Set<number>): LockNode => {
    const next = new Set(path).add(r.pid);
    return { session: r, blocks: (waiters.get(r.pid) ?? []).filter((w) => !next.has(w.pid)).map((w) => grow(w, next)) };
  };
  let roots = rows.filter((r) => r.blockedBy.every((b) => !byPid.has(b)) && waiters.has(r.pid));
  if (roots.length === 0 && rows.length > 0) {
    const first = [...rows].sort((a, b) => a.pid - b.pid)[0];
    roots = first ? [first] : [];
  }
  return roots.map((r) => grow(r, new Set()));
}

/** Cancels the session's current query (pg_cancel_backend); the session stays connected. */
export function cancelBackendSql(pid: number): SqlQuery {
  return sql('SELECT pg_cancel_backend($1) AS "signalled"', [checkPid(pid)]);
}

/** Ends the session (pg_terminate_backend): its transaction rolls back, its client is cut off. */
export function terminateBackendSql(pid: number): SqlQuery {
  return sql('SELECT pg_terminate_backend($1) AS "signalled"', [checkPid(pid)]);
}

function checkPid(pid: number): number {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a process id: ${pid}`);
  return pid;
}
