// PostgreSQL's own parser (libpg-query, WASM), loaded once on first use: the advisor reads
// statements with the grammar the server uses, never with patterns over their text.
import { loadModule, parseSync } from 'libpg-query';

/** Longer statements are not read (pg_stat_statements keeps track_activity_query_size bytes anyway). */
export const MAX_STATEMENT_CHARS = 100_000;

let loaded: Promise<void> | undefined;

/** The parse tree as plain JSON (the parser's own node names: SelectStmt, A_Expr, ColumnRef …). */
export async function parseStatement(sql: string): Promise<unknown> {
  if (sql.length > MAX_STATEMENT_CHARS) throw new Error(`the statement is longer than ${MAX_STATEMENT_CHARS} characters`);
  loaded ??= loadModule();
  await loaded;
  return parseSync(sql);
}
