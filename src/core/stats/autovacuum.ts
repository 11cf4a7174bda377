// Autovacuum activity: the vacuums running now (any database), and the tables of the connected
// database with the most dead tuples, each against the threshold that would trigger autovacuum
// (autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor × reltuples, per-table
// reloptions first).
import { defineQuery, runQuery, type VersionArgs } from './query';
import { isoTs, sql, type Queryable } from './sql';

export interface VacuumProgressRow {
  pid: number;
  database: string | null;
  relid: number;
  /** The worker's query, e.g. "autovacuum: VACUUM public.orders" (names the table in any database). */
  query: string | null;
  isAutovacuum: boolean;
  phase: string;
  heapBlocksTotal: number;
  heapBlocksScanned: number;
  runningSeconds: number | null;
}

export const vacuumProgressQuery = defineQuery<VersionArgs, VacuumProgressRow>({
  id: 'stats.autovacuum.running',
  title: 'Running vacuums',
  build: () =>
    sql(`SELECT p.pid AS "pid", p.datname::text AS "database", p.relid::int8::float8 AS "relid", a.query AS "query",
  coalesce(a.backend_type = 'autovacuum worker', false) AS "isAutovacuum", p.phase AS "phase",
  p.heap_blks_total::float8 AS "heapBlocksTotal", p.heap_blks_scanned::float8 AS "heapBlocksScanned",
  extract(epoch FROM now() - a.xact_start)::float8 AS "runningSeconds"
FROM pg_stat_progress_vacuum p LEFT JOIN pg_stat_activity a ON a.pid = p.pid
ORDER BY p.pid`),
  columns: {
    pid: 'number',
    database: 'string?',
    relid: 'number',
    query: 'string?',
    isAutovacuum: 'boolean',
    phase: 'string',
    heapBlocksTotal: 'number',
    heapBlocksScanned: 'number',
    runningSeconds: 'number?',
  },
});

export const vacuumProgress = (q: Queryable, args: VersionArgs) => runQuery(q, vacuumProgressQuery, args);

export interface AutovacuumTableRow {
  schema: string;
  table: string;
  deadTuples: number;
  liveTuples: number;
  /** Dead tuples at which autovacuum will vacuum this table. */
  vacuumThreshold: number;
  /** Over the threshold: autovacuum should run (or is off, or is busy elsewhere). */
  due: boolean;
  /** autovacuum on for the server and not disabled on the table. */
  enabled: boolean;
  lastAutovacuum: string | null;
  lastAutoanalyze: string | null;
  autovacuumCount: number;
  autoanalyzeCount: number;
}

const relopt = (name: string) => `substring(array_to_string(c.reloptions, ' ') FROM '(?:^| )${name}=([^ ]+)')`;

export const autovacuumTablesQuery = defineQuery<VersionArgs & { limit?: number }, AutovacuumTableRow>({
  id: 'stats.autovacuum.tables',
  title: 'Autovacuum by table',
  build: ({ limit = 100 }) =>
    // Straight from pg_class and the pg_stat_get_* functions: pg_stat_user_tables would first
    // aggregate index scans for every table, which costs on a database of 10,000 tables.
    sql(
      `WITH top AS (
  SELECT c.oid, n.nspname, c.relname, c.reltuples, c.reloptions, pg_stat_get_dead_tuples(c.oid) AS dead
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
  ORDER BY pg_stat_get_dead_tuples(c.oid) DESC, n.nspname, c.relname
  LIMIT $1
)
SELECT c.nspname::text AS "schema", c.relname::text AS "table", c.dead::float8 AS "deadTuples",
  pg_stat_get_live_tuples(c.oid)::float8 AS "liveTuples", t.threshold AS "vacuumThreshold", c.dead > t.threshold AS "due",
  current_setting('autovacuum')::bool AND coalesce(${relopt('autovacuum_enabled')}::bool, true) AS "enabled",
  ${isoTs('pg_stat_get_last_autovacuum_time(c.oid)')} AS "lastAutovacuum",
  ${isoTs('pg_stat_get_last_autoanalyze_time(c.oid)')} AS "lastAutoanalyze",
  pg_stat_get_autovacuum_count(c.oid)::float8 AS "autovacuumCount", pg_stat_get_autoanalyze_count(c.oid)::float8 AS "autoanalyzeCount"
FROM top c
CROSS JOIN LATERAL (SELECT (coalesce(${relopt('autovacuum_vacuum_threshold')}::float8, current_setting('autovacuum_vacuum_threshold')::float8)
  + coalesce(${relopt('autovacuum_vacuum_scale_factor')}::float8, current_setting('autovacuum_vacuum_scale_factor')::float8)
    * greatest(c.reltuples, 0))::float8 AS threshold) t
ORDER BY c.dead DESC, c.nspname, c.relname`,
      [limit],
    ),
  columns: {
    schema: 'string',
    table: 'string',
    deadTuples: 'number',
    liveTuples: 'number',
    vacuumThreshold: 'number',
    due: 'boolean',
    enabled: 'boolean',
    lastAutovacuum: 'string?',
    lastAutoanalyze: 'string?',
    autovacuumCount: 'number',
    autoanalyzeCount: 'number',
  },
});

export const autovacuumTables = (q: Queryable, args: VersionArgs & { limit?: number }) => runQuery(q, autovacuumTablesQuery, args);
