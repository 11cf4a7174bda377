// log_line_prefix compiled once into a matcher: every escape PostgreSQL documents (%a %u %d %r %h
// %L %b %p %P %t %m %n %i %e %c %l %s %v %x %q %Q %%, with padding such as %-10u) becomes a
// bounded regular expression group, and the severity after the prefix anchors the match. Each
// group has a length bound (names are at most 63 bytes), so a line that does not match fails
// in time bounded by the prefix, not by the line.
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
}

function escapeFor(c: string, width: number): Escape | undefined {
  const n = (bound: number) => String(Math.max(bound, width));
  switch (c) {
    case 'a':
      return { re: `(.{0,${n(64)}}?)`, field: 'application' };
    case 'u':
      return { re: `(.{0,${n(64)}}?)`, field: 'user' };
    case 'd':
      return { re: `(.{0,${n(64)}}?)`, field: 'database' };
    case 'r':
      return { re: `(.{0,${n(300)}}?)`, field: 'hostPort' };
    case 'h':
      return { re: `(.{0,${n(260)}}?)`, field: 'host' };
    case 'L':
    case 'b':
    case 'i':
      return { re: `.{0,${n(64)}}?` };
    case 'p':
      return { re: String.raw` *(\d+) *`, field: 'pid' };
    case 'P':
    case 'l':
    case 'x':
      return { re: String.raw` *\d* *` };
    case 'Q':
      return { re: String.raw` *-?\d* *` };
    case 't':
      return { re: `(${TS}${ZONE})`, field: 'time' };
    case 'm':
      return { re: `(${TS}\\.\\d{3}${ZONE})`, field: 'time' };
    case 'n':
      return { re: String.raw`(\d+\.\d{3})`, field: 'time' };
    case 'e':
      return { re: ' *([0-9A-Z]{5}) *', field: 'sqlstate' };
    case 'c':
      return { re: String.raw` *[0-9a-f]+\.[0-9a-f]+ *` };
    case 's':
      return { re: `${TS}${ZONE}` };
    case 'v':
      return { re: String.raw`.{0,${n(40)}}?` };
    default:
      return undefined; // PostgreSQL prints nothing for an unknown escape
  }
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Compiles `prefix` (the server's log_line_prefix, as SHOW gives it). */
export function compilePrefix(prefix: string): PrefixMatcher {
  let re = '^';
  let optionalOpen = false;
  const fields: (PrefixField | 'hostPort')[] = [];
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i]!;
    if (ch !== '%' || i + 1 >= prefix.length) {
      re += literal(ch);
      continue;
    }
    let j = i + 1;
    const pad = /^-?\d+/.exec(prefix.slice(j, j + 6));
    if (pad) j += pad[0].length;
    const esc = prefix[j];
    i = j;
    if (esc === undefined) break;
    if (esc === '%') {
      re += '%';
      continue;
    }
    if (esc === 'q') {
      // The rest appears only in session processes: optional as a whole.
      if (!optionalOpen) re += '(?:';
      optionalOpen = true;
      continue;
    }
    const e = escapeFor(esc, pad ? Math.abs(Number(pad[0])) : 0);
    if (!e) continue;
    re += e.re;
    if (e.field) fields.push(e.field);
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
