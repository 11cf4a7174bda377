// Sequences and the columns they feed (serial, identity, or a DEFAULT nextval owned by the
// column): how much of the range is used. The limit is the lower of the sequence's own maximum
// and its column's type, since a bigint sequence behind an int4 column fails at the column's.
// pg_sequences (10+) gives last_value: NULL when never called or when this role may not read it.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { sql, type Queryable } from './sql';

export interface SequenceRow {
  schema: string;
  sequence: string;
  /** smallint, integer or bigint. */
  sequenceType: string;
  lastValue: number;
  minValue: number;
  maxValue: number;
  increment: number;
  /** The column it feeds, when it is owned by one (serial, identity, OWNED BY). */
  tableSchema: string | null;
  table: string | null;
  column: string | null;
  columnType: string | null;
  /** The column type's largest value (int2, int4, int8), NULL for another type or no column. */
  columnMax: number | null;
  /** 'a' identity always, 'd' by default, '' not an identity column, NULL without a column. */
  identity: string | null;
}

export const sequencesQuery = defineQuery<VersionArgs, SequenceRow>({
  id: 'sequences.usage',
  title: 'Sequences',
  build: () =>
    sql(`SELECT s.schemaname::text AS "schema", s.sequencename::text AS "sequence", s.data_type::text AS "sequenceType",
  s.last_value::float8 AS "lastValue", s.min_value::float8 AS "minValue", s.max_value::float8 AS "maxValue", s.increment_by::float8 AS "increment",
  tn.nspname::text AS "tableSchema", t.relname::text AS "table", a.attname::text AS "column", format_type(a.atttypid, NULL) AS "columnType",
  CASE a.atttypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647 WHEN 'int8'::regtype THEN 9223372036854775807 END::float8 AS "columnMax",
  a.attidentity::text AS "identity"
FROM pg_sequences s
JOIN pg_namespace sn ON sn.nspname = s.schemaname
JOIN pg_class c ON c.relnamespace = sn.oid AND c.relname = s.sequencename
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
  AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = d.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE s.last_value IS NOT NULL
ORDER BY s.schemaname, s.sequencename`),
  columns: {
    schema: 'string',
    sequence: 'string',
    sequenceType: 'string',
    lastValue: 'number',
    minValue: 'number',
    maxValue: 'number',
    increment: 'number',
    tableSchema: 'string?',
    table: 'string?',
    column: 'string?',
    columnType: 'string?',
    columnMax: 'number?',
    identity: 'string?',
  },
});

export function listSequences(q: Queryable, args: VersionArgs): Promise<SequenceRow[]> {
  return runQuery(q, sequencesQuery, args);
}

/** Percent of the usable range consumed, toward the end the sequence moves to (descending ones too). */
export function sequenceUsedPct(r: Pick<SequenceRow, 'lastValue' | 'minValue' | 'maxValue' | 'increment' | 'columnMax'>): number {
  if (r.increment >= 0) {
    const max = r.columnMax !== null ? Math.min(r.maxValue, r.columnMax) : r.maxValue;
    const span = max - r.minValue;
    return span > 0 ? Math.max(0, (100 * (r.lastValue - r.minValue)) / span) : 100;
  }
  const min = r.columnMax !== null ? Math.max(r.minValue, -r.columnMax - 1) : r.minValue;
  const span = r.maxValue - min;
  return span > 0 ? Math.max(0, (100 * (r.maxValue - r.lastValue)) / span) : 100;
}
