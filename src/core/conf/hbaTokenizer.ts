// Splits pg_hba.conf text into records of fields of tokens, as PostgreSQL's hba.c does
// (tokenize_auth_file / next_field_expand / next_token):
// - a line ending in a backslash continues on the next line (PostgreSQL 14+), even inside
//   quotes or a comment;
// - blanks are space, tab and CR; a field is a comma list ("a,b" and "a, b" are one field,
//   "a ,b" is two);
// - double quotes protect blanks, commas and '#'; "" inside quotes is a literal quote;
//   a token whose first character was quoted is not a keyword ("all" quoted is a name);
// - an unquoted '#' starts a comment to the end of the logical line.
// Every token keeps its exact range in the file (1-based lines and columns, end exclusive).
import type { SourceRange } from '../lint/finding';

export interface HbaToken {
  /** Dequoted text. */
  text: string;
  /** The first character was a quote: not a keyword, "@x" is not a file inclusion. */
  quoted: boolean;
  /** Any quote appeared (an empty "" token still counts as a token). */
  sawQuote: boolean;
  /** A quote was opened and never closed: PostgreSQL takes the rest of the line. */
  unterminated: boolean;
  range: SourceRange;
}

export type HbaField = HbaToken[];

export interface HbaLogicalLine {
  /** 1-based first physical line. */
  line: number;
  /** Physical lines it spans (1 + continuations). */
  lineCount: number;
  /** The logical line with continuations removed (as PostgreSQL's raw_line). */
  raw: string;
  fields: HbaField[];
  /** Range from the first to the last token. */
  range: SourceRange;
}

interface Position {
  line: number;
  column: number;
}

/** Physical lines of the text, without their line terminators. */
function splitLines(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r';

/** Tokenizes the whole file; `continuations` is false before PostgreSQL 14. */
export function tokenizeHba(text: string, continuations = true): HbaLogicalLine[] {
  const physical = splitLines(text);
  const out: HbaLogicalLine[] = [];
  let i = 0;
  while (i < physical.length) {
    const first = i;
    // The physical lines' pieces, joined once: a chain of continuations stays linear.
    const parts: string[] = [];
    const segStarts: number[] = []; // where each physical line starts in the logical one
    let length = 0;
    for (;;) {
      let textLine = physical[i] ?? '';
      i++;
      // PostgreSQL strips the trailing CR/LF, then looks for a backslash after the last one.
      const more = continuations && textLine.endsWith('\\');
      if (more) textLine = textLine.slice(0, -1);
      segStarts.push(length);
      parts.push(textLine);
      length += textLine.length;
      if (more && i < physical.length) continue;
      break;
    }
    const buf = parts.length === 1 ? (parts[0] ?? '') : parts.join('');
    const endPos: Position = { line: i, column: (physical[i - 1] ?? '').length + 1 };
    const fields = splitFields(buf, positionsOf(segStarts, first + 1, buf.length, endPos));
    if (fields.length > 0) {
      const firstTok = fields[0]?.[0];
      const lastField = fields[fields.length - 1] ?? [];
      const lastTok = lastField[lastField.length - 1];
      out.push({
        line: first + 1,
        lineCount: i - first,
        raw: buf,
        fields,
        range: {
          line: firstTok?.range.line ?? first + 1,
          column: firstTok?.range.column ?? 1,
          endLine: lastTok?.range.endLine ?? first + 1,
          endColumn: lastTok?.range.endColumn ?? 1,
        },
      });
    }
  }
  return out;
}

/** The position of each index of the logical line, by binary search over its physical lines. */
function positionsOf(segStarts: readonly number[], firstLine: number, length: number, endPos: Position): (k: number) => Position {
  return (k) => {
    if (k >= length) return endPos;
    let lo = 0;
    let hi = segStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segStarts[mid] as number) <= k) lo = mid;
      else hi = mid - 1;
    }
    return { line: firstLine + lo, column: k - (segStarts[lo] as number) + 1 };
  };
}

function splitFields(buf: string, at: (k: number) => Position): HbaField[] {
  const rangeOf = (start: number, end: number): SourceRange => {
    const s = at(start);
    const last = end > start ? at(end - 1) : s;
    return { line: s.line, column: s.column, endLine: last.line, endColumn: end > start ? last.column + 1 : s.column };
  };
  const fields: HbaField[] = [];
  let p = 0;
  let done = false;
  const nextToken = (): { token?: HbaToken; comma: boolean } => {
    while (p < buf.length && (isBlank(buf[p]) || buf[p] === ',')) p++;
    const start = p;
    let text = '';
    let inQuote = false;
    let wasQuote = false;
    let sawQuote = false;
    let initialQuote = false;
    let comma = false;
    while (p < buf.length && (!isBlank(buf[p]) || inQuote)) {
      const c = buf[p] ?? '';
      if (c === '#' && !inQuote) {
        done = true;
        break;
      }
      if (c === ',' && !inQuote) {
        comma = true;
        break;
      }
      if (c !== '"' || wasQuote) text += c;
      if (inQuote && c === '"') wasQuote = !wasQuote;
      else wasQuote = false;
      if (c === '"') {
        inQuote = !inQuote;
        sawQuote = true;
        if (text.length === 0) initialQuote = true;
      }
      p++;
    }
    const end = p;
    if (!sawQuote && text.length === 0) return { comma };
    return { token: { text, quoted: initialQuote, sawQuote, unterminated: inQuote, range: rangeOf(start, end) }, comma };
  };
  while (p < buf.length && !done) {
    const field: HbaField = [];
    for (;;) {
      const { token, comma } = nextToken();
      if (!token) break;
      field.push(token);
      if (!comma || done) break;
    }
    if (field.length > 0) fields.push(field);
  }
  return fields;
}
