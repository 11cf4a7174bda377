// Finding pg_dump / pg_restore / pgbench / psql / zstd, owned by backup and load test alike, and
// checking majors before a job starts: pg_dump refuses a newer server and pg_restore a newer
// archive, half-way through; we say so first.
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { runCapture } from './proc';

/** Where a person points pgdba at other client binaries: the setting, or the CLI's option. */
const BIN_DIR_ADVICE = 'set pgdba.pgBinDir / --pg-bin-dir';

export interface ToolVersion {
  path: string;
  major: number;
  /** e.g. "15.18" */
  text: string;
}

/** A client tool of the wrong major: nothing ran, and nothing about the data is known. */
export class ToolVersionError extends Error {
  override name = 'ToolVersionError';
}

export interface ToolOptions {
  /** pgdba.pgBinDir: searched first, then PATH. */
  pgBinDir?: string;
  env?: NodeJS.ProcessEnv;
}

async function findExecutable(name: string, dirs: readonly string[]): Promise<string | undefined> {
  for (const dir of dirs) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

function searchDirs(opts: ToolOptions): string[] {
  const path = (opts.env ?? process.env).PATH ?? '';
  return [...(opts.pgBinDir ? [opts.pgBinDir] : []), ...path.split(delimiter)];
}

/** "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" → 15, "15.18". */
export function parseToolVersion(out: string): { major: number; text: string } | undefined {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(out);
  if (!m) return undefined;
  return { major: Number(m[1]), text: m[2] === undefined ? m[1]! : `${m[1]}.${m[2]}` };
}

export async function findPgTool(name: 'pg_dump' | 'pg_restore' | 'pgbench' | 'psql', opts: ToolOptions = {}): Promise<ToolVersion> {
  const path = await findExecutable(name, searchDirs(opts));
  if (!path) {
    const pkg = name === 'pgbench' ? 'postgresql-client or postgresql-contrib' : 'postgresql-client';
    throw new Error(`${name} was not found${opts.pgBinDir ? ` in ${opts.pgBinDir} or` : ' on'} the PATH: install ${pkg} (Debian/Ubuntu) or ${BIN_DIR_ADVICE}`);
  }
  const r = await runCapture(path, ['--version']);
  const v = parseToolVersion(r.stdout);
  if (r.code !== 0 || !v) throw new Error(`${path} --version did not print a PostgreSQL version`);
  return { path, ...v };
}

/** The check itself, apart so that it can be tested without installing two clients. */
export function dumpVersionProblem(tool: string, toolMajor: number, serverMajor: number): string | undefined {
  if (toolMajor >= serverMajor) return undefined;
  return `${tool} ${toolMajor} cannot dump a PostgreSQL ${serverMajor} server: install postgresql-client-${serverMajor} or ${BIN_DIR_ADVICE}`;
}

export async function pgDumpFor(serverMajor: number, opts: ToolOptions = {}): Promise<ToolVersion> {
  const t = await findPgTool('pg_dump', opts);
  const problem = dumpVersionProblem('pg_dump', t.major, serverMajor);
  if (problem) throw new ToolVersionError(problem);
  return t;
}

/**
 * pg_restore reads archives of pg_dump of its own major and older only (a newer archive fails
 * half-way, "unsupported version in file header"), and is held to the server's major as pg_dump is.
 */
function restoreVersionProblem(toolMajor: number, archiveMajor: number | undefined, serverMajor?: number): string | undefined {
  if (archiveMajor !== undefined && toolMajor < archiveMajor) {
    return `pg_restore ${toolMajor} cannot read an archive made by pg_dump ${archiveMajor}: install postgresql-client-${archiveMajor} or ${BIN_DIR_ADVICE}`;
  }
  if (serverMajor !== undefined && toolMajor < serverMajor) {
    return `pg_restore ${toolMajor} cannot restore into PostgreSQL ${serverMajor}: install postgresql-client-${serverMajor} or ${BIN_DIR_ADVICE}`;
  }
  return undefined;
}

/** pg_restore for an archive (its pg_dump major, when the header says) and, to restore, a server. */
export async function pgRestoreFor(want: { archiveMajor?: number; serverMajor?: number }, opts: ToolOptions = {}): Promise<ToolVersion> {
  const t = await findPgTool('pg_restore', opts);
  const problem = restoreVersionProblem(t.major, want.archiveMajor, want.serverMajor);
  if (problem) throw new ToolVersionError(problem);
  return t;
}

/** pgbench 13+ speaks to servers 13–18 (the protocol and its tables have not changed); older ones lack -P's failed count. */
const MIN_PGBENCH_MAJOR = 13;

export async function findPgbench(opts: ToolOptions = {}): Promise<ToolVersion> {
  const t = await findPgTool('pgbench', opts);
  if (t.major < MIN_PGBENCH_MAJOR)
    throw new ToolVersionError(
      `pgbench ${t.text} is too old for a load test (${MIN_PGBENCH_MAJOR} or newer is needed): install a newer postgresql-client or ${BIN_DIR_ADVICE}`,
    );
  return t;
}

/** zstd and gzip: compressors of the pipeline, and decompressors of .zst/.gz archives. */
export async function findCompressor(name: 'zstd' | 'gzip', opts: ToolOptions = {}): Promise<string | undefined> {
  return findExecutable(name, searchDirs({ env: opts.env }));
}
