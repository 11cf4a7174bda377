// What is wrong with the indexes of the connected database, beyond their use: invalid ones (a
// failed CREATE INDEX CONCURRENTLY leaves one behind, maintained on every write and never read),
// duplicate and redundant ones (their key columns lead another index of the same method, opclass,
// collation, expressions and predicate), and foreign keys whose referencing columns lead no index
// (each DELETE or key UPDATE on the referenced table then scans the referencing one). The
// catalogs read are the same on 13–18.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { sql, type Queryable } from './sql';

/** Schemas of PostgreSQL's own, never reported. */
const USER_SCHEMA = (col: string) => `${col} NOT IN ('pg_catalog', 'information_schema') AND ${col} !~ '^pg_toast'`;

export interface InvalidIndexRow {
  schema: string;
  table: string;
  index: string;
  bytes: number;
  /** pg_get_indexdef: the CREATE INDEX it was meant to be. */
  definition: string;
  /** An index still being built by a CREATE INDEX CONCURRENTLY that runs now: not a leftover. */
  building: boolean;
}

export const invalidIndexesQuery = defineQuery<VersionArgs, InvalidIndexRow>({
  id: 'indexes.invalid',
  title: 'Invalid indexes',
  build: () =>
    sql(`SELECT n.nspname::text AS "schema", ct.relname::text AS "table", ci.relname::text AS "index",
  pg_relation_size(ci.oid)::float8 AS "bytes", pg_get_indexdef(ci.oid) AS "definition",
  EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = ci.oid) AS "building"
FROM pg_index i
JOIN pg_class ci ON ci.oid = i.indexrelid
JOIN pg_class ct ON ct.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ci.relnamespace
WHERE NOT i.indisvalid AND ${USER_SCHEMA('n.nspname')}
ORDER BY n.nspname, ci.relname`),
  columns: { schema: 'string', table: 'string', index: 'string', bytes: 'number', definition: 'string', building: 'boolean' },
});

export interface RedundantIndexRow {
  schema: string;
  table: string;
  /** The one to drop. */
  index: string;
  bytes: number;
  definition: string;
  /** The index that serves every query it does. */
  coveredBy: string;
  coveredByDefinition: string;
  /** Same keys exactly (a duplicate), or a leading part of the other's (redundant). */
  duplicate: boolean;
}

export const redundantIndexesQuery = defineQuery<VersionArgs, RedundantIndexRow>({
  id: 'indexes.redundant',
  title: 'Duplicate and redundant indexes',
  // Keys compared as text lists: indkey, indclass and indcollation are vectors indexed from 0.
  // A unique index is redundant only beside an identical unique one; an index that backs a
  // constraint is never the one dropped; of two identical ones the newer goes.
  build: () =>
    sql(`WITH ix AS (
  SELECT i.indexrelid, i.indrelid, i.indisunique, i.indnkeyatts, i.indnatts, ci.relam, n.nspname, ci.relname,
    string_to_array(i.indkey::text, ' ') AS keys, string_to_array(i.indclass::text, ' ') AS classes,
    string_to_array(i.indcollation::text, ' ') AS colls, string_to_array(i.indoption::text, ' ') AS opts,
    coalesce(pg_get_expr(i.indexprs, i.indrelid), '') AS exprs, coalesce(pg_get_expr(i.indpred, i.indrelid), '') AS pred,
    EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) AS backs
  FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ci.relnamespace
  WHERE i.indisvalid AND i.indislive AND ${USER_SCHEMA('n.nspname')}
), pair AS (
  SELECT a.*, b.relname AS b_name, b.indexrelid AS b_oid, b.backs AS b_backs,
    a.keys = b.keys AND a.indnkeyatts = b.indnkeyatts AND a.opts = b.opts AND a.indisunique = b.indisunique AS same
  FROM ix a
  JOIN ix b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid AND b.relam = a.relam AND b.exprs = a.exprs AND b.pred = a.pred
  WHERE a.indnkeyatts <= b.indnkeyatts
    AND a.keys[1:a.indnkeyatts] = b.keys[1:a.indnkeyatts]
    AND a.classes[1:a.indnkeyatts] = b.classes[1:a.indnkeyatts]
    AND a.colls[1:a.indnkeyatts] = b.colls[1:a.indnkeyatts]
    AND a.opts[1:a.indnkeyatts] = b.opts[1:a.indnkeyatts]
    -- leading columns serve alone only in a btree; INCLUDE columns must be the other's too
    AND (a.indnkeyatts = b.indnkeyatts OR a.relam = (SELECT oid FROM pg_am WHERE amname = 'btree'))
    AND (a.indnatts = a.indnkeyatts OR a.keys = b.keys)
    AND NOT a.backs
    AND (NOT a.indisunique OR (b.indisunique AND a.indnkeyatts = b.indnkeyatts))
)
SELECT DISTINCT ON (p.indexrelid) p.nspname::text AS "schema", ct.relname::text AS "table", p.relname::text AS "index",
  pg_relation_size(p.indexrelid)::float8 AS "bytes", pg_get_indexdef(p.indexrelid) AS "definition",
  p.b_name::text AS "coveredBy", pg_get_indexdef(p.b_oid) AS "coveredByDefinition", p.same AS "duplicate"
FROM pair p
JOIN pg_class ct ON ct.oid = p.indrelid
WHERE NOT (p.same AND NOT p.b_backs AND p.indexrelid < p.b_oid)
ORDER BY p.indexrelid, p.b_backs DESC, p.b_oid`),
  columns: {
    schema: 'string',
    table: 'string',
    index: 'string',
    bytes: 'number',
    definition: 'string',
    coveredBy: 'string',
    coveredByDefinition: 'string',
    duplicate: 'boolean',
  },
});

export interface UnindexedForeignKeyRow {
  schema: string;
  table: string;
  constraint: string;
  /** The referencing columns, in the constraint's order. */
  columns: string[];
  referencedSchema: string;
  referencedTable: string;
  /** Size of the referencing table: what each DELETE on the referenced one scans. */
  tableBytes: number;
}

export const unindexedForeignKeysQuery = defineQuery<VersionArgs, UnindexedForeignKeyRow>({
  id: 'indexes.unindexedForeignKeys',
  title: 'Foreign keys without an index',
  // Served by any valid, non-partial index whose leading key columns are the constraint's (any order).
  build: () =>
    sql(`SELECT n.nspname::text AS "schema", c.relname::text AS "table", k.conname::text AS "constraint",
  ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord) AS "columns",
  rn.nspname::text AS "referencedSchema", r.relname::text AS "referencedTable",
  pg_total_relation_size(c.oid)::float8 AS "tableBytes"
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class r ON r.oid = k.confrelid
JOIN pg_namespace rn ON rn.oid = r.relnamespace
WHERE k.contype = 'f' AND ${USER_SCHEMA('n.nspname')}
  AND NOT EXISTS (
    SELECT 1 FROM pg_index i
    WHERE i.indrelid = k.conrelid AND i.indisvalid AND i.indpred IS NULL AND i.indnkeyatts >= cardinality(k.conkey)
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(k.conkey)] @> k.conkey
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(k.conkey)] <@ k.conkey)
ORDER BY n.nspname, c.relname, k.conname`),
  columns: {
    schema: 'string',
    table: 'string',
    constraint: 'string',
    columns: 'string[]',
    referencedSchema: 'string',
    referencedTable: 'string',
    tableBytes: 'number',
  },
});

export const invalidIndexes = (q: Queryable, args: VersionArgs) => runQuery(q, invalidIndexesQuery, args);
export const redundantIndexes = (q: Queryable, args: VersionArgs) => runQuery(q, redundantIndexesQuery, args);
export const unindexedForeignKeys = (q: Queryable, args: VersionArgs) => runQuery(q, unindexedForeignKeysQuery, args);
