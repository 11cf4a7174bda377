// What the index advisor reads from the catalogs (the same on 13–18): whether HypoPG is
// installed, and the tables its candidate statements name — resolved as the server resolves
// them (to_regclass with this session's search_path), with their columns, leaf partitions and
// the key columns of their valid btree indexes (pg_get_indexdef per key, as a person reads it).
// PostgreSQL's own catalogs are not looked up: monitoring queries (pgdba's among them) are not advised on.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { sql, type Queryable } from './sql';

export interface HypopgStatusRow {
  /** Version created in this database, NULL when not created. */
  installedVersion: string | null;
  schema: string | null;
  /** Version the server could install (the package is there), NULL when not. */
  availableVersion: string | null;
}

export const hypopgStatusQuery = defineQuery<VersionArgs, HypopgStatusRow>({
  id: 'advisor.hypopg',
  title: 'HypoPG status',
  build: () =>
    sql(`SELECT e.extversion::text AS "installedVersion", n.nspname::text AS "schema",
  (SELECT default_version FROM pg_available_extensions WHERE name = 'hypopg')::text AS "availableVersion"
FROM (SELECT 1) one
LEFT JOIN pg_extension e ON e.extname = 'hypopg'
LEFT JOIN pg_namespace n ON n.oid = e.extnamespace`),
  columns: { installedVersion: 'string?', schema: 'string?', availableVersion: 'string?' },
});

export async function hypopgStatus(q: Queryable, args: VersionArgs): Promise<HypopgStatusRow> {
  return (await runQuery(q, hypopgStatusQuery, args))[0] ?? { installedVersion: null, schema: null, availableVersion: null };
}

export interface AdvisedRelationRow {
  /** The name as looked up ("schema"."table" or "table", quoted). */
  lookup: string;
  schema: string;
  name: string;
  partitioned: boolean;
  columns: string[];
  leafSchemas: string[];
  leafNames: string[];
  /** One entry per index: its key columns joined by U+001F (a pattern operator class after its column: "email text_pattern_ops"). */
  indexKeys: string[];
}

export interface AdvisedRelationsArgs extends VersionArgs {
  /** Quoted names (quoteIdent), qualified or not. */
  names: string[];
}

export const advisedRelationsQuery = defineQuery<AdvisedRelationsArgs, AdvisedRelationRow>({
  id: 'advisor.relations',
  title: 'Tables of the top statements',
  build: ({ names }) =>
    sql(
      `SELECT l.lookup, n.nspname::text AS "schema", c.relname::text AS "name", c.relkind = 'p' AS "partitioned",
  ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS "columns",
  ARRAY(SELECT ln.nspname::text FROM pg_partition_tree(c.oid) t JOIN pg_class lc ON lc.oid = t.relid JOIN pg_namespace ln ON ln.oid = lc.relnamespace
        WHERE t.isleaf AND c.relkind = 'p' ORDER BY lc.relname) AS "leafSchemas",
  ARRAY(SELECT lc.relname::text FROM pg_partition_tree(c.oid) t JOIN pg_class lc ON lc.oid = t.relid
        WHERE t.isleaf AND c.relkind = 'p' ORDER BY lc.relname) AS "leafNames",
  ARRAY(SELECT array_to_string(ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
          || CASE WHEN opc.opcname LIKE '%pattern_ops' THEN ' ' || opc.opcname ELSE '' END
        FROM generate_series(1, i.indnkeyatts::int) k JOIN pg_opclass opc ON opc.oid = i.indclass[k - 1] ORDER BY k), chr(31))
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
        WHERE i.indrelid = c.oid AND i.indisvalid AND i.indpred IS NULL AND am.amname = 'btree') AS "indexKeys"
FROM unnest($1::text[]) l(lookup)
JOIN pg_class c ON c.oid = to_regclass(l.lookup)
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'`,
      [`{${names.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`],
    ),
  columns: {
    lookup: 'string',
    schema: 'string',
    name: 'string',
    partitioned: 'boolean',
    columns: 'string[]',
    leafSchemas: 'string[]',
    leafNames: 'string[]',
    indexKeys: 'string[]',
  },
});

export const advisedRelations = (q: Queryable, args: AdvisedRelationsArgs) => runQuery(q, advisedRelationsQuery, args);
