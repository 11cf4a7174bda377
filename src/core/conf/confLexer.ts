// The postgresql.conf lexer, rule for rule the one in PostgreSQL's guc-file.l (unchanged 13–18):
//
//   INTEGER         {SIGN}?({DIGIT}+|0x{HEXDIGIT}+){UNIT_LETTER}*
//   REAL            {SIGN}?{DIGIT}*"."{DIGIT}*{EXPONENT}?
//   ID              {LETTER}{LETTER_OR_DIGIT}*          LETTER = [A-Za-z_\200-\377]
//   QUALIFIED_ID    {ID}"."{ID}
//   UNQUOTED_STRING {LETTER}({LETTER_OR_DIGIT}|[-._:/])*
//   STRING          \'([^'\\\n]|\\.|\'\')*\'
//   \n → EOL, [ \t\r]+ and #.* skipped, "=" → EQUALS, any other char → ERROR
//
// Like flex it takes the longest match, ties going to the rule listed first. Hand-written over
// char codes (no regex per token) because the linter must stay within a few times the cost of
// splitting lines. Non-ASCII UTF-16 units count as letters, as bytes \200-\377 do for flex.

export type TokenKind = 'id' | 'qualified_id' | 'string' | 'unquoted' | 'integer' | 'real' | 'equals' | 'error';

export interface Token {
  kind: TokenKind;
  /** Offsets into the text: [start, end). */
  start: number;
  end: number;
}

/**
 * The tokens of one line, kept in parallel arrays that are reused from line to line: no object
 * per token (the lexer runs on every keystroke in the editor).
 */
export class LineTokens {
  kind: TokenKind[] = [];
  start: number[] = [];
  end: number[] = [];
  length = 0;
  push(kind: TokenKind, start: number, end: number): void {
    const i = this.length++;
    this.kind[i] = kind;
    this.start[i] = start;
    this.end[i] = end;
  }
  at(i: number): Token | undefined {
    return i < this.length ? { kind: this.kind[i] as TokenKind, start: this.start[i] as number, end: this.end[i] as number } : undefined;
  }
}

// Character codes, as plain constants so the hot loops compare numbers.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const HASH = 35;
const QUOTE = 39;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const D0 = 48;
const D9 = 57;
const COLON = 58;
const EQ = 61;
const UA = 65;
const UE = 69;
const UF = 70;
const UZ = 90;
const BACKSLASH = 92;
const UNDERSCORE = 95;
const LA = 97;
const LE = 101;
const LF_ = 102;
const LX = 120;
const LZ = 122;

function isLetter(c: number): boolean {
  return (c >= LA && c <= LZ) || (c >= UA && c <= UZ) || c === UNDERSCORE || c >= 128;
}
function isLetterOrDigit(c: number): boolean {
  return isLetter(c) || (c >= D0 && c <= D9);
}
function isDigit(c: number): boolean {
  return c >= D0 && c <= D9;
}
function isUnitLetter(c: number): boolean {
  return (c >= LA && c <= LZ) || (c >= UA && c <= UZ);
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= LA && c <= LF_) || (c >= UA && c <= UF);
}

/** Length of the longest STRING match at `i` (text[i] is a quote), 0 if none. */
function stringMatch(s: string, i: number): number {
  const n = s.length;
  let j = i + 1;
  let lastEnd = -1;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c === LF) break;
    if (c === BACKSLASH) {
      if (j + 1 < n && s.charCodeAt(j + 1) !== LF) j += 2;
      else break;
    } else if (c === QUOTE) {
      lastEnd = j + 1; // a closing quote here is a match; '' may continue it
      if (j + 1 < n && s.charCodeAt(j + 1) === QUOTE) j += 2;
      else break;
    } else j++;
  }
  return lastEnd < 0 ? 0 : lastEnd - i;
}

function numberMatch(s: string, i: number): { kind: 'integer' | 'real'; len: number } | undefined {
  const n = s.length;
  let p = i;
  const c0 = s.charCodeAt(p);
  if (c0 === PLUS || c0 === MINUS) p++;
  // INTEGER: decimal digits, or 0x + hex digits, then unit letters
  let intLen = 0;
  if (p < n && isDigit(s.charCodeAt(p))) {
    let q = p;
    while (q < n && isDigit(s.charCodeAt(q))) q++;
    let r = q;
    while (r < n && isUnitLetter(s.charCodeAt(r))) r++;
    intLen = r - i;
    if (s.charCodeAt(p) === D0 && q === p + 1 && s.charCodeAt(q) === LX && q + 1 < n && isHex(s.charCodeAt(q + 1))) {
      let h = q + 1;
      while (h < n && isHex(s.charCodeAt(h))) h++;
      while (h < n && isUnitLetter(s.charCodeAt(h))) h++;
      if (h - i > intLen) intLen = h - i;
    }
  }
  // REAL: digits* "." digits* exponent?
  let realLen = 0;
  let q = p;
  while (q < n && isDigit(s.charCodeAt(q))) q++;
  if (q < n && s.charCodeAt(q) === DOT) {
    q++;
    while (q < n && isDigit(s.charCodeAt(q))) q++;
    const e = s.charCodeAt(q);
    if (e === LE || e === UE) {
      let x = q + 1;
      const sg = s.charCodeAt(x);
      if (sg === PLUS || sg === MINUS) x++;
      if (x < n && isDigit(s.charCodeAt(x))) {
        while (x < n && isDigit(s.charCodeAt(x))) x++;
        q = x;
      }
    }
    realLen = q - i;
  }
  if (intLen === 0 && realLen === 0) return undefined;
  return intLen >= realLen ? { kind: 'integer', len: intLen } : { kind: 'real', len: realLen };
}

/**
 * Lexes one line of `s` starting at `pos` (just after a newline or at 0) and returns its tokens;
 * `lineEnd` is the offset of the newline (or the text length). Comments and blanks yield nothing.
 */
export function lexLine(s: string, pos: number, lineEnd: number, out: LineTokens): void {
  let i = pos;
  while (i < lineEnd) {
    const c = s.charCodeAt(i);
    if (c === SPACE || c === TAB || c === CR) {
      i++;
      continue;
    }
    if (c === HASH) return;
    let kind: TokenKind = 'error';
    let len = 1;
    if (isLetter(c)) {
      let j = i + 1;
      while (j < lineEnd && isLetterOrDigit(s.charCodeAt(j))) j++;
      const idLen = j - i;
      let qualLen = 0;
      if (s.charCodeAt(j) === DOT && j + 1 < lineEnd && isLetter(s.charCodeAt(j + 1))) {
        let k = j + 2;
        while (k < lineEnd && isLetterOrDigit(s.charCodeAt(k))) k++;
        qualLen = k - i;
      }
      let u = j;
      for (; u < lineEnd; u++) {
        const d = s.charCodeAt(u);
        if (!(isLetterOrDigit(d) || d === MINUS || d === DOT || d === UNDERSCORE || d === COLON || d === SLASH)) break;
      }
      const unqLen = u - i;
      kind = 'id';
      len = idLen;
      if (qualLen > len) {
        kind = 'qualified_id';
        len = qualLen;
      }
      if (unqLen > len) {
        kind = 'unquoted';
        len = unqLen;
      }
    } else if (c === QUOTE) {
      const m = stringMatch(s, i);
      if (m > 0) {
        kind = 'string';
        len = m;
      }
    } else if (isDigit(c) || c === PLUS || c === MINUS || c === DOT) {
      const m = numberMatch(s, i);
      if (m && m.len > 0) {
        kind = m.kind;
        len = Math.min(m.len, lineEnd - i);
      }
    } else if (c === EQ) {
      kind = 'equals';
    }
    out.push(kind, i, i + len);
    i += len;
  }
}

/**
 * A commented-out setting on a comment-only line ("  #work_mem = 4MB  # note"): offsets of the
 * '#', the name and the end of the value; undefined for prose. Scanned by hand (no regex, no
 * cross-module calls): most lines of a sample-based file are comments.
 */
export function scanCommented(s: string, pos: number, lineEnd: number): { hash: number; nameStart: number; nameEnd: number; end: number } | undefined {
  let i = pos;
  while (i < lineEnd && (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB)) i++;
  if (s.charCodeAt(i) !== HASH) return undefined;
  const hash = i++;
  while (i < lineEnd && (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB)) i++;
  const c = s.charCodeAt(i);
  if (!((c >= LA && c <= LZ) || (c >= UA && c <= UZ) || c === UNDERSCORE)) return undefined;
  const nameStart = i;
  for (; i < lineEnd; i++) {
    const d = s.charCodeAt(i);
    if (!((d >= LA && d <= LZ) || (d >= UA && d <= UZ) || (d >= D0 && d <= D9) || d === UNDERSCORE || d === DOT)) break;
  }
  const nameEnd = i;
  while (i < lineEnd && (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB)) i++;
  if (s.charCodeAt(i) !== EQ) return undefined; // prose, not a setting
  i++;
  while (i < lineEnd && (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB)) i++;
  let end = i;
  if (s.charCodeAt(i) === QUOTE) {
    const m = stringMatch(s, i);
    if (m === 0) return undefined;
    end = i + m;
  } else {
    for (; end < lineEnd; end++) {
      const d = s.charCodeAt(end);
      if (d === SPACE || d === TAB || d === CR || d === HASH || d === QUOTE) break;
    }
    if (end === i) return undefined;
  }
  return { hash, nameStart, nameEnd, end };
}
