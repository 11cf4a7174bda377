// The advisor reads statements with the grammar the server uses, never with patterns over their
// text: the parse tree of PostgreSQL's own parser (src/core/sql/pgParser.ts).
import { loadPgParser, MAX_PARSE_CHARS } from '../sql/pgParser';

/** The parse tree as plain JSON (the parser's own node names: SelectStmt, A_Expr, ColumnRef …). */
export async function parseStatement(sql: string): Promise<unknown> {
  // pg_stat_statements keeps track_activity_query_size bytes anyway.
  if (sql.length > MAX_PARSE_CHARS) throw new Error(`the statement is longer than ${MAX_PARSE_CHARS} characters`);
  return (await loadPgParser()).parseSync(sql);
}
