// pgbouncer.ini as PgBouncer reads it (libusual's cfparser, parse_ini_file): "[section]" lines,
// "key = value" lines, comment lines starting with ';' or '#' (only at the start of a line: the
// characters are not special later, so there are no end-of-line comments), "%include file".
// A key is letters, digits and "_.-*" or a double-quoted name; the value runs to the end of the
// line, trailing blanks removed. The parser never throws; syntax errors are problems.
import type { SourceRange } from '../lint/finding';

export interface IniEntry {
  section: string | undefined;
  key: string;
  value: string;
  line: number;
  keyRange: SourceRange;
  /** Range of the value text (empty range right after '=' when the value is empty). */
  valueRange: SourceRange;
}

export interface IniSection {
  name: string;
  line: number;
  range: SourceRange;
}

export interface IniInclude {
  path: string;
  line: number;
  range: SourceRange;
}

export interface IniProblem {
  code: string;
  message: string;
  range: SourceRange;
}

export interface IniFile {
  sections: IniSection[];
  entries: IniEntry[];
  includes: IniInclude[];
  problems: IniProblem[];
}

const KEY_CHAR = /[A-Za-z0-9_.\-*]/;

export function parsePgbouncerIni(text: string): IniFile {
  const out: IniFile = { sections: [], entries: [], includes: [], problems: [] };
  const lines = text.split('\n');
  let section: string | undefined;
  lines.forEach((rawLine, idx) => {
    const lineText = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const line = idx + 1;
    const r = (start: number, end: number): SourceRange => ({ line, column: start + 1, endLine: line, endColumn: end + 1 });
    let p = 0;
    while (p < lineText.length && /\s/.test(lineText[p] ?? '')) p++;
    if (p >= lineText.length) return;
    const c = lineText[p];
    if (c === ';' || c === '#') return;
    if (c === '[') {
      const close = lineText.indexOf(']', p);
      if (close < 0) {
        out.problems.push({
          code: 'PGB001',
          message: 'syntax error: section header without "]"; PgBouncer stops loading the file here',
          range: r(p, lineText.length),
        });
        return;
      }
      section = lineText.slice(p + 1, close);
      out.sections.push({ name: section, line, range: r(p, close + 1) });
      return;
    }
    if (lineText.startsWith('%include', p) && /\s/.test(lineText[p + 8] ?? '')) {
      const path = lineText.slice(p + 8).trim();
      const start = lineText.indexOf(path, p + 8);
      out.includes.push({ path, line, range: r(start, start + path.length) });
      return;
    }
    const keyStart = p;
    let key = '';
    if (c === '"') {
      p++;
      for (; p < lineText.length; p++) {
        if (lineText[p] === '"') {
          if (lineText[p + 1] === '"') {
            key += '"';
            p++;
          } else break;
        } else key += lineText[p];
      }
      if (lineText[p] !== '"') {
        out.problems.push({
          code: 'PGB001',
          message: 'syntax error: unterminated quoted name; PgBouncer stops loading the file here',
          range: r(keyStart, lineText.length),
        });
        return;
      }
      p++;
    } else {
      while (p < lineText.length && KEY_CHAR.test(lineText[p] ?? '')) p++;
      key = lineText.slice(keyStart, p);
    }
    const keyEnd = p;
    while (lineText[p] === ' ' || lineText[p] === '\t') p++;
    if (lineText[p] !== '=' || keyEnd === keyStart) {
      out.problems.push({
        code: 'PGB001',
        message: `syntax error: expected "key = value"${keyEnd === keyStart ? '' : ` after "${key}"`}; PgBouncer stops loading the file here`,
        range: r(keyStart, lineText.length),
      });
      return;
    }
    p++;
    while (lineText[p] === ' ' || lineText[p] === '\t') p++;
    const valueStart = p;
    let valueEnd = lineText.length;
    while (valueEnd > valueStart && /\s/.test(lineText[valueEnd - 1] ?? '')) valueEnd--;
    out.entries.push({ section, key, value: lineText.slice(valueStart, valueEnd), line, keyRange: r(keyStart, keyEnd), valueRange: r(valueStart, valueEnd) });
  });
  return out;
}

export interface ConnParam {
  key: string;
  value: string;
  /** Column offsets inside the entry's value text. */
  start: number;
  end: number;
}

/**
 * The libpq-like "key=value key='quoted value'" string of a [databases], [users] or [peers] entry.
 * Returns the pairs, or an error message for a malformed string.
 */
export function parseConnString(s: string): { params: ConnParam[]; error?: string } {
  const params: ConnParam[] = [];
  let p = 0;
  while (p < s.length) {
    while (p < s.length && /\s/.test(s[p] ?? '')) p++;
    if (p >= s.length) break;
    const start = p;
    while (p < s.length && /[A-Za-z0-9_]/.test(s[p] ?? '')) p++;
    const key = s.slice(start, p);
    while (s[p] === ' ' || s[p] === '\t') p++;
    if (!key || s[p] !== '=') return { params, error: `expected key=value at "${s.slice(start, start + 20)}"` };
    p++;
    while (s[p] === ' ' || s[p] === '\t') p++;
    let value = '';
    if (s[p] === "'") {
      p++;
      let closed = false;
      while (p < s.length) {
        const ch = s[p] ?? '';
        if (ch === '\\' && p + 1 < s.length) {
          value += s[p + 1];
          p += 2;
        } else if (ch === "'") {
          if (s[p + 1] === "'") {
            value += "'";
            p += 2;
          } else {
            p++;
            closed = true;
            break;
          }
        } else {
          value += ch;
          p++;
        }
      }
      if (!closed) return { params, error: `unterminated quoted value for ${key}` };
    } else {
      const vs = p;
      while (p < s.length && !/\s/.test(s[p] ?? '')) p++;
      value = s.slice(vs, p);
    }
    params.push({ key, value, start, end: p });
  }
  return { params };
}
