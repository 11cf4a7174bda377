// Transaction ID and multixact wraparound: the age of each database and of the oldest tables,
// with the autovacuum_*freeze_max_age they are held against, and what holds freezing back — an
// old snapshot or transaction ID anywhere keeps VACUUM from advancing relfrozenxid past it.
// The columns read are the same on 13–18 (pg_replication_slots.xmin/catalog_xmin, backend_xid,
// backend_xmin, mxid_age).
import { defineQuery, runQuery, type VersionArgs } from './query';
import { sql, IS_CLIENT_BACKEND, type Queryable } from './sql';

/** VACUUM must freeze before an age of 2^31: the server refuses new transactions near it. */
export const WRAPAROUND_LIMIT = 2 ** 31;

export interface WraparoundDatabaseRow {
  database: string;
  xidAge: number;
  mxidAge: number;
  /** autovacuum_freeze_max_age and autovacuum_multixact_freeze_max_age. */
  freezeMaxAge: number;
  multixactFreezeMaxAge: number;
}

// template0 is left out: nothing writes to it, no one can connect to VACUUM it, and autovacuum
// freezes it itself once past the max age, so it would show at ~100% before each such run.
export const wraparoundDatabasesQuery = defineQuery<VersionArgs, WraparoundDatabaseRow>({
  id: 'wraparound.databases',
  title: 'Wraparound (databases)',
  build: () =>
    sql(`SELECT d.datname::text AS "database", age(d.datfrozenxid)::float8 AS "xidAge", mxid_age(d.datminmxid)::float8 AS "mxidAge",
  current_setting('autovacuum_freeze_max_age')::float8 AS "freezeMaxAge",
  current_setting('autovacuum_multixact_freeze_max_age')::float8 AS "multixactFreezeMaxAge"
FROM pg_database d
WHERE d.datallowconn
ORDER BY greatest(age(d.datfrozenxid), mxid_age(d.datminmxid)) DESC, d.datname`),
  columns: { database: 'string', xidAge: 'number', mxidAge: 'number', freezeMaxAge: 'number', multixactFreezeMaxAge: 'number' },
});

export interface WraparoundTableRow {
  schema: string;
  table: string;
  xidAge: number;
  mxidAge: number;
  /** The table's own autovacuum_freeze_max_age (reloptions), or the server's. */
  freezeMaxAge: number;
  multixactFreezeMaxAge: number;
  bytes: number;
}

export interface WraparoundTablesArgs extends VersionArgs {
  limit?: number;
}

/** A reloption's value, or the server setting of the same name. */
const relopt = (name: string) =>
  `coalesce((SELECT substr(o, ${name.length + 2})::float8 FROM unnest(c.reloptions) o WHERE o LIKE '${name}=%'), current_setting('${name}')::float8)`;

export const wraparoundTablesQuery = defineQuery<WraparoundTablesArgs, WraparoundTableRow>({
  id: 'wraparound.tables',
  title: 'Wraparound (tables)',
  // Materialized views and TOAST tables freeze too; a TOAST table is named by its owner.
  build: ({ limit = 10 }) =>
    sql(
      `SELECT n.nspname::text AS "schema", c.relname::text AS "table",
  greatest(age(c.relfrozenxid), coalesce(age(t.relfrozenxid), 0))::float8 AS "xidAge",
  greatest(mxid_age(c.relminmxid), coalesce(mxid_age(t.relminmxid), 0))::float8 AS "mxidAge",
  ${relopt('autovacuum_freeze_max_age')} AS "freezeMaxAge",
  ${relopt('autovacuum_multixact_freeze_max_age')} AS "multixactFreezeMaxAge",
  pg_total_relation_size(c.oid)::float8 AS "bytes"
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't'
ORDER BY greatest(age(c.relfrozenxid), coalesce(age(t.relfrozenxid), 0)) DESC, n.nspname, c.relname
LIMIT $1`,
      [limit],
    ),
  columns: {
    schema: 'string',
    table: 'string',
    xidAge: 'number',
    mxidAge: 'number',
    freezeMaxAge: 'number',
    multixactFreezeMaxAge: 'number',
    bytes: 'number',
  },
});

/** session: a backend's transaction or snapshot; prepared: a prepared transaction; slot / slot-catalog: a replication slot's xmin / catalog_xmin; standby: hot_standby_feedback. */
export type FreezeHolderKind = 'session' | 'prepared' | 'slot' | 'slot-catalog' | 'standby';

export interface FreezeHolderRow {
  kind: string;
  /** pid, gid, slot name or standby's application_name. */
  name: string;
  xidAge: number;
  /** Session: its state and database; prepared: its database; slot: its database (logical) or "physical". */
  detail: string | null;
  /** How long it has held: the transaction's start, the prepare; NULL for slots and standbys. */
  seconds: number | null;
}

export interface FreezeHoldersArgs extends VersionArgs {
  limit?: number;
}

export const freezeHoldersQuery = defineQuery<FreezeHoldersArgs, FreezeHolderRow>({
  id: 'wraparound.holders',
  title: 'What holds freezing back',
  build: ({ limit = 10 }) =>
    sql(
      `SELECT * FROM (
  SELECT 'session'::text AS "kind", a.pid::text AS "name",
    greatest(age(a.backend_xid), age(a.backend_xmin))::float8 AS "xidAge",
    concat_ws(' in ', a.state, a.datname)::text AS "detail",
    extract(epoch FROM now() - a.xact_start)::float8 AS "seconds"
  FROM pg_stat_activity a
  WHERE a.pid <> pg_backend_pid() AND (a.backend_xid IS NOT NULL OR a.backend_xmin IS NOT NULL) AND ${IS_CLIENT_BACKEND}
  UNION ALL
  SELECT 'prepared', p.gid, age(p.transaction)::float8, p.database::text, extract(epoch FROM now() - p.prepared)::float8
  FROM pg_prepared_xacts p
  UNION ALL
  SELECT 'slot', s.slot_name::text, age(s.xmin)::float8, coalesce(s.database::text, 'physical'), NULL
  FROM pg_replication_slots s WHERE s.xmin IS NOT NULL
  UNION ALL
  SELECT 'slot-catalog', s.slot_name::text, age(s.catalog_xmin)::float8, coalesce(s.database::text, 'physical'), NULL
  FROM pg_replication_slots s WHERE s.catalog_xmin IS NOT NULL
  UNION ALL
  SELECT 'standby', coalesce(nullif(r.application_name, ''), r.client_addr::text, r.pid::text), age(r.backend_xmin)::float8, r.state, NULL
  FROM pg_stat_replication r WHERE r.backend_xmin IS NOT NULL
) h
ORDER BY h."xidAge" DESC, h."kind", h."name"
LIMIT $1`,
      [limit],
    ),
  columns: { kind: 'string', name: 'string', xidAge: 'number', detail: 'string?', seconds: 'number?' },
});

export function wraparoundDatabases(q: Queryable, args: VersionArgs): Promise<WraparoundDatabaseRow[]> {
  return runQuery(q, wraparoundDatabasesQuery, args);
}

export function wraparoundTables(q: Queryable, args: WraparoundTablesArgs): Promise<WraparoundTableRow[]> {
  return runQuery(q, wraparoundTablesQuery, args);
}

export function freezeHolders(q: Queryable, args: FreezeHoldersArgs): Promise<FreezeHolderRow[]> {
  return runQuery(q, freezeHoldersQuery, args);
}
