// pg_hba.conf rules (HBA###, documented in docs/lint-rules.md). Errors are what PostgreSQL
// itself refuses to load (from the parser); warnings are records that load but weaken security
// or can never be used.
import { DEFAULT_PG_MAJOR } from '../pgMajor';
import { dirname, isAbsolute, join } from 'node:path';
import type { Finding, SourceRange } from './finding';
import { parseHba, type HbaFile, type HbaRecord } from '../conf/hbaParser';
import { cidrMask, isZeroMask, parseIp, rangeCovers } from '../conf/ipAddress';
import { findShadowed, MAX_SHADOW_COMPARISONS } from './hbaShadow';

export interface HbaLintOptions {
  /** Path shown in findings and used to resolve include and @file names. */
  file: string;
  /** PostgreSQL major version 13–18; default 16. */
  major?: number;
  /** When given, include directives and @file references are checked to exist: true when they
   *  do, false when nothing is there, or why what is there is refused (a device, a FIFO, > 10 MB). */
  fileExists?: (path: string) => boolean | string;
  /** ssl of the postgresql.conf beside it, when known: hostssl lines cannot match with ssl = off. */
  ssl?: boolean;
  /** The text already parsed for this major (lintFileSet's parse cache); else parsed here. */
  parsed?: HbaFile;
}

/** A record that accepts connections from any address (0.0.0.0/0, ::/0 or all); the shape
 *  lintPostgresqlConf takes as hbaOpenToWorld. */
export interface HbaOpenLine {
  file: string;
  line: number;
  /** The record as written, comment removed. */
  text: string;
  method: string;
}

export function lintHba(text: string, opts: HbaLintOptions): Finding[] {
  const major = opts.major ?? DEFAULT_PG_MAJOR;
  const parsed = opts.parsed ?? parseHba(text, { major });
  const findings: Finding[] = [];
  const add = (severity: Finding['severity'], code: string, message: string, range: SourceRange, fix?: Finding['fix']) =>
    findings.push({ file: opts.file, ...pick(range), severity, code, message, ...(fix ? { fix } : {}) });

  for (const p of parsed.problems) add(p.severity, p.code, p.message, p.range);
  if (parsed.entryCount === 0)
    add('error', 'HBA010', 'pg_hba.conf contains no entries: PostgreSQL refuses every connection', { line: 1, column: 1, endLine: 1, endColumn: 1 });

  checkFiles(parsed, opts, major, add);
  for (const r of parsed.records) checkRecord(r, major, add);
  if (opts.ssl === false)
    for (const r of parsed.records.filter((x) => x.type === 'hostssl'))
      add(
        'warning',
        'HBA015',
        'hostssl record cannot match because SSL is disabled: set ssl = on in postgresql.conf (with a certificate and key)',
        r.typeToken.range,
      );
  if (opts.ssl === false)
    for (const r of parsed.records.filter((x) => x.type === 'host' && x.method !== 'reject' && !isLoopback(x)))
      add(
        'warning',
        'HBA026',
        `connections from ${describeAddress(r)} are not encrypted: ssl is off in postgresql.conf, so queries and results cross the network in clear text (${r.method === 'scram-sha-256' ? 'scram-sha-256 protects the password only' : 'the login too'}); set ssl = on with a certificate and key, then make this line hostssl`,
        r.typeToken.range,
      );
  const shadow = findShadowed(parsed.records, major);
  for (const { record, by } of shadow.shadowed) {
    add('warning', 'HBA024', `this line can never match: line ${by.line} (${oneLine(by.raw)}) already matches every connection it would`, record.range);
  }
  if (shadow.stoppedAt)
    add(
      'info',
      'HBA025',
      `pgdba stopped looking for lines that can never match (HBA024) here: the ${parsed.records.length} records of this file need more than ${MAX_SHADOW_COMPARISONS} comparisons; this line and the ones after it were not checked`,
      shadow.stoppedAt.range,
    );
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Records open to the whole internet with a method other than reject. */
export function hbaOpenToWorld(parsed: HbaFile, file: string): HbaOpenLine[] {
  return parsed.records.filter((r) => isWorld(r) && r.method !== 'reject').map((r) => ({ file, line: r.line, text: oneLine(r.raw), method: r.method }));
}

function isWorld(r: HbaRecord): boolean {
  const a = r.address;
  return a !== undefined && (a.kind === 'all' || (a.kind === 'ip' && isZeroMask(a.mask)));
}

type Add = (severity: Finding['severity'], code: string, message: string, range: SourceRange, fix?: Finding['fix']) => void;

function checkRecord(r: HbaRecord, major: number, add: Add): void {
  const tcp = r.type !== 'local';
  const encrypted = r.type === 'hostssl' || r.type === 'hostgssenc';
  if (tcp && r.method === 'trust')
    add(
      'warning',
      'HBA020',
      `trust on a ${r.type} line: anyone who can reach the server from ${describeAddress(r)} connects as the listed users without a password`,
      r.methodToken.range,
    );
  if (tcp && r.method === 'password')
    add(
      encrypted ? 'info' : 'warning',
      'HBA021',
      encrypted
        ? 'password sends the password in clear text inside the encrypted connection; scram-sha-256 never sends it at all'
        : `password sends the password in clear text over the network on a ${r.type} line: use scram-sha-256`,
      r.methodToken.range,
      encrypted ? undefined : { title: 'Use scram-sha-256', range: pick(r.methodToken.range), newText: 'scram-sha-256' },
    );
  if (r.method === 'md5') {
    const deprecated = major >= 18 ? 'MD5 passwords are deprecated in PostgreSQL 18; ' : '';
    add(
      'warning',
      'HBA022',
      `md5: use scram-sha-256 (${deprecated}an md5 line already uses SCRAM for passwords stored as SCRAM, so re-set any password still stored as MD5 first)`,
      r.methodToken.range,
      { title: 'Use scram-sha-256', range: pick(r.methodToken.range), newText: 'scram-sha-256' },
    );
  }
  if (isWorld(r) && r.method !== 'reject' && r.address)
    add(
      'warning',
      'HBA023',
      `${oneLine(r.address.token.text)} accepts ${r.type} connections from any address on the internet with ${r.method}: list the client networks instead, or use reject`,
      r.address.token.range,
    );
  if (major < 16)
    for (const t of [...r.databases, ...r.users])
      if (t.text.startsWith('/'))
        add(
          'warning',
          'HBA014',
          `"${t.text}" is compared as a plain name: regular expressions in pg_hba.conf are new in PostgreSQL 16 (checked for ${major})`,
          t.range,
        );
}

function checkFiles(parsed: HbaFile, opts: HbaLintOptions, major: number, add: Add): void {
  const exists = opts.fileExists;
  if (!exists) return;
  const resolve = (p: string) => (isAbsolute(p) ? p : join(dirname(opts.file), p));
  for (const inc of parsed.includes) {
    if (inc.directive === 'include_if_exists') continue;
    const full = resolve(inc.path);
    const found = exists(full);
    if (typeof found === 'string') add('error', 'HBA011', refused(full, found, inc.directive), inc.pathToken.range);
    else if (!found)
      add('error', 'HBA009', `could not open ${inc.directive === 'include_dir' ? 'directory' : 'file'} "${full}" (${inc.directive})`, inc.pathToken.range);
  }
  for (const r of parsed.records)
    for (const t of [...r.databases, ...r.users]) {
      if (t.quoted || t.text.length < 2 || !t.text.startsWith('@')) continue;
      const full = resolve(t.text.slice(1));
      const found = exists(full);
      if (typeof found === 'string') add('error', 'HBA011', refused(full, found, t.text), t.range);
      else if (!found)
        add(
          major >= 16 ? 'error' : 'warning',
          'HBA009',
          major >= 16
            ? `could not open file "${full}" (${t.text})`
            : `could not open secondary authentication file "${t.text}" as "${full}": the list matches nothing`,
          t.range,
        );
    }
}

function refused(full: string, why: string, what: string): string {
  return `"${full}" ${why} (${what}): PostgreSQL cannot load it as an authentication file; name a regular file`;
}

const LOOPBACK = [parseIp('127.0.0.1')!, parseIp('::1')!].map((ip) => ({ ip, mask: cidrMask(ip.family === 4 ? '8' : '128', ip.family)! }));

/** A line for this machine only (127.0.0.0/8, ::1, localhost, samehost): nothing crosses a network. */
function isLoopback(r: HbaRecord): boolean {
  const a = r.address;
  if (!a) return true;
  if (a.kind === 'samehost') return true;
  if (a.kind === 'hostname') return a.name.toLowerCase() === 'localhost';
  return a.kind === 'ip' && LOOPBACK.some((l) => rangeCovers(l.ip, l.mask, a.ip, a.mask));
}

function describeAddress(r: HbaRecord): string {
  const a = r.address;
  if (!a) return 'the local socket';
  if (a.kind === 'ip' && a.maskToken) return `${a.token.text} ${a.maskToken.text}`;
  return a.token.text;
}

function oneLine(s: string): string {
  return s.replace(/#.*$/, '').replace(/\s+/g, ' ').trim();
}

function pick(r: SourceRange): SourceRange {
  return { line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn };
}
