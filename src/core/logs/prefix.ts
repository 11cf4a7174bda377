// log_line_prefix compiled once into a matcher: every escape PostgreSQL documents (%a %u %d %r %h
// %L %b %p %P %t %m %n %i %e %c %l %s %v %x %q %Q %%, with padding such as %-10u) becomes a
// bounded regular expression group, and the severity after the prefix anchors the match. Each
// group has a length bound (names are at most 63 bytes) and at most one lazy one can backtrack,
// so a line that does not match fails in time bounded by the prefix, not by the line.
import { PRIMARY_LEVELS, SECONDARY_LEVELS } from './types';

export type PrefixField = 'time' | 'pid' | 'user' | 'database' | 'host' | 'application' | 'sqlstate' | 'session' | 'lineNumber';

export interface PrefixMatch {
  time?: string;
  pid?: string;
  user?: string;
  database?: string;
  host?: string;
  application?: string;
  sqlstate?: string;
  level: string;
  /** Where the message starts (after "LEVEL:  "). */
  messageStart: number;
}

export interface PrefixMatcher {
  readonly prefix: string;
  match(line: string): PrefixMatch | undefined;
}

const TS = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`;
const ZONE = String.raw`(?: [^\s]{1,10})?`;

interface Escape {
  re: string;
  field?: PrefixField | 'hostPort';
  /** A name of free text (%a %u %d …): at most `max` characters of anything. */
  free?: number;
}

function escapeFor(c: string, width: number): Escape | undefined {
  const n = (bound: number) => Math.max(bound, width);
  // Padding (%-10u, %5p) is the only source of spaces around a number: at most `width` of them.
  const pad = width > 0 ? ` {0,${width}}` : '';
  switch (c) {
    case 'a':
      return { re: '', free: n(64), field: 'application' };
    case 'u':
      return { re: '', free: n(64), field: 'user' };
    case 'd':
      return { re: '', free: n(64), field: 'database' };
    case 'r':
      return { re: '', free: n(300), field: 'hostPort' };
    case 'h':
      return { re: '', free: n(260), field: 'host' };
    case 'L':
    case 'b':
    case 'i':
      return { re: '', free: n(64) };
    case 'v':
      return { re: '', free: n(40) };
    case 'p':
      return { re: String.raw`${pad}(\d{1,10})${pad}`, field: 'pid' };
    case 'P':
    case 'l':
    case 'x':
      return { re: String.raw`${pad}\d{0,20}${pad}` };
    case 'Q':
      return { re: String.raw`${pad}-?\d{0,20}${pad}` };
    case 't':
      return { re: `(${TS}${ZONE})`, field: 'time' };
    case 'm':
      return { re: `(${TS}\\.\\d{3}${ZONE})`, field: 'time' };
    case 'n':
      return { re: String.raw`(\d{1,12}\.\d{3})`, field: 'time' };
    case 'e':
      return { re: `${pad}([0-9A-Z]{5})${pad}`, field: 'sqlstate' };
    case 'c':
      return { re: String.raw`${pad}[0-9a-f]{1,16}\.[0-9a-f]{1,16}${pad}` };
    case 's':
      return { re: `${TS}${ZONE}` };
    default:
      return undefined; // PostgreSQL prints nothing for an unknown escape
  }
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Characters of log_line_prefix compiled at most. */
export const MAX_PREFIX = 2_000;

type Item = { lit: string } | { esc: Escape } | { optional: true };
const isFree = (it: Item | undefined): boolean => it !== undefined && 'esc' in it && it.esc.free !== undefined;

/**
 * Compiles `prefix` (the server's log_line_prefix, as SHOW gives it). A free-text escape followed
 * by a literal character stops at that character (`[^@]{0,64}` for %u@): a line that does not
 * match then fails in time linear in the prefix, where k lazy groups could try 64^k splits. The
 * last free-text escape stays lazy, so a name with spaces before the severity still reads; free
 * escapes side by side (%u%d) cannot be told apart in the line, so the first takes the run.
 */
export function compilePrefix(prefix: string): PrefixMatcher {
  // No server writes a prefix this long; its regular expression would overflow the compiler's stack.
  // It places no line, and the report's unplaced-lines finding says to give the right prefix.
  if (prefix.length > MAX_PREFIX) return { prefix, match: () => undefined };
  const items: Item[] = [];
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i]!;
    if (ch !== '%' || i + 1 >= prefix.length) {
      items.push({ lit: ch });
      continue;
    }
    let j = i + 1;
    const pad = /^-?\d+/.exec(prefix.slice(j, j + 6));
    if (pad) j += pad[0].length;
    const esc = prefix[j];
    i = j;
    if (esc === undefined) break;
    if (esc === '%') items.push({ lit: '%' });
    else if (esc === 'q') items.push({ optional: true });
    else {
      const e = escapeFor(esc, pad ? Math.min(Math.abs(Number(pad[0])), 1000) : 0);
      if (e) items.push({ esc: e });
    }
  }
  let lastFree = -1;
  items.forEach((it, k) => {
    if (isFree(it)) lastFree = k;
  });
  let re = '^';
  let optionalOpen = false;
  const fields: (PrefixField | 'hostPort')[] = [];
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    if ('lit' in it) re += literal(it.lit);
    else if ('optional' in it) {
      // The rest appears only in session processes: optional as a whole.
      if (!optionalOpen) re += '(?:';
      optionalOpen = true;
    } else {
      const e = it.esc;
      let part = e.re;
      if (e.free !== undefined) {
        const prev = items[k - 1];
        let end = k + 1;
        while (isFree(items[end])) end++;
        const next = items[end];
        if (isFree(prev)) part = '';
        else if (lastFree >= end && next && 'lit' in next) part = `[^${next.lit.replace(/[\]\\^-]/g, '\\$&')}\n]{0,${e.free}}`;
        else part = `.{0,${e.free}}?`;
        if (e.field) part = `(${part})`;
      }
      re += part;
      if (e.field) fields.push(e.field);
    }
  }
  if (optionalOpen) re += ')?';
  re += `(${[...PRIMARY_LEVELS, ...SECONDARY_LEVELS].join('|')}):  `;
  const compiled = new RegExp(re);
  return {
    prefix,
    match(line: string): PrefixMatch | undefined {
      const m = compiled.exec(line);
      if (!m) return undefined;
      const out: PrefixMatch = { level: m[fields.length + 1]!, messageStart: m[0].length };
      for (let k = 0; k < fields.length; k++) {
        const v = m[k + 1];
        if (v === undefined || v === '' || v === '[unknown]') continue;
        const f = fields[k]!;
        if (f === 'hostPort') {
          const paren = v.lastIndexOf('(');
          out.host = paren > 0 ? v.slice(0, paren) : v;
        } else if (f === 'time' || f === 'pid' || f === 'user' || f === 'database' || f === 'host' || f === 'application' || f === 'sqlstate') {
          out[f] = f === 'user' || f === 'database' || f === 'application' || f === 'host' ? v.trimEnd() : v.trim();
        }
      }
      return out;
    },
  };
}

/** Prefixes tried, in order, when none is given: the seed's, PostgreSQL's default, and common ones. */
export const COMMON_PREFIXES = [
  '%m [%p] %q%u@%d ',
  '%m [%p] ',
  '%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ',
  '%t [%p]: user=%u,db=%d,app=%a,client=%h ',
  '%t [%p]: [%l-1] ',
  '%m [%p] %q[user=%u,db=%d,app=%a] ',
  '%t ',
  '%m ',
  '',
];
