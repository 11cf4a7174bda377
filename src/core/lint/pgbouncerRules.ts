// pgbouncer.ini rules (PGB###, documented in docs/lint-rules.md): what PgBouncer refuses to
// load (syntax, unknown sections and keys, bad values), authentication that does not fit the
// PostgreSQL server behind it, and pool sizes against the connections that server accepts.
import { DEFAULT_PG_MAJOR } from '../pgMajor';
import { isAbsolute, join, dirname } from 'node:path';
import type { Finding, SourceRange } from './finding';
import { parseConnString, parsePgbouncerIni, type IniEntry, type IniFile } from '../conf/pgbouncerParser';
import { DATABASE_PARAMS, PEER_PARAMS, PGBOUNCER_SETTINGS, SECTIONS, USER_PARAMS, checkValue, type PgbValueType } from './pgbouncerSettings';
import { checkPools, type PgServerLimits, type PoolDatabase, type PoolUser } from './pgbouncerPools';
import { didYouMean } from '../conf/hbaMethods';

export interface PgbouncerServerInfo {
  major?: number;
  maxConnections?: number;
  superuserReservedConnections?: number;
  reservedConnections?: number;
  passwordEncryption?: string;
  /** Where the figures come from, for messages ("postgresql.conf", "--connections"). */
  source?: string;
}

export interface PgbouncerLintOptions {
  file: string;
  /** The PostgreSQL server behind PgBouncer; anything missing takes PostgreSQL's default. */
  server?: PgbouncerServerInfo;
  /** When given, %include files are checked to exist: true when they do, false when nothing is
   *  there, or why what is there is refused (a device, a FIFO, > 10 MB). */
  fileExists?: (path: string) => boolean | string;
  /** The text already parsed (lintFileSet's parse cache); else parsed here. */
  parsed?: IniFile;
}

type Add = (severity: Finding['severity'], code: string, message: string, range: SourceRange, fix?: Finding['fix']) => void;

export function resolveServer(
  info: PgbouncerServerInfo = {},
): PgServerLimits & { major: number; passwordEncryption: string; passwordEncryptionDefault: boolean } {
  const major = info.major ?? DEFAULT_PG_MAJOR;
  return {
    major,
    maxConnections: info.maxConnections ?? 100,
    superuserReservedConnections: info.superuserReservedConnections ?? 3,
    reservedConnections: major >= 16 ? (info.reservedConnections ?? 0) : 0,
    passwordEncryption: info.passwordEncryption ?? (major >= 14 ? 'scram-sha-256' : 'md5'),
    passwordEncryptionDefault: info.passwordEncryption === undefined,
    source: info.source ?? `PostgreSQL ${major} defaults`,
  };
}

export function lintPgbouncer(text: string, opts: PgbouncerLintOptions): Finding[] {
  const ini = opts.parsed ?? parsePgbouncerIni(text);
  const findings: Finding[] = [];
  const add: Add = (severity, code, message, range, fix) => findings.push({ file: opts.file, ...range, severity, code, message, ...(fix ? { fix } : {}) });
  for (const p of ini.problems) add('error', p.code, p.message, p.range);
  for (const s of ini.sections)
    if (!SECTIONS.some((x) => x === s.name))
      add('error', 'PGB002', `unknown section [${s.name}]${hint(s.name, SECTIONS)}: PgBouncer refuses to load the file`, s.range);
  if (opts.fileExists)
    for (const inc of ini.includes) {
      const full = isAbsolute(inc.path) ? inc.path : join(dirname(opts.file), inc.path);
      const found = opts.fileExists(full);
      if (typeof found === 'string')
        add('error', 'PGB013', `%include "${inc.path}": ${full} ${found}: PgBouncer cannot load it as a configuration file; name a regular file`, inc.range);
      else if (!found)
        add(
          'error',
          'PGB011',
          `%include file "${inc.path}" does not exist (relative names are taken from PgBouncer's working directory; checked beside this file)`,
          inc.range,
        );
    }

  const global = new Map<string, IniEntry>();
  const databases: PoolDatabase[] = [];
  const users: PoolUser[] = [];
  const seen = new Map<string, IniEntry>();
  for (const e of ini.entries) {
    if (e.section === undefined) {
      add('error', 'PGB003', `"${e.key}" is outside any section: PgBouncer refuses to load the file (put it under [pgbouncer])`, e.keyRange);
      continue;
    }
    const id = `${e.section}\u0000${e.key}`;
    const earlier = seen.get(id);
    if (earlier)
      add('warning', 'PGB007', `"${e.key}" is set again in [${e.section}] (line ${earlier.line} is overridden: the last one wins)`, earlier.keyRange);
    seen.set(id, e);
    if (e.section === 'pgbouncer') {
      checkGlobal(e, add);
      global.set(e.key, e);
    } else if (e.section === 'databases') {
      if (e.key === 'pgbouncer') {
        add('error', 'PGB008', 'the database name "pgbouncer" is reserved for the admin console', e.keyRange);
        continue;
      }
      const params = checkParams(e, DATABASE_PARAMS, 'PGB008', `database "${e.key}"`, add);
      if (params) databases.push({ name: e.key, entry: e, params });
    } else if (e.section === 'users') {
      const params = checkParams(e, USER_PARAMS, 'PGB009', `user "${e.key}"`, add);
      if (params) users.push({ name: e.key, entry: e, params });
    } else if (e.section === 'peers') {
      if (!/^\d+$/.test(e.key)) add('error', 'PGB010', `a [peers] key is a peer_id number, not "${e.key}"`, e.keyRange);
      checkParams(e, PEER_PARAMS, 'PGB010', `peer ${e.key}`, add);
    }
  }

  const server = resolveServer(opts.server);
  const sectionOf = (name: string) => ini.sections.find((s) => s.name === name)?.range;
  const main = sectionOf('pgbouncer');
  if (main) checkAuth(global, server, main, add);
  for (const p of checkPools(global, databases, users, server, sectionOf('databases'))) add(p.severity, p.code, p.message, p.range);
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

function checkGlobal(e: IniEntry, add: Add): void {
  const spec = PGBOUNCER_SETTINGS[e.key];
  if (!spec) {
    add(
      'error',
      'PGB004',
      `unknown parameter "${e.key}" in [pgbouncer]${hint(e.key, Object.keys(PGBOUNCER_SETTINGS))}: PgBouncer refuses to load the file`,
      e.keyRange,
    );
    return;
  }
  badValue(e.key, e.value, spec.type, e.valueRange, 'PGB005', add);
}

/** Reports a bad value; a ';' or '#' after a blank looks like a comment PgBouncer does not strip. */
function badValue(key: string, value: string, type: PgbValueType, range: SourceRange, code: string, add: Add, atoi = false): boolean {
  const comment = /\s[;#]/.exec(value);
  const problem = checkValue(type, value, atoi);
  if (problem) {
    const why = comment ? ` (PgBouncer has no end-of-line comments: everything after "=" is the value)` : '';
    add(problem.severity, problem.severity === 'error' ? code : 'PGB012', `${key}: ${problem.message}${why}`, range);
    return problem.severity === 'error';
  }
  if (comment && type.kind === 'str')
    add(
      'warning',
      'PGB006',
      `${key}: the value includes "${value.slice(comment.index + 1)}": PgBouncer has no end-of-line comments, so this is part of the value`,
      {
        ...range,
        column: range.column + comment.index + 1,
      },
    );
  return false;
}

function checkParams(e: IniEntry, known: Record<string, PgbValueType>, code: string, what: string, add: Add): Record<string, string> | undefined {
  const { params, error } = parseConnString(e.value);
  if (error) {
    add('error', code, `${what}: ${error}: PgBouncer refuses to load the file`, e.valueRange);
    return undefined;
  }
  const out: Record<string, string> = {};
  let ok = true;
  for (const p of params) {
    const range: SourceRange = { line: e.line, column: e.valueRange.column + p.start, endLine: e.line, endColumn: e.valueRange.column + p.end };
    const type = known[p.key];
    if (!type) {
      add('error', code, `${what}: unknown parameter "${p.key}"${hint(p.key, Object.keys(known))}: PgBouncer refuses to load the file`, range);
      ok = false;
    } else if (badValue(`${what}: ${p.key}`, p.value, type, range, code, add, true)) ok = false;
    else out[p.key] = p.value;
  }
  return ok ? out : undefined;
}

function checkAuth(global: Map<string, IniEntry>, server: ReturnType<typeof resolveServer>, sectionRange: SourceRange, add: Add): void {
  const entry = global.get('auth_type');
  const authType = (entry?.value ?? 'md5').toLowerCase();
  const range = entry?.valueRange ?? sectionRange;
  const pe = `password_encryption = ${server.passwordEncryption}${server.passwordEncryptionDefault ? ` (the PostgreSQL ${server.major} default)` : ''}`;
  if (authType === 'md5' && server.passwordEncryption === 'scram-sha-256') {
    add(
      'warning',
      'PGB030',
      `auth_type ${entry ? '' : '(default) '}md5 while PostgreSQL has ${pe}: use auth_type = scram-sha-256. ` +
        "An MD5 hash in auth_file cannot log in to PostgreSQL as a user whose password is stored as SCRAM; only a plain-text password or the server's own SCRAM secret can",
      range,
      entry
        ? {
            title: 'Use auth_type = scram-sha-256 (auth_file must then hold SCRAM secrets or plain-text passwords)',
            range: entry.valueRange,
            newText: 'scram-sha-256',
          }
        : undefined,
    );
  }
  if (authType === 'scram-sha-256' && server.passwordEncryption === 'md5')
    add(
      'warning',
      'PGB030',
      `auth_type scram-sha-256 needs SCRAM secrets or plain-text passwords in auth_file, but PostgreSQL has ${pe}: hashes copied from pg_authid (or returned by auth_query) are MD5 and cannot be used; set password_encryption = scram-sha-256 and re-set the passwords`,
      range,
    );
  if (authType === 'plain')
    add(
      'warning',
      'PGB031',
      'auth_type plain sends passwords in clear text and is deprecated: use scram-sha-256',
      range,
      entry ? { title: 'Use auth_type = scram-sha-256', range: entry.valueRange, newText: 'scram-sha-256' } : undefined,
    );
  if (authType === 'trust' || authType === 'any')
    add(
      'warning',
      'PGB031',
      `auth_type ${authType} does no authentication: anyone who reaches ${global.get('listen_addr')?.value ?? 'the socket'}:${global.get('listen_port')?.value ?? '6432'} gets in`,
      range,
    );
  if (['md5', 'scram-sha-256', 'plain', 'trust'].includes(authType) && !global.has('auth_file') && !global.has('auth_user'))
    add('warning', 'PGB032', `auth_type ${authType} needs users from auth_file or auth_user/auth_query, and neither is set: no one can log in`, range);
  if (authType === 'hba' && !global.get('auth_hba_file')?.value) add('error', 'PGB032', 'auth_type hba needs auth_hba_file', range);
}

function hint(name: string, candidates: readonly string[]): string {
  const s = didYouMean(name, candidates);
  return s && s !== name ? ` (did you mean "${s}"?)` : '';
}
