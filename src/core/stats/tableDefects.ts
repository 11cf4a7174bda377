// Tables of the connected database that lack what a DBA counts on: a primary key (or another
// replica identity, without which UPDATE and DELETE fail once the table is published), fresh
// planner statistics (rows changed since the last ANALYZE against the table's own autovacuum
// analyze threshold), and a vacuum threshold that fits its size (the global scale factor of 0.2
// lets a 100-million-row table collect 20 million dead rows). Reloptions override the settings,
// as autovacuum reads them; the columns read are the same on 13–18.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { isoTs, sql, type Queryable } from './sql';

const USER_TABLES = "c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'";

/** A reloption's number, or the server setting of the same name. */
const relopt = (name: string) =>
  `coalesce((SELECT substr(o, ${name.length + 2})::float8 FROM unnest(c.reloptions) o WHERE o LIKE '${name}=%'), current_setting('${name}')::float8)`;

export interface TableKeyRow {
  schema: string;
  table: string;
  bytes: number;
  /** relreplident: d default (the primary key: none here), n nothing, f full, i an index. */
  replicaIdentity: string;
  /** A valid, unique, non-partial index on plain NOT NULL columns: one that can become the key. */
  candidateIndex: string | null;
}

export const tablesWithoutKeyQuery = defineQuery<VersionArgs, TableKeyRow>({
  id: 'tables.withoutPrimaryKey',
  title: 'Tables without a primary key',
  build: () =>
    sql(`SELECT n.nspname::text AS "schema", c.relname::text AS "table", pg_total_relation_size(c.oid)::float8 AS "bytes",
  c.relreplident::text AS "replicaIdentity",
  (SELECT ci.relname::text FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
   WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
     AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = ANY (i.indkey) AND NOT a.attnotnull)
   ORDER BY i.indnkeyatts, ci.relname LIMIT 1) AS "candidateIndex"
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE ${USER_TABLES} AND NOT c.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
ORDER BY n.nspname, c.relname`),
  columns: { schema: 'string', table: 'string', bytes: 'number', replicaIdentity: 'string', candidateIndex: 'string?' },
});

export interface TableStatsAgeRow {
  schema: string;
  table: string;
  liveRows: number;
  /** Rows inserted, updated or deleted since the last ANALYZE (n_mod_since_analyze). */
  modsSinceAnalyze: number;
  /** autovacuum_analyze_threshold + autovacuum_analyze_scale_factor × reltuples, the table's own. */
  analyzeThreshold: number;
  lastAnalyze: string | null;
  /** Autovacuum may run here (the server's and the table's autovacuum_enabled). */
  autovacuumEnabled: boolean;
  /** Estimated rows (reltuples; -1 never vacuumed nor analyzed, 16+ keeps -1 until then). */
  reltuples: number;
  /** The vacuum scale factor that applies, and whether the table sets its own. */
  vacuumScaleFactor: number;
  ownScaleFactor: boolean;
  vacuumThreshold: number;
  bytes: number;
}

export interface TableStatsAgeArgs extends VersionArgs {
  /** stale: most rows changed per analyze threshold first; large: most rows first. */
  order: 'stale' | 'large';
  /** Only tables of at least this many estimated rows. */
  minRows?: number;
  limit?: number;
}

export const tableStatsAgeQuery = defineQuery<TableStatsAgeArgs, TableStatsAgeRow>({
  id: 'tables.statisticsAge',
  title: 'Table statistics and autovacuum thresholds',
  build: ({ order, minRows = 0, limit = 200 }) =>
    sql(
      `SELECT x.* FROM (
  SELECT n.nspname::text AS "schema", c.relname::text AS "table", s.n_live_tup::float8 AS "liveRows",
    s.n_mod_since_analyze::float8 AS "modsSinceAnalyze",
    (${relopt('autovacuum_analyze_threshold')} + ${relopt('autovacuum_analyze_scale_factor')} * greatest(c.reltuples, 0))::float8 AS "analyzeThreshold",
    ${isoTs('greatest(s.last_analyze, s.last_autoanalyze)')} AS "lastAnalyze",
    current_setting('autovacuum') = 'on' AND coalesce((SELECT substr(o, 20)::boolean FROM unnest(c.reloptions) o WHERE o LIKE 'autovacuum_enabled=%'), true) AS "autovacuumEnabled",
    c.reltuples::float8 AS "reltuples",
    ${relopt('autovacuum_vacuum_scale_factor')} AS "vacuumScaleFactor",
    EXISTS (SELECT 1 FROM unnest(c.reloptions) o WHERE o LIKE 'autovacuum_vacuum_scale_factor=%') AS "ownScaleFactor",
    (${relopt('autovacuum_vacuum_threshold')} + ${relopt('autovacuum_vacuum_scale_factor')} * greatest(c.reltuples, 0))::float8 AS "vacuumThreshold",
    pg_total_relation_size(c.oid)::float8 AS "bytes"
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_stat_user_tables s ON s.relid = c.oid
  WHERE ${USER_TABLES} AND greatest(c.reltuples, 0) >= $2
) x
ORDER BY ${order === 'stale' ? 'x."modsSinceAnalyze" / greatest(x."analyzeThreshold", 1) DESC, ' : ''}x."reltuples" DESC, x."schema", x."table"
LIMIT $1`,
      [limit, minRows],
    ),
  columns: {
    schema: 'string',
    table: 'string',
    liveRows: 'number',
    modsSinceAnalyze: 'number',
    analyzeThreshold: 'number',
    lastAnalyze: 'string?',
    autovacuumEnabled: 'boolean',
    reltuples: 'number',
    vacuumScaleFactor: 'number',
    ownScaleFactor: 'boolean',
    vacuumThreshold: 'number',
    bytes: 'number',
  },
});

export interface InvalidConstraintRow {
  schema: string;
  table: string;
  constraint: string;
  /** c check, f foreign key (the kinds that can be NOT VALID). */
  kind: string;
  /** pg_get_constraintdef, ending in NOT VALID. */
  definition: string;
  bytes: number;
}

/** Constraints added NOT VALID and never validated (pgHero's invalid constraints): old rows are unchecked. */
export const invalidConstraintsQuery = defineQuery<VersionArgs, InvalidConstraintRow>({
  id: 'tables.invalidConstraints',
  title: 'Constraints not validated',
  build: () =>
    sql(`SELECT n.nspname::text AS "schema", c.relname::text AS "table", k.conname::text AS "constraint", k.contype::text AS "kind",
  pg_get_constraintdef(k.oid) AS "definition", pg_total_relation_size(c.oid)::float8 AS "bytes"
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT k.convalidated AND ${USER_TABLES.replace("c.relkind = 'r'", "c.relkind IN ('r', 'p')")}
ORDER BY n.nspname, c.relname, k.conname`),
  columns: { schema: 'string', table: 'string', constraint: 'string', kind: 'string', definition: 'string', bytes: 'number' },
});

export const invalidConstraints = (q: Queryable, args: VersionArgs) => runQuery(q, invalidConstraintsQuery, args);
export const tablesWithoutKey = (q: Queryable, args: VersionArgs) => runQuery(q, tablesWithoutKeyQuery, args);
export const tableStatsAge = (q: Queryable, args: TableStatsAgeArgs) => runQuery(q, tableStatsAgeQuery, args);
