// SQL identifiers, quoted and unquoted: the one place that does it. quoteIdent always quotes (SQL
// that pgdba runs); readableIdent quotes only when needed, as quote_ident() does (SQL shown to a
// person, e.g. a suggested CREATE INDEX).

// PostgreSQL's reserved key words (those that cannot be a column name without quotes).
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning ' +
    'select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with ' +
    'authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like ' +
    'natural notnull outer overlaps right similar tablesample verbose'
  ).split(' '),
);

/** "name" — doubles embedded quotes; refuses NUL, which no identifier can hold. */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

/** Bare when lower-case, simple and not reserved; quoted otherwise. */
export function readableIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return quoteIdent(name);
}

/** An identifier as EXPLAIN prints it (bare or "quoted") → its real name. */
export function unquoteIdent(printed: string): string {
  return printed.startsWith('"') && printed.endsWith('"') ? printed.slice(1, -1).replace(/""/g, '"') : printed;
}

export function qualifiedName(schema: string | undefined, name: string): string {
  return schema ? `${readableIdent(schema)}.${readableIdent(name)}` : readableIdent(name);
}
