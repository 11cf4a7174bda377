// A logged statement with its "DETAIL: parameters: $1 = '…', $2 = NULL" written in as literals,
// so that EXPLAIN can plan the worst sample as it ran. The values are read back from PostgreSQL's
// own quoting and quoted again by the one literal quoting (quoteLiteral: E'' when a backslash is
// in it), so a value is data whatever it holds; the $n are found by the SQL lexer, never inside a
// string, an identifier, a comment or a dollar quote.
import { lex } from '../explain/sqlLexer';
import { quoteLiteral } from '../stats/sql';
import type { StatementGroup } from './report';

/** The values by number ($1 is [0]); null for NULL. Throws with what is wrong at which character. */
export function parseLoggedParameters(text: string): (string | null)[] {
  const values: (string | null)[] = [];
  let i = 0;
  const n = text.length;
  const fail = (why: string): never => {
    throw new Error(`the logged parameters cannot be read at character ${i + 1}: ${why}`);
  };
  while (i < n) {
    if (text[i] !== '$') fail('expected $n');
    let j = i + 1;
    while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    if (j === i + 1) fail('expected a number after $');
    const num = Number(text.slice(i + 1, j));
    if (num !== values.length + 1) fail(`expected $${values.length + 1}`);
    if (text.slice(j, j + 3) !== ' = ') fail('expected " = "');
    i = j + 3;
    if (text.startsWith('NULL', i)) {
      values.push(null);
      i += 4;
    } else if (text[i] === "'") {
      let v = '';
      let k = i + 1;
      for (;;) {
        const q = text.indexOf("'", k);
        if (q < 0) {
          i = n;
          fail('a value whose quote never closes (cut by log_parameter_max_length?)');
        }
        v += text.slice(k, q);
        if (text[q + 1] === "'") {
          v += "'";
          k = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      values.push(v);
    } else fail('expected a quoted value or NULL');
    if (i === n) break;
    if (text.slice(i, i + 2) !== ', ') fail('expected ", " between values');
    i += 2;
  }
  return values;
}

/** The statement with each $n replaced by its value as a literal; a $n without a value throws. */
export function bindParameters(statement: string, values: readonly (string | null)[]): string {
  let out = '';
  let at = 0;
  for (const t of lex(statement)) {
    if (t.kind !== 'param') continue;
    const num = Number(t.value.slice(1));
    if (num < 1 || num > values.length)
      throw new Error(`the statement uses ${t.value}, but the log gives ${values.length} parameter${values.length === 1 ? '' : 's'}`);
    const v = values[num - 1]!;
    out += statement.slice(at, t.start) + (v === null ? 'NULL' : quoteLiteral(v));
    at = t.end;
  }
  return out + statement.slice(at);
}

/** The sample as it ran, or why its parameters cannot be written in. */
export function boundSample(worst: StatementGroup['worst']): { sql: string; note?: string } {
  const hasParams = lex(worst.text).some((t) => t.kind === 'param');
  if (!hasParams) return { sql: worst.text };
  if (worst.parameters === undefined) return { sql: worst.text, note: 'the log has no parameters for it (log_parameter_max_length = 0?)' };
  try {
    return { sql: bindParameters(worst.text, parseLoggedParameters(worst.parameters)) };
  } catch (e) {
    return { sql: worst.text, note: (e as Error).message };
  }
}
