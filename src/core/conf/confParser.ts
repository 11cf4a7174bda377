// Parses postgresql.conf as PostgreSQL's ParseConfigFp does: per line, a name (ID or
// QUALIFIED_ID), an optional "=", one value (ID, STRING, INTEGER, REAL or UNQUOTED_STRING), then
// the end of the line. Anything else is a syntax error for the line, and after 100 of them the
// server abandons the file, so do we. include / include_if_exists / include_dir are directives,
// not settings. Never throws; every item keeps exact 1-based ranges for editors.
import type { SourceRange } from '../lint/finding';
import { LineTokens, lexLine, scanCommented, type Token, type TokenKind } from './confLexer';
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
  /**
   * Comment-only lines as [line start offset, line end offset, line number] triples; read them
   * with findCommented() when a fix needs them (most runs never do, so nothing more is kept).
   */
  commentLines: number[];
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
  const commentLines: number[] = [];
  const toks = new LineTokens();
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
      commentLines.push(pos, lineEnd, line);
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
  return { items, errors, commentLines, lineCount: line, end: { line, column: text.length - lastNl } };
}

/**
 * The first commented-out line of one parameter (`key` lower-case), e.g. "#shared_buffers = 128MB".
 * Compares in place before scanning, so that looking up a few names allocates almost nothing.
 */
export function findCommentedOne(text: string, parsed: ParsedConf, key: string): ConfCommentedSetting | undefined {
  const cl = parsed.commentLines;
  const first = key.charCodeAt(0);
  for (let k = 0; k + 2 < cl.length; k += 3) {
    const pos = cl[k] as number;
    const lineEnd = cl[k + 1] as number;
    let i = pos;
    while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    i++; // the '#'
    while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if ((text.charCodeAt(i) | 0x20) !== first || i + key.length > lineEnd) continue;
    if (text.slice(i, i + key.length).toLowerCase() !== key) continue;
    const m = scanCommented(text, pos, lineEnd);
    if (!m || m.nameEnd - m.nameStart !== key.length) continue;
    const line = cl[k + 2] as number;
    return { name: text.slice(m.nameStart, m.nameEnd), line, range: rangeOf(line, pos, m.hash, m.end) };
  }
  return undefined;
}

/** First commented-out setting per lower-cased name ("#shared_buffers = 128MB"). */
export function findCommented(text: string, parsed: ParsedConf): Map<string, ConfCommentedSetting> {
  const out = new Map<string, ConfCommentedSetting>();
  const cl = parsed.commentLines;
  for (let k = 0; k + 2 < cl.length; k += 3) {
    const pos = cl[k] as number;
    const m = scanCommented(text, pos, cl[k + 1] as number);
    if (!m) continue;
    const name = text.slice(m.nameStart, m.nameEnd);
    const key = name.toLowerCase();
    const line = cl[k + 2] as number;
    if (!out.has(key)) out.set(key, { name, line, range: rangeOf(line, pos, m.hash, m.end) });
  }
  return out;
}

function syntaxError(text: string, toks: LineTokens, lineStart: number, line: number, t: Token | undefined, message: string): ConfSyntaxError {
  if (t && t.kind === 'error' && text.charCodeAt(t.start) === 39) {
    const lineEnd = text.indexOf('\n', t.start);
    const end = lineEnd < 0 ? text.length : lineEnd;
    return {
      code: 'PGC001',
      message: 'unterminated quoted string: a quote opens here and the line ends without closing it',
      range: rangeOf(line, lineStart, t.start, end),
    };
  }
  const lastEnd = toks.end[toks.length - 1] as number;
  const range = t ? rangeOf(line, lineStart, t.start, t.end) : rangeOf(line, lineStart, lastEnd, lastEnd);
  return { code: 'PGC002', message: `syntax error: ${message}`, range };
}

// No closures here: this runs once per line and must stay cheap.
function parseLine(text: string, toks: LineTokens, lineStart: number, line: number, items: (ConfSetting | ConfInclude)[]): ConfSyntaxError | undefined {
  const kinds = toks.kind;
  const nameKind = kinds[0];
  if (nameKind !== 'id' && nameKind !== 'qualified_id') {
    const t = toks.at(0) as Token;
    return syntaxError(text, toks, lineStart, line, t, `${describe(text, t)}; a line must start with a parameter name`);
  }
  const nameStart = toks.start[0] as number;
  const nameEnd = toks.end[0] as number;
  let k = 1;
  if (toks.length > 1 && kinds[1] === 'equals') k++;
  if (k >= toks.length) return syntaxError(text, toks, lineStart, line, undefined, `no value after ${text.slice(nameStart, nameEnd)}`);
  const vk = kinds[k] as TokenKind;
  if (vk === 'equals' || vk === 'error' || vk === 'qualified_id') {
    const hint = vk === 'qualified_id' ? ' (a dotted value must be quoted)' : '';
    const t = toks.at(k) as Token;
    return syntaxError(text, toks, lineStart, line, t, `${describe(text, t)} where a value was expected${hint}`);
  }
  const vStart = toks.start[k] as number;
  const vEnd = toks.end[k] as number;
  if (k + 1 < toks.length) {
    const extra = toks.at(k + 1) as Token;
    const quoteHint =
      vk === 'integer' || vk === 'real' || vk === 'id' || vk === 'unquoted' ? `; to give "${text.slice(vStart, extra.end)}" as one value, quote it` : '';
    return syntaxError(text, toks, lineStart, line, extra, `${describe(text, extra)} after the value${quoteHint}`);
  }
  const name = text.slice(nameStart, nameEnd);
  const raw = text.slice(vStart, vEnd);
  const value = vk === 'string' ? deescapeQuoted(raw) : raw;
  const lower = name.toLowerCase();
  const nameRange = rangeOf(line, lineStart, nameStart, nameEnd);
  const valueRange = rangeOf(line, lineStart, vStart, vEnd);
  if (lower === 'include' || lower === 'include_if_exists' || lower === 'include_dir') {
    items.push({ kind: lower, path: value, pathRange: valueRange, directiveRange: nameRange, line });
  } else {
    items.push({ kind: 'setting', name, key: lower, nameRange, value, raw, valueKind: vk, valueRange, line });
  }
  return undefined;
}
