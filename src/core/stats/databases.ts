// The Databases node and its first level below: databases with their size, then schemas with
// how many tables and indexes they hold (counts only: a size per schema would stat every file).
import { defineQuery, runQuery, type VersionArgs } from './query';
import { sql, type Queryable } from './sql';

export interface DatabaseRow {
  name: string;
  owner: string;
  encoding: string;
  /** NULL when the role may not connect to it (pg_database_size would raise an error), or sizes: false. */
  bytes: number | null;
  isTemplate: boolean;
  allowConnections: boolean;
  connections: number | null;
  /** Transactions since the oldest unfrozen XID: wraparound comes at ~2 billion. */
  xidAge: number;
}

export interface DatabasesArgs extends VersionArgs {
  /**
   * Include sizes (default true). pg_database_size() stats every file of every database: with
   * 60,000 relations that is most of a second, so a tree may list first and size later.
   */
  sizes?: boolean;
}

export const databasesQuery = defineQuery<DatabasesArgs, DatabaseRow>({
  id: 'databases.list',
  title: 'Databases',
  build: ({ sizes = true }) =>
    sql(`SELECT d.datname::text AS "name", pg_get_userbyid(d.datdba)::text AS "owner",
  pg_encoding_to_char(d.encoding)::text AS "encoding",
  ${sizes ? "CASE WHEN has_database_privilege(d.oid, 'CONNECT') THEN pg_database_size(d.oid)::float8 END" : 'NULL::float8'} AS "bytes",
  d.datistemplate AS "isTemplate", d.datallowconn AS "allowConnections",
  s.numbackends AS "connections", age(d.datfrozenxid)::float8 AS "xidAge"
FROM pg_database d LEFT JOIN pg_stat_database s ON s.datid = d.oid
ORDER BY d.datname`),
  columns: {
    name: 'string',
    owner: 'string',
    encoding: 'string',
    bytes: 'number?',
    isTemplate: 'boolean',
    allowConnections: 'boolean',
    connections: 'number?',
    xidAge: 'number',
  },
});

export const listDatabases = (q: Queryable, args: DatabasesArgs) => runQuery(q, databasesQuery, args);

export interface SchemaRow {
  name: string;
  owner: string;
  tables: number;
  indexes: number;
}

export interface SchemasArgs extends VersionArgs {
  /** Include pg_catalog and information_schema (never the toast and temp schemas). */
  includeSystem?: boolean;
}

/** Schemas of the database the connection is on (a pool is per database). */
export const schemasQuery = defineQuery<SchemasArgs, SchemaRow>({
  id: 'databases.schemas',
  title: 'Schemas',
  build: ({ includeSystem = false }) =>
    sql(`SELECT n.nspname::text AS "name", pg_get_userbyid(n.nspowner)::text AS "owner",
  count(c.oid) FILTER (WHERE c.relkind IN ('r', 'p', 'm', 'f'))::int AS "tables",
  count(c.oid) FILTER (WHERE c.relkind IN ('i', 'I'))::int AS "indexes"
FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid
WHERE n.nspname !~ '^pg_(toast|temp_)'${includeSystem ? '' : `\n  AND n.nspname NOT IN ('pg_catalog', 'information_schema')`}
GROUP BY n.oid, n.nspname, n.nspowner
ORDER BY n.nspname`),
  columns: { name: 'string', owner: 'string', tables: 'number', indexes: 'number' },
});

export const listSchemas = (q: Queryable, args: SchemasArgs) => runQuery(q, schemasQuery, args);
