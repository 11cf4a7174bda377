// Where a log is read from, as byte ranges: a file on the server's machine through HostAccess
// (this machine or the SSH hop: the same code), or the server itself through SQL
// (pg_ls_logdir() + pg_read_binary_file(), for a role that may). Every read is a chunk with a
// bound, never the whole file.
import { posix } from 'node:path';
import { readDataDirectory } from '../host/facts';
import type { HostAccess } from '../host/hostAccess';
import { commandError } from '../host/hostFiles';
import type { Queryable } from '../stats/sql';
import { readableIdent } from '../db/sqlIdent';
import { SQL_SOURCE_PREFIX } from './refText';

export interface SourceStat {
  size: number;
  mtimeMs: number;
  ino?: number;
}

export interface LogSource {
  /** How it is named to a person and in the report: a path, or "sql:log/postgresql.csv". */
  readonly label: string;
  /** A gzip file (rotated logs compressed by logrotate): read whole, decompressed as a stream. */
  readonly gzip: boolean;
  stat(): Promise<SourceStat | undefined>;
  /** At most `length` bytes from `offset`; fewer at the end of the file. */
  read(offset: number, length: number): Promise<Buffer>;
}

export const CHUNK_BYTES = 1024 * 1024;

export function hostFileSource(host: HostAccess, path: string): LogSource {
  const label = host.kind === 'local' ? path : `${host.label}:${path}`;
  return {
    label,
    gzip: /\.gz$/i.test(path),
    async stat() {
      const s = await host.stat(path);
      if (!s) return undefined;
      if (!s.isFile) throw new Error(`${label} is not a regular file`);
      return { size: s.size, mtimeMs: s.mtimeMs, ...(s.ino !== undefined ? { ino: s.ino } : {}) };
    },
    read: (offset, length) => host.readFile(path, { offset, length, maxBytes: length }),
  };
}

/** The files of a directory, or of a directory and a basename pattern with * and ?, through the host (`find`, so SSH works the same). */
export async function listHostFiles(host: HostAccess, dir: string, pattern?: string): Promise<string[]> {
  // find has no "--": a directory named like an option is made relative.
  const start = dir.startsWith('-') ? `./${dir}` : dir;
  const r = await host.exec(['find', start, '-maxdepth', '1', '-type', 'f', '-print0'], { timeoutMs: 30_000, maxBytes: 16 * 1024 * 1024 });
  if (r.code !== 0) throw new Error(`${host.label}: cannot list ${dir}: ${commandError('find', r.stderr) || `find exited with ${r.code}`}`);
  const re =
    pattern === undefined
      ? undefined
      : new RegExp(
          `^${pattern
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
        );
  return r.stdout
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '' && (!re || re.test(p.slice(p.lastIndexOf('/') + 1))))
    .sort();
}

/** What runs SQL for the SQL source: a pool or a client (`pg`'s query shape). */
export interface SqlRunner {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export interface SqlLogFile {
  name: string;
  size: number;
  modified: Date;
}

/**
 * What a role needs to read the log through SQL, as a superuser runs it: pg_monitor lets it see
 * log_directory and call pg_ls_logdir(); pg_stat_file() and pg_read_binary_file() stay a
 * superuser's until EXECUTE is granted (pg_read_server_files does not open them, and a file under
 * log_directory needs no more).
 */
export function sqlLogGrant(role: string): string {
  const r = readableIdent(role);
  return `GRANT pg_monitor TO ${r};\nGRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean), pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO ${r};`;
}

const refused = (e: unknown) => (e as { code?: string }).code === '42501';

/** The log files pg_ls_logdir() lists (superuser, pg_monitor, or EXECUTE granted), oldest first. */
export async function listSqlLogFiles(db: SqlRunner): Promise<SqlLogFile[]> {
  try {
    const r = await db.query<{ name: string; size: string; modification: Date }>(
      'SELECT name, size, modification FROM pg_ls_logdir() ORDER BY modification, name',
    );
    return r.rows.map((x) => ({ name: x.name, size: Number(x.size), modified: x.modification }));
  } catch (e) {
    if (refused(e))
      throw new Error(
        'this role may not list the log directory: pg_ls_logdir() needs superuser, pg_monitor or GRANT EXECUTE; read the files over SSH or as files instead',
      );
    throw e;
  }
}

/** One log file read through pg_read_binary_file() (superuser, pg_read_server_files, or EXECUTE granted). */
export function sqlFileSource(db: SqlRunner, name: string): LogSource {
  const path = `current_setting('log_directory') || '/' || $1`;
  return {
    label: `${SQL_SOURCE_PREFIX}${name}`,
    gzip: /\.gz$/i.test(name),
    async stat() {
      const r = await db
        .query<{ size: string; modification: Date }>(`SELECT size, modification FROM pg_stat_file(${path}, true)`, [name])
        .catch((e: unknown) => {
          if (refused(e)) throw new Error('this role may not read the log: pg_stat_file() needs superuser or GRANT EXECUTE');
          throw e;
        });
      const row = r.rows[0];
      if (!row || row.size === null) return undefined;
      return { size: Number(row.size), mtimeMs: row.modification.getTime() };
    },
    async read(offset, length) {
      try {
        const r = await db.query<{ b: Buffer | null }>(`SELECT pg_read_binary_file(${path}, $2, $3, true) AS b`, [name, offset, length]);
        return r.rows[0]?.b ?? Buffer.alloc(0);
      } catch (e) {
        if (refused(e)) throw new Error('this role may not read the log: pg_read_binary_file() needs superuser or GRANT EXECUTE');
        throw e;
      }
    },
  };
}

/**
 * The files of one format from a log directory: with log_destination = 'stderr,csvlog' every
 * entry is in two files, so a directory read whole would count it twice. csvlog first (it has
 * SQLSTATEs and no prefix to guess), then jsonlog, then the rest.
 */
export function oneFormatOnly(names: readonly string[]): string[] {
  const base = (n: string) => n.replace(/\.gz$/i, '');
  for (const ext of ['.csv', '.json']) {
    const picked = names.filter((n) => base(n).toLowerCase().endsWith(ext));
    if (picked.length) return picked;
  }
  return [...names];
}

/** log_directory as a path on the server's machine: a relative one is under data_directory. */
export async function serverLogDirectory(db: Queryable): Promise<string> {
  const dir = (await db.query<{ d: string }>('SELECT current_setting($1) AS d', ['log_directory'])).rows[0]?.d ?? '';
  if (posix.isAbsolute(dir)) return dir;
  const data = await readDataDirectory(db);
  if (data.path === null) throw new Error(`log_directory is "${dir}", under a data_directory this role may not see (${data.reason}): give the files instead`);
  return posix.join(data.path, dir);
}
