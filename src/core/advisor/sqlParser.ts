// PostgreSQL's own parser (libpg-query, WASM), loaded once on first use: the advisor reads
// statements with the grammar the server uses, never with patterns over their text.
// Imported on first use: activation does not evaluate the parser's glue code.
type Parser = typeof import('libpg-query');

/** Longer statements are not read (pg_stat_statements keeps track_activity_query_size bytes anyway). */
export const MAX_STATEMENT_CHARS = 100_000;

let loaded: Promise<Parser> | undefined;

/** The parse tree as plain JSON (the parser's own node names: SelectStmt, A_Expr, ColumnRef …). */
export async function parseStatement(sql: string): Promise<unknown> {
  if (sql.length > MAX_STATEMENT_CHARS) throw new Error(`the statement is longer than ${MAX_STATEMENT_CHARS} characters`);
  loaded ??= import('libpg-query').then(async (m) => (await m.loadModule(), m));
  return (await loaded).parseSync(sql);
}
