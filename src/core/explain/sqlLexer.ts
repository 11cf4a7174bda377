// A small SQL lexer, enough to find statement boundaries and key words: it skips -- and nested
// /* */ comments, 'strings' (E'' with backslashes), "identifiers" and $tag$ dollar quotes $tag$,
// and keeps BEGIN ATOMIC … END bodies (14+) in one statement.

export type TokenKind = 'word' | 'ident' | 'string' | 'number' | 'param' | 'op' | 'semicolon' | 'lparen' | 'rparen';

export interface Token {
  kind: TokenKind;
  /** Upper-case for words; the raw text otherwise. */
  value: string;
  start: number;
  end: number;
}

export function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const len = text.length;
  while (i < len) {
    const c = text[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      while (i < len && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      let depth = 0;
      while (i < len) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      continue;
    }
    if (c === "'" || ((c === 'E' || c === 'e') && text[i + 1] === "'")) {
      const escapes = c !== "'";
      i += escapes ? 2 : 1;
      while (i < len) {
        if (escapes && text[i] === '\\') i += 2;
        else if (text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === "'") {
          i++;
          break;
        } else i++;
      }
      out.push({ kind: 'string', value: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"') {
      i++;
      while (i < len) {
        if (text[i] === '"' && text[i + 1] === '"') i += 2;
        else if (text[i] === '"') {
          i++;
          break;
        } else i++;
      }
      out.push({ kind: 'ident', value: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? len : close + tag[0].length;
        out.push({ kind: 'string', value: text.slice(start, i), start, end: i });
        continue;
      }
      const param = /^\$\d+/.exec(text.slice(i, i + 12));
      if (param) {
        i += param[0].length;
        out.push({ kind: 'param', value: param[0], start, end: i });
        continue;
      }
    }
    if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      while (i < len && /[A-Za-z0-9_$\u0080-\uffff]/.test(text[i]!)) i++;
      out.push({ kind: 'word', value: text.slice(start, i).toUpperCase(), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      while (i < len && /[0-9.eE_]/.test(text[i]!)) i++;
      out.push({ kind: 'number', value: text.slice(start, i), start, end: i });
      continue;
    }
    i++;
    const kind: TokenKind = c === ';' ? 'semicolon' : c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'op';
    out.push({ kind, value: c, start, end: i });
  }
  return out;
}

export interface Statement {
  /** Offsets in the document: from the first token to the end of the last (the ';' excluded). */
  start: number;
  end: number;
  text: string;
  tokens: Token[];
}

export function splitStatements(text: string): Statement[] {
  const out: Statement[] = [];
  let current: Token[] = [];
  let atomic = 0; // depth inside BEGIN ATOMIC … END, where ';' does not end the statement
  const flush = () => {
    if (current.length === 0) return;
    const start = current[0]!.start;
    const end = current[current.length - 1]!.end;
    out.push({ start, end, text: text.slice(start, end), tokens: current });
    current = [];
  };
  for (const t of lex(text)) {
    if (t.kind === 'word') {
      const prev = current[current.length - 1];
      if (t.value === 'ATOMIC' && prev?.value === 'BEGIN') atomic++;
      else if (atomic > 0 && t.value === 'CASE') atomic++;
      else if (atomic > 0 && t.value === 'END') atomic--;
    }
    if (t.kind === 'semicolon' && atomic === 0) {
      flush();
      continue;
    }
    current.push(t);
  }
  flush();
  return out;
}

/** The statement under the cursor; between statements, the one just before it. */
export function statementAt(text: string, offset: number): Statement | undefined {
  const all = splitStatements(text);
  let best: Statement | undefined;
  for (const s of all) {
    if (offset >= s.start && offset <= s.end + 1) return s;
    if (s.start <= offset) best = s;
  }
  return best ?? all[0];
}
