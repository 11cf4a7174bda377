// Top queries from pg_stat_statements, and whether they can be read at all: the extension must
// be created in the database, and its library preloaded at server start. Column names follow the
// extension's version, not the server's: 1.8 (PostgreSQL 13) renamed total_time/mean_time to
// total_exec_time/mean_exec_time, but a database upgraded by pg_upgrade can keep an older one.
import { PG_STAT_STATEMENTS_PRELOAD_WHY, StatsError } from './errors';
import { defineQuery, runQuery, type VersionArgs } from './query';
import { alterSystemSet, splitListValue } from './settingsChange';
import { quoteIdent } from '../db/sqlIdent';
import { sql, type Queryable } from './sql';

export interface StatementsStatusRow {
  /** Version created in this database (pg_extension), NULL when not created. */
  installedVersion: string | null;
  /** Schema it was created in (the view is looked up there). */
  schema: string | null;
  /** Version the server could install (pg_available_extensions), NULL when not shipped. */
  availableVersion: string | null;
  /** NULL when the role may not read shared_preload_libraries (pg_read_all_settings). */
  preloaded: boolean | null;
  /** The current value of shared_preload_libraries (NULL when hidden): the fix keeps it. */
  sharedPreloadLibraries: string | null;
  /** The role may CREATE EXTENSION pg_stat_statements (not a trusted extension: superuser only). */
  canCreate: boolean;
}

export const statementsStatusQuery = defineQuery<VersionArgs, StatementsStatusRow>({
  id: 'stats.statements.status',
  title: 'pg_stat_statements status',
  build: () =>
    sql(`SELECT e.extversion::text AS "installedVersion", n.nspname::text AS "schema",
  (SELECT default_version FROM pg_available_extensions WHERE name = 'pg_stat_statements')::text AS "availableVersion",
  -- entries may be quoted or carry a path ('$libdir/pg_stat_statements')
  (SELECT EXISTS (SELECT 1 FROM unnest(string_to_array(setting, ',')) lib
     WHERE regexp_replace(trim(both ' "' FROM lib), '^.*/', '') IN ('pg_stat_statements', 'pg_stat_statements.so'))
     FROM pg_settings WHERE name = 'shared_preload_libraries') AS "preloaded",
  (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries') AS "sharedPreloadLibraries",
  coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS "canCreate"
FROM (SELECT 1) one
LEFT JOIN pg_extension e ON e.extname = 'pg_stat_statements'
LEFT JOIN pg_namespace n ON n.oid = e.extnamespace`),
  columns: {
    installedVersion: 'string?',
    schema: 'string?',
    availableVersion: 'string?',
    preloaded: 'boolean?',
    sharedPreloadLibraries: 'string?',
    canCreate: 'boolean',
  },
});

export async function statementsStatus(q: Queryable, args: VersionArgs): Promise<StatementsStatusRow> {
  const row = (await runQuery(q, statementsStatusQuery, args))[0];
  if (!row) throw new StatsError('other', 'pg_stat_statements status: no row');
  return row;
}

export const CREATE_PG_STAT_STATEMENTS = 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements';

export interface StatementsReadiness {
  ready: boolean;
  /** Why not, in words a DBA can act on; undefined when ready. */
  reason?: string;
  /** What fixes it, when a statement does (the tree offers to run it, after confirmation). */
  fixSql?: string;
  /** Needs a restart of the server: the library is not preloaded. */
  needsRestart: boolean;
}

/** Reads a status row into "can we show top queries, and if not, why". */
export function statementsReadiness(s: StatementsStatusRow): StatementsReadiness {
  if (s.availableVersion === null && s.installedVersion === null) {
    return { ready: false, needsRestart: false, reason: 'pg_stat_statements is not installed on the server (it ships with the postgresql-contrib files).' };
  }
  if (s.preloaded === false) {
    return {
      ready: false,
      needsRestart: true,
      // Appended to the libraries already listed: replacing them would unload those at restart.
      fixSql: alterSystemSet('shared_preload_libraries', [...splitListValue(s.sharedPreloadLibraries ?? ''), 'pg_stat_statements']).text,
      reason: `pg_stat_statements is not in shared_preload_libraries. ${PG_STAT_STATEMENTS_PRELOAD_WHY}`,
    };
  }
  if (s.installedVersion === null) {
    return {
      ready: false,
      needsRestart: false,
      fixSql: CREATE_PG_STAT_STATEMENTS,
      reason: s.canCreate
        ? 'The pg_stat_statements extension is not created in this database.'
        : 'The pg_stat_statements extension is not created in this database; a superuser must run CREATE EXTENSION pg_stat_statements.',
    };
  }
  return { ready: true, needsRestart: false };
}

export interface TopStatementRow {
  queryid: string | null;
  user: string | null;
  database: string | null;
  /** '<insufficient privilege>' for other roles' statements without pg_read_all_stats. */
  query: string | null;
  calls: number;
  totalExecMs: number;
  meanExecMs: number;
  rows: number;
  /** Share of all statements' execution time, percent. */
  pctOfTotal: number | null;
  sharedBlocksHit: number;
  sharedBlocksRead: number;
}

export interface TopStatementsArgs extends VersionArgs {
  /** Order by total time (the default: where the server spends its time) or by mean time. */
  orderBy?: 'total' | 'mean';
  /** The seed lists mean times only for statements called more than 10 times. */
  minCalls?: number;
  limit?: number;
  /** Schema the extension lives in (statementsStatus().schema); 'public' by default. */
  schema?: string;
  /** Installed extension version (statementsStatus().installedVersion); picks the column names. */
  extVersion?: string | null;
  maxQueryLength?: number;
}

function versionAtLeast(v: string | null | undefined, major: number, minor: number): boolean {
  if (!v) return true; // unknown: assume current column names
  const [a = 0, b = 0] = v.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

export const topStatementsQuery = defineQuery<TopStatementsArgs, TopStatementRow>({
  id: 'stats.statements.top',
  title: 'Top queries (pg_stat_statements)',
  build: ({ orderBy = 'total', minCalls = 0, limit = 50, schema = 'public', extVersion, maxQueryLength = 2000 }) => {
    const modern = versionAtLeast(extVersion, 1, 8);
    const total = modern ? 's.total_exec_time' : 's.total_time';
    const mean = modern ? 's.mean_exec_time' : 's.mean_time';
    return sql(
      `SELECT s.queryid::text AS "queryid", r.rolname::text AS "user", d.datname::text AS "database",
  left(s.query, $3) AS "query", s.calls::float8 AS "calls", ${total}::float8 AS "totalExecMs", ${mean}::float8 AS "meanExecMs",
  s.rows::float8 AS "rows",
  round((100 * ${total} / nullif(sum(${total}) OVER (), 0))::numeric, 2)::float8 AS "pctOfTotal",
  s.shared_blks_hit::float8 AS "sharedBlocksHit", s.shared_blks_read::float8 AS "sharedBlocksRead"
FROM ${quoteIdent(schema)}.pg_stat_statements s
LEFT JOIN pg_roles r ON r.oid = s.userid
LEFT JOIN pg_database d ON d.oid = s.dbid
WHERE s.calls >= $1
ORDER BY ${orderBy === 'mean' ? mean : total} DESC
LIMIT $2`,
      [minCalls, limit, maxQueryLength],
    );
  },
  columns: {
    queryid: 'string?',
    user: 'string?',
    database: 'string?',
    query: 'string?',
    calls: 'number',
    totalExecMs: 'number',
    meanExecMs: 'number',
    rows: 'number',
    pctOfTotal: 'number?',
    sharedBlocksHit: 'number',
    sharedBlocksRead: 'number',
  },
});

export const topStatements = (q: Queryable, args: TopStatementsArgs) => runQuery(q, topStatementsQuery, args);

export interface DatabaseQueryTimeRow {
  database: string;
  calls: number;
  totalExecMs: number;
  /** Average execution time of a statement in this database, ms: the seed's "average query time". */
  meanExecMs: number;
}

export const queryTimeByDatabaseQuery = defineQuery<Omit<TopStatementsArgs, 'orderBy' | 'limit' | 'maxQueryLength'>, DatabaseQueryTimeRow>({
  id: 'stats.statements.byDatabase',
  title: 'Average query time per database (pg_stat_statements)',
  build: ({ schema = 'public', extVersion, minCalls = 0 }) => {
    const total = versionAtLeast(extVersion, 1, 8) ? 's.total_exec_time' : 's.total_time';
    return sql(
      `SELECT d.datname::text AS "database", sum(s.calls)::float8 AS "calls", sum(${total})::float8 AS "totalExecMs",
  (sum(${total}) / nullif(sum(s.calls), 0))::float8 AS "meanExecMs"
FROM ${quoteIdent(schema)}.pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
GROUP BY d.datname HAVING sum(s.calls) >= greatest($1::int8, 1)
ORDER BY d.datname`,
      [minCalls],
    );
  },
  columns: { database: 'string', calls: 'number', totalExecMs: 'number', meanExecMs: 'number' },
});

export const queryTimeByDatabase = (q: Queryable, args: Omit<TopStatementsArgs, 'orderBy' | 'limit' | 'maxQueryLength'>) =>
  runQuery(q, queryTimeByDatabaseQuery, args);
