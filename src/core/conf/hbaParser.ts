// pg_hba.conf records as PostgreSQL 13–18 read them (src/backend/libpq/hba.c, parse_hba_line):
// connection type, database list, user list, address (all, samehost, samenet, IP/CIDR, IP + mask,
// host name or .suffix), method, name=value options; include / include_if_exists / include_dir
// (16+). The parser never throws: whatever PostgreSQL would refuse to load is a problem with the
// same words as the server's log line, and the record is left out.
import { DEFAULT_PG_MAJOR } from '../pgMajor';
import type { SourceRange } from '../lint/finding';
import { tokenizeHba, type HbaField, type HbaToken } from './hbaTokenizer';
import { cidrMask, looksNumeric, parseIp, type IpValue } from './ipAddress';
import { HBA_METHODS, HBA_OPTIONS, didYouMean, methodConnProblem, methodKnown, methodSince, missingOptions, type HbaMethod } from './hbaMethods';

export type { HbaToken } from './hbaTokenizer';

export const HBA_CONN_TYPES = ['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc'] as const;
export type HbaConnType = (typeof HBA_CONN_TYPES)[number];

export type HbaAddress =
  | { kind: 'all' | 'samehost' | 'samenet'; token: HbaToken }
  | { kind: 'ip'; ip: IpValue; mask: number[]; token: HbaToken; maskToken?: HbaToken }
  | { kind: 'hostname'; name: string; token: HbaToken };

export interface HbaOption {
  name: string;
  value: string;
  token: HbaToken;
}

export interface HbaRecord {
  /** 1-based first line of the record. */
  line: number;
  /** The record's text with continuations joined, as pg_hba_file_rules shows it. */
  raw: string;
  type: HbaConnType;
  typeToken: HbaToken;
  databases: HbaToken[];
  users: HbaToken[];
  /** Absent for local records. */
  address?: HbaAddress;
  method: HbaMethod;
  methodToken: HbaToken;
  options: HbaOption[];
  range: SourceRange;
}

export interface HbaInclude {
  directive: 'include' | 'include_if_exists' | 'include_dir';
  path: string;
  pathToken: HbaToken;
  line: number;
  range: SourceRange;
}

export interface HbaProblem {
  /** HBA### code, see docs/lint-rules.md. */
  code: string;
  severity: 'error' | 'warning';
  message: string;
  range: SourceRange;
}

export interface HbaFile {
  records: HbaRecord[];
  includes: HbaInclude[];
  problems: HbaProblem[];
  /** Lines that are records or includes (valid or not), for "contains no entries". */
  entryCount: number;
}

export interface HbaParseOptions {
  /** PostgreSQL major version, 13–18; default 16. */
  major?: number;
}

const INCLUDES = ['include', 'include_if_exists', 'include_dir'] as const;

export function parseHba(text: string, opts: HbaParseOptions = {}): HbaFile {
  const major = opts.major ?? DEFAULT_PG_MAJOR;
  const out: HbaFile = { records: [], includes: [], problems: [], entryCount: 0 };
  for (const logical of tokenizeHba(text, major >= 14)) {
    out.entryCount++;
    for (const f of logical.fields)
      for (const t of f)
        if (t.unterminated)
          out.problems.push({
            code: 'HBA012',
            severity: 'warning',
            message: 'unterminated double quote: PostgreSQL takes the rest of the line as part of this token',
            range: t.range,
          });
    const first = logical.fields[0]?.[0];
    if (!first) continue;
    const inc = INCLUDES.find((d) => d === first.text);
    if (logical.fields.length === 2 && inc && major >= 16) {
      const pathToken = logical.fields[1]?.[0] ?? first;
      out.includes.push({ directive: inc, path: pathToken.text, pathToken, line: logical.line, range: logical.range });
      continue;
    }
    const problem = (code: string, message: string, range: SourceRange = logical.range) => out.problems.push({ code, severity: 'error', message, range });
    const rec = parseRecord(logical.fields, logical.raw, logical.line, logical.range, major, problem);
    if (rec) out.records.push(rec);
  }
  return out;
}

type Report = (code: string, message: string, range?: SourceRange) => void;

function parseRecord(fields: HbaField[], raw: string, line: number, range: SourceRange, major: number, report: Report): HbaRecord | undefined {
  let fi = 0;
  const typeField = fields[fi++] ?? [];
  const typeToken = typeField[0];
  if (!typeToken) return undefined;
  if (typeField.length > 1)
    return void report('HBA003', 'multiple values specified for connection type; specify exactly one connection type per line', typeToken.range);
  const type = HBA_CONN_TYPES.find((t) => t === typeToken.text);
  if (!type) {
    const inc = INCLUDES.find((d) => d === typeToken.text);
    const hint = inc
      ? major < 16
        ? ` (include directives are new in PostgreSQL 16; this file is checked for ${major})`
        : ` (an ${inc} directive takes exactly one file name)`
      : suggestion(typeToken.text, HBA_CONN_TYPES);
    return void report('HBA001', `invalid connection type "${typeToken.text}"${hint}`, typeToken.range);
  }
  const eol = (what: string, hint = '') => void report('HBA002', `end-of-line before ${what}${hint}`, range);
  const databases = fields[fi++];
  if (!databases) return eol('database specification');
  const users = fields[fi++];
  if (!users) return eol('role specification');
  for (const t of [...databases, ...users]) {
    if (t.text.startsWith('/') && major >= 16) {
      const err = regexError(t.text.slice(1));
      if (err) return void report('HBA013', `invalid regular expression "${t.text.slice(1)}": ${err}`, t.range);
    }
  }

  let address: HbaAddress | undefined;
  if (type !== 'local') {
    const addrField = fields[fi++];
    if (!addrField) return eol('IP address specification');
    const token = addrField[0];
    if (!token) return eol('IP address specification');
    if (addrField.length > 1) return void report('HBA003', 'multiple values specified for host address; specify one address range per line', token.range);
    const keyword = !token.quoted ? (['all', 'samehost', 'samenet'] as const).find((k) => k === token.text) : undefined;
    if (keyword) address = { kind: keyword, token };
    else {
      const slash = token.text.indexOf('/');
      const host = slash >= 0 ? token.text.slice(0, slash) : token.text;
      const ip = parseIp(host);
      if (!ip) {
        if (looksNumeric(host)) return void report('HBA004', `invalid IP address "${host}" (PostgreSQL would look it up as a host name)`, token.range);
        if (slash >= 0) return void report('HBA004', `specifying both host name and CIDR mask is invalid: "${token.text}"`, token.range);
        address = { kind: 'hostname', name: host, token };
      } else if (slash >= 0) {
        const mask = cidrMask(token.text.slice(slash + 1), ip.family);
        if (!mask) return void report('HBA005', `invalid CIDR mask in address "${token.text}" (0..${ip.family === 4 ? 32 : 128} bits)`, token.range);
        address = { kind: 'ip', ip, mask, token };
      } else {
        const maskField = fields[fi++];
        if (!maskField) return eol('netmask specification', '; specify an address range in CIDR notation, or provide a separate netmask');
        const maskToken = maskField[0];
        if (!maskToken) return eol('netmask specification');
        if (maskField.length > 1) return void report('HBA003', 'multiple values specified for netmask', maskToken.range);
        const mask = parseIp(maskToken.text);
        if (!mask) {
          const m = HBA_METHODS.find((x) => x === maskToken.text);
          const hint = m ? `; "${m}" is a method: the address needs a CIDR suffix such as /${ip.family === 4 ? 32 : 128}` : '';
          return void report('HBA005', `invalid IP mask "${maskToken.text}"${hint}`, maskToken.range);
        }
        if (mask.family !== ip.family) return void report('HBA005', 'IP address and mask do not match', maskToken.range);
        address = { kind: 'ip', ip, mask: mask.bytes, token, maskToken };
      }
    }
  }

  const methodField = fields[fi++];
  if (!methodField) return eol('authentication method');
  const methodToken = methodField[0];
  if (!methodToken) return eol('authentication method');
  if (methodField.length > 1)
    return void report('HBA003', 'multiple values specified for authentication type; specify exactly one authentication type per line', methodToken.range);
  if (!methodKnown(methodToken.text, major)) {
    const since = methodSince(methodToken.text);
    const addressOnLocal =
      type === 'local' && (parseIp(methodToken.text.split('/')[0] ?? '') !== undefined || ['all', 'samehost', 'samenet'].includes(methodToken.text));
    const hint = since
      ? ` (new in PostgreSQL ${since}; this file is checked for ${major})`
      : addressOnLocal
        ? ' (a local line has no address field: the method comes right after the user)'
        : suggestion(methodToken.text, HBA_METHODS);
    return void report('HBA006', `invalid authentication method "${methodToken.text}"${hint}`, methodToken.range);
  }
  // PostgreSQL silently turns ident on a local socket into peer.
  const method: HbaMethod = type === 'local' && methodToken.text === 'ident' ? 'peer' : methodToken.text;
  const connProblem = methodConnProblem(method, type);
  if (connProblem) return void report('HBA007', connProblem, methodToken.range);

  const options: HbaOption[] = [];
  const seen = new Set<string>();
  for (const field of fields.slice(fi)) {
    for (const token of field) {
      const eq = token.text.indexOf('=');
      if (eq < 0) return void report('HBA008', `authentication option not in name=value format: ${token.text}`, token.range);
      const name = token.text.slice(0, eq);
      const value = token.text.slice(eq + 1);
      const err = optionProblem(name, value, method, type, major);
      if (err) return void report('HBA008', err, token.range);
      options.push({ name, value, token });
      seen.add(name);
    }
  }
  const missing = missingOptions(method, seen);
  if (missing) return void report('HBA008', missing, methodToken.range);
  return { line, raw, type, typeToken, databases, users, address, method, methodToken, options, range };
}

function optionProblem(name: string, value: string, method: HbaMethod, type: HbaConnType, major: number): string | undefined {
  const spec = HBA_OPTIONS[name];
  if (!spec || (spec.since ?? 13) > major) {
    const hint = spec?.since ? ` (new in PostgreSQL ${spec.since}; this file is checked for ${major})` : suggestion(name, Object.keys(HBA_OPTIONS));
    return `unrecognized authentication option name: "${name}"${hint}`;
  }
  if (spec.methods === 'hostssl') {
    if (type !== 'hostssl') return `${name} can only be configured for "hostssl" rows`;
  } else if (!spec.methods.includes(method)) {
    return `authentication option "${name}" is only valid for authentication methods ${spec.methods.join(', ')}`;
  }
  const allowed = spec.values?.(major, method);
  if (allowed && !allowed.includes(value)) return `invalid value for ${name}: "${value}" (expected ${allowed.join(' or ')})`;
  if ((name === 'ldapport' || name === 'radiusports') && value.split(',').some((p) => !/^\s*[1-9]\d*\s*$/.test(p))) return `invalid port number: "${value}"`;
  return undefined;
}

function suggestion(name: string, candidates: readonly string[]): string {
  const s = didYouMean(name, candidates);
  return s && s !== name ? ` (did you mean "${s}"?)` : '';
}

/**
 * PostgreSQL compiles ARE regexes; JavaScript's engine catches the same structural errors, except
 * a bound left open ("x{2", what a comma leaves of "x{2,1}"), which JavaScript reads as text.
 */
function regexError(body: string): string | undefined {
  if (/(?:^|[^\\])\{\d+(?:,\d*)?(?:[^\d,}]|$)/.test(body)) return 'braces {} not balanced';
  try {
    new RegExp(body);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/: /, '') : String(e);
  }
}
