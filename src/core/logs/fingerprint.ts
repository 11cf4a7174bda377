// Statements grouped as PostgreSQL's own parser sees them: libpg-query's fingerprint (the one
// pganalyze and pg_query use: constants and whitespace do not count) and its normalized text.
// The parser costs ~50 µs a call, so it is asked once per distinct *shape*: constants are taken
// out by a linear scan first (`shapeKey`), which leaves the fingerprint unchanged, and the answer
// is cached by that key. A text the parser refuses (cut by the log, not SQL) is grouped by its
// key with an id of its own.
import { createHash } from 'node:crypto';
import { loadPgParser, MAX_PARSE_CHARS, type PgParser } from '../sql/pgParser';

export interface StatementShape {
  /** libpg-query's fingerprint (16 hex digits), or "text:" + a hash for a text it could not parse. */
  id: string;
  /** The statement with its constants as $n (libpg-query's normalize). */
  normalized: string;
  parsed: boolean;
}

const isIdent = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12;

/**
 * The statement with string and numeric constants replaced ('' and 0) and whitespace runs made
 * one space: the same fingerprint, and one key for every call of one shape. Linear, one pass.
 */
export function shapeKey(sql: string): string {
  let out = '';
  let from = 0;
  const n = sql.length;
  let i = 0;
  let prev = 32;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 39) {
      // '…' with '' inside; E'…' also takes backslash escapes (the E stays in the key).
      const escapes = i > 0 && (sql.charCodeAt(i - 1) | 32) === 101 && !isIdent(sql.charCodeAt(i - 2));
      let j = i + 1;
      for (; j < n; j++) {
        const d = sql.charCodeAt(j);
        if (escapes && d === 92) j++;
        else if (d === 39) {
          if (sql.charCodeAt(j + 1) === 39) j++;
          else break;
        }
      }
      out += sql.slice(from, i) + "''";
      i = from = Math.min(n, j + 1);
      prev = 39;
      continue;
    }
    if (c === 36 && !isIdent(prev)) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 ? n : close + tag[0].length;
        out += sql.slice(from, i) + "''";
        i = from = end;
        prev = 39;
        continue;
      }
    }
    if (c === 34) {
      const close = sql.indexOf('"', i + 1);
      i = close < 0 ? n : close + 1;
      prev = 34;
      continue;
    }
    if (isDigit(c) && !isIdent(prev)) {
      let j = i + 1;
      while (j < n && (isIdent(sql.charCodeAt(j)) || sql.charCodeAt(j) === 46)) j++;
      out += sql.slice(from, i) + '0';
      i = from = j;
      prev = 48;
      continue;
    }
    if (isSpace(c)) {
      let j = i + 1;
      while (j < n && isSpace(sql.charCodeAt(j))) j++;
      out += sql.slice(from, i) + ' ';
      i = from = j;
      prev = 32;
      continue;
    }
    prev = c;
    i++;
  }
  return (out + sql.slice(from)).trim();
}

/** The cache holds at most this many characters of keys (≈ 2 bytes each), then starts again. */
const CACHE_CHARS = 8_000_000;
/** Longer keys are not cached: a rare huge statement would hold its text in the cache. */
const CACHE_KEY_CHARS = 8_192;
/** The normalized text kept of a statement the parser did not read. */
const UNPARSED_CHARS = 64 * 1024;

/** Fingerprints with a cache per shape; `create()` loads the parser once per process. */
export class Fingerprinter {
  private readonly cache = new Map<string, StatementShape>();
  private cachedChars = 0;
  calls = 0;

  private constructor(private readonly pg: PgParser) {}

  static async create(): Promise<Fingerprinter> {
    return new Fingerprinter(await loadPgParser());
  }

  /**
   * The shape's text from its first statement, not from the key: the parser leaves a utility
   * statement's constants in (CREATE TABLE … AS), where the key's 0 and '' would show
   * ("g % 0"). Whitespace runs made one space, as in the key.
   */
  private normalized(sql: string, key: string): string {
    if (sql.length <= MAX_PARSE_CHARS) {
      try {
        return this.pg.normalizeSync(sql.replace(/\s+/g, ' ').trim());
      } catch {
        // parsed as the key only (a constant the scan took out was the trouble): the key's text
      }
    }
    return this.pg.normalizeSync(key);
  }

  shape(sql: string): StatementShape {
    const key = shapeKey(sql);
    const hit = this.cache.get(key);
    if (hit) return hit;
    let shape: StatementShape | undefined;
    // The parser's WASM heap never shrinks: text past MAX_PARSE_CHARS is grouped by its hash.
    if (key.length <= MAX_PARSE_CHARS) {
      this.calls++;
      try {
        shape = { id: this.pg.fingerprintSync(key), normalized: this.normalized(sql, key), parsed: true };
      } catch {
        // not SQL (cut by the log): by its text, below
      }
    }
    shape ??= {
      id: `text:${createHash('sha1').update(key).digest('hex').slice(0, 16)}`,
      normalized: key.length > UNPARSED_CHARS ? `${key.slice(0, UNPARSED_CHARS)}…` : key,
      parsed: false,
    };
    if (key.length <= CACHE_KEY_CHARS) {
      if (this.cachedChars + key.length > CACHE_CHARS) {
        this.cache.clear();
        this.cachedChars = 0;
      }
      this.cache.set(key, shape);
      this.cachedChars += key.length;
    }
    return shape;
  }
}
