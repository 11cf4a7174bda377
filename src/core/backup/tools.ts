// Finding pg_dump / pg_restore / zstd and checking that pg_dump can dump the server at all:
// pg_dump refuses a server of a newer major, half-way through a job; we say so before starting.
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { runCapture } from './proc';

export interface ToolVersion {
  path: string;
  major: number;
  /** e.g. "15.18" */
  text: string;
}

export interface ToolOptions {
  /** pgdba.pgBinDir: searched first, then PATH. */
  pgBinDir?: string;
  env?: NodeJS.ProcessEnv;
}

export async function findExecutable(name: string, dirs: readonly string[]): Promise<string | undefined> {
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

export async function findPgTool(name: 'pg_dump' | 'pg_restore' | 'psql', opts: ToolOptions = {}): Promise<ToolVersion> {
  const path = await findExecutable(name, searchDirs(opts));
  if (!path) {
    throw new Error(`${name} was not found${opts.pgBinDir ? ` in ${opts.pgBinDir} or` : ' on'} the PATH: install postgresql-client (Debian/Ubuntu) or set pgdba.pgBinDir`);
  }
  const r = await runCapture(path, ['--version']);
  const v = parseToolVersion(r.stdout);
  if (r.code !== 0 || !v) throw new Error(`${path} --version did not print a PostgreSQL version`);
  return { path, ...v };
}

/** The check itself, apart so that it can be tested without installing two clients. */
export function dumpVersionProblem(tool: string, toolMajor: number, serverMajor: number): string | undefined {
  if (toolMajor >= serverMajor) return undefined;
  return `${tool} ${toolMajor} cannot dump a PostgreSQL ${serverMajor} server: install postgresql-client-${serverMajor} or set pgdba.pgBinDir`;
}

export async function pgDumpFor(serverMajor: number, opts: ToolOptions = {}): Promise<ToolVersion> {
  const t = await findPgTool('pg_dump', opts);
  const problem = dumpVersionProblem('pg_dump', t.major, serverMajor);
  if (problem) throw new Error(problem);
  return t;
}

/** pg_restore reads archives of its own major and older. */
export async function pgRestoreFor(archiveOrServerMajor: number, opts: ToolOptions = {}): Promise<ToolVersion> {
  const t = await findPgTool('pg_restore', opts);
  if (t.major < archiveOrServerMajor) {
    throw new Error(`pg_restore ${t.major} cannot restore into PostgreSQL ${archiveOrServerMajor}: install postgresql-client-${archiveOrServerMajor} or set pgdba.pgBinDir`);
  }
  return t;
}

/** zstd and gzip: compressors of the pipeline, and decompressors of .zst/.gz archives. */
export async function findCompressor(name: 'zstd' | 'gzip', opts: ToolOptions = {}): Promise<string | undefined> {
  return findExecutable(name, searchDirs({ env: opts.env }));
}
