// Parses postgresql.conf as PostgreSQL's ParseConfigFp does: per line, a name (ID or
// QUALIFIED_ID), an optional "=", one value (ID, STRING, INTEGER, REAL or UNQUOTED_STRING), then
// the end of the line. Anything else is a syntax error for the line, and after 100 of them the
// server abandons the file, so do we. include / include_if_exists / include_dir are directives,
// not settings. Never throws; every item keeps exact 1-based ranges for editors.
import type { SourceRange } from '../lint/finding';
import { lexLine, scanCommented, type Token } from './confLexer';
import { deescapeQuoted } from './confString';

export type ValueKind = 'id' | 'string' | 'integer' | 'real' | 'unquoted';
export type IncludeKind = 'include' | 'include_if_exists' | 'include_dir';

export interface ConfSetting {
  kind: 'setting';
  /** As written (PostgreSQL compares names case-insensitively). */
  name: string;
  /** The name lower-cased, for lookups. */
  key: string;
  nameRange: SourceRange;
  /** The value the server sees: quotes removed and escapes resolved for a quoted string. */
  value: string;
  /** The value token as written, quotes included. */
  raw: string;
  valueKind: ValueKind;
  valueRange: SourceRange;
  line: number;
}

export interface ConfInclude {
  kind: IncludeKind;
  path: string;
  pathRange: SourceRange;
  directiveRange: SourceRange;
  line: number;
}

export interface ConfSyntaxError {
  /** PGC001 unterminated quoted string, PGC002 other syntax error, PGC005 file abandoned. */
  code: 'PGC001' | 'PGC002' | 'PGC005';
  message: string;
  range: SourceRange;
}

/** A commented-out setting ("#shared_buffers = 128MB"), where a recommendation can be applied. */
export interface ConfCommentedSetting {
  name: string;
  line: number;
  /** From the '#' through the value: what a fix replaces, leaving any trailing comment. */
  range: SourceRange;
}

export interface ParsedConf {
  /** Settings and include directives in file order. */
  items: (ConfSetting | ConfInclude)[];
  errors: ConfSyntaxError[];
  /** First commented-out occurrence per lower-cased name. */
  commented: Map<string, ConfCommentedSetting>;
  lineCount: number;
  /** Where the text ends (after a final newline: column 1 of the empty last line). */
  end: { line: number; column: number };
}

const MAX_SYNTAX_ERRORS = 100;

function rangeOf(line: number, lineStart: number, start: number, end: number): SourceRange {
  return { line, column: start - lineStart + 1, endLine: line, endColumn: end - lineStart + 1 };
}

function describe(s: string, t: Token): string {
  const text = s.slice(t.start, Math.min(t.end, t.start + 40));
  return t.kind === 'error' ? `unexpected character ${JSON.stringify(text)}` : `unexpected ${JSON.stringify(text)}`;
}

export function parseConf(text: string): ParsedConf {
  const items: (ConfSetting | ConfInclude)[] = [];
  const errors: ConfSyntaxError[] = [];
  const commented = new Map<string, ConfCommentedSetting>();
  const toks: Token[] = [];
  const n = text.length;
  let pos = 0;
  let line = 0;
  while (pos <= n) {
    line++;
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = n;
    toks.length = 0;
    lexLine(text, pos, lineEnd, toks);
    if (toks.length === 0) {
      noteCommented(text, pos, lineEnd, line, commented);
    } else {
      const err = parseLine(text, toks, pos, line, items);
      if (err) {
        errors.push(err);
        if (errors.length >= MAX_SYNTAX_ERRORS) {
          errors.push({
            code: 'PGC005',
            message: `${MAX_SYNTAX_ERRORS} syntax errors: PostgreSQL gives up on this file here and reads no further`,
            range: err.range,
          });
          break;
        }
      }
    }
    if (lineEnd >= n) break;
    pos = lineEnd + 1;
  }
  const lastNl = text.lastIndexOf('\n');
  return { items, errors, commented, lineCount: line, end: { line, column: text.length - lastNl } };
}

function noteCommented(text: string, pos: number, lineEnd: number, line: number, out: Map<string, ConfCommentedSetting>): void {
  const m = scanCommented(text, pos, lineEnd);
  if (!m) return;
  const name = text.slice(m.nameStart, m.nameEnd);
  const key = name.toLowerCase();
  if (!out.has(key)) out.set(key, { name, line, range: rangeOf(line, pos, m.hash, m.end) });
}

function syntaxError(text: string, toks: Token[], lineStart: number, line: number, t: Token | undefined, message: string): ConfSyntaxError {
  if (t && t.kind === 'error' && text.charCodeAt(t.start) === 39) {
    const lineEnd = text.indexOf('\n', t.start);
    const end = lineEnd < 0 ? text.length : lineEnd;
    return { code: 'PGC001', message: 'unterminated quoted string: a quote opens here and the line ends without closing it', range: rangeOf(line, lineStart, t.start, end) };
  }
  const last = toks[toks.length - 1] as Token;
  const range = t ? rangeOf(line, lineStart, t.start, t.end) : rangeOf(line, lineStart, last.end, last.end);
  return { code: 'PGC002', message: `syntax error: ${message}`, range };
}

// No closures here: this runs once per line and must stay cheap.
function parseLine(text: string, toks: Token[], lineStart: number, line: number, items: (ConfSetting | ConfInclude)[]): ConfSyntaxError | undefined {
  const nameTok = toks[0] as Token;
  if (nameTok.kind !== 'id' && nameTok.kind !== 'qualified_id') {
    return syntaxError(text, toks, lineStart, line, nameTok, `${describe(text, nameTok)}; a line must start with a parameter name`);
  }
  let k = 1;
  if (toks[k]?.kind === 'equals') k++;
  const valueTok = toks[k];
  if (!valueTok) return syntaxError(text, toks, lineStart, line, undefined, `no value after ${text.slice(nameTok.start, nameTok.end)}`);
  const vk = valueTok.kind;
  if (vk === 'equals' || vk === 'error' || vk === 'qualified_id') {
    const hint = vk === 'qualified_id' ? ' (a dotted value must be quoted)' : '';
    return syntaxError(text, toks, lineStart, line, valueTok, `${describe(text, valueTok)} where a value was expected${hint}`);
  }
  const extra = toks[k + 1];
  if (extra) {
    const quoteHint = vk === 'integer' || vk === 'real' || vk === 'id' || vk === 'unquoted' ? `; to give "${text.slice(valueTok.start, extra.end)}" as one value, quote it` : '';
    return syntaxError(text, toks, lineStart, line, extra, `${describe(text, extra)} after the value${quoteHint}`);
  }
  const name = text.slice(nameTok.start, nameTok.end);
  const raw = text.slice(valueTok.start, valueTok.end);
  const value = vk === 'string' ? deescapeQuoted(raw) : raw;
  const lower = name.toLowerCase();
  const nameRange = rangeOf(line, lineStart, nameTok.start, nameTok.end);
  const valueRange = rangeOf(line, lineStart, valueTok.start, valueTok.end);
  if (lower === 'include' || lower === 'include_if_exists' || lower === 'include_dir') {
    items.push({ kind: lower, path: value, pathRange: valueRange, directiveRange: nameRange, line });
  } else {
    items.push({ kind: 'setting', name, key: lower, nameRange, value, raw, valueKind: vk, valueRange, line });
  }
  return undefined;
}
