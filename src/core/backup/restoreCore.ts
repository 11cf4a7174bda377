// pg_restore into one database, and the small SQL around it (exists, create, drop, count rows).
import { availableParallelism } from 'node:os';
import { PgRestoreFailedError, toolFailure } from './errors';
import { CancelledError, killAll, runCapture, startChild } from '../pgtools/proc';
import { childEnv, databaseArgs, withClient, withDatabase, type PgConnection } from '../db/connection';
import { readServerVersion } from '../db/serverInfo';
import { quoteIdent } from '../db/sqlIdent';
import { pgRestoreFor, type ToolOptions, type ToolVersion } from '../pgtools/tools';
import type { TableCount } from './manifest';
import { archiveDumpMajor, hasDataOffsets, readArchiveToc } from './archiveOffsets';

export interface RestoreProgress {
  tablesRestored: number;
  tablesTotal: number;
  /** TOC entries processed (pg_restore --verbose lines). */
  objects: number;
  current?: string;
}

export interface RestoreIntoOptions {
  /** CREATE DATABASE first (and drop it again if the restore fails). */
  create: boolean;
  jobs?: number;
  tools?: ToolOptions;
  /** Found and checked already (restoreToolFor); else restoreInto does it. */
  pgRestore?: ToolVersion;
  signal?: AbortSignal;
  onProgress?: (p: RestoreProgress) => void;
  /** Skip ownership (no roles of the source server here). */
  noOwner?: boolean;
}

async function admin<T>(t: PgConnection, fn: (q: (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>) => Promise<T>): Promise<T> {
  return withClient(t, (c) => fn((sql, params) => c.query(sql, params)));
}

/**
 * pg_restore that can read this archive (at least its pg_dump's major) and restore into this
 * server: checked before anything is created, so a too-old client costs nothing.
 */
export async function restoreToolFor(archive: string, server: PgConnection, tools?: ToolOptions): Promise<ToolVersion> {
  const archiveMajor = await archiveDumpMajor(archive);
  const serverMajor = (await withClient(withDatabase(server, 'postgres'), readServerVersion)).major;
  return pgRestoreFor({ archiveMajor, serverMajor }, tools);
}

export async function databaseExists(adminTarget: PgConnection, name: string): Promise<boolean> {
  return admin(adminTarget, async (q) => (await q('SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1', [name])).rows.length > 0);
}

async function createDatabase(adminTarget: PgConnection, name: string): Promise<void> {
  await admin(adminTarget, (q) => q(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`));
}

/** FORCE ends the sessions of a scratch database (13+). */
export async function dropDatabase(adminTarget: PgConnection, name: string): Promise<void> {
  await admin(adminTarget, (q) => q(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

/** Exact row counts of every ordinary table (partitions counted once, as leaves). */
export async function countRows(t: PgConnection, limitToLargest?: number): Promise<TableCount[]> {
  return admin(t, async (q) => {
    const tables = await q(
      `SELECT n.nspname AS schema, c.relname AS name
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%'
        ORDER BY ${limitToLargest ? 'pg_catalog.pg_relation_size(c.oid) DESC,' : ''} 1, 2
        ${limitToLargest ? `LIMIT ${Math.floor(limitToLargest)}` : ''}`,
    );
    const out: TableCount[] = [];
    for (const r of tables.rows) {
      const schema = String(r.schema);
      const name = String(r.name);
      const c = await q(`SELECT count(*)::int8 AS n FROM ${quoteIdent(schema)}.${quoteIdent(name)}`);
      out.push({ schema, name, rows: Number(c.rows[0]?.n) });
    }
    return out;
  });
}

/** Data entries in the archive's TOC: the denominator of restore progress. */
async function tocTableCount(pgRestore: string, archive: string): Promise<number> {
  const r = await runCapture(pgRestore, ['--list', '--', archive]);
  return r.stdout.split('\n').filter((l) => /^\d+;.* TABLE DATA /.test(l)).length;
}

/**
 * pg_restore's passes over an archive. With data offsets (pg_dump wrote to a file, or
 * prepareArchive added them) everything runs with -j. Without (a plain .dump that went through a
 * pipe, which we never modify), parallel workers would crawl the file block by block to find
 * their table (measured: slower than one job), so schema and data go in one sequential pass and
 * only post-data — indexes and constraints — runs with -j.
 */
export async function restorePhases(archive: string, jobs: number): Promise<string[][]> {
  if (jobs > 1 && hasDataOffsets(await readArchiveToc(archive).catch(() => undefined))) return [[`-j${jobs}`]];
  return [
    ['--section=pre-data', '--section=data', '-j1'],
    ['--section=post-data', `-j${jobs}`],
  ];
}

export async function restoreInto(archive: string, target: PgConnection, opts: RestoreIntoOptions): Promise<void> {
  const pgRestore = opts.pgRestore ?? (await restoreToolFor(archive, target, opts.tools));
  const adminTarget = withDatabase(target, 'postgres');
  if (opts.create) {
    if (await databaseExists(adminTarget, target.database)) throw new Error(`database "${target.database}" exists already`);
    await createDatabase(adminTarget, target.database);
  }
  const progress: RestoreProgress = { tablesRestored: 0, tablesTotal: await tocTableCount(pgRestore.path, archive), objects: 0 };
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const common = [...databaseArgs(target, 'pg_restore'), '--exit-on-error', '--verbose', '--no-password'];
  if (opts.noOwner) common.push('--no-owner');
  const phases = await restorePhases(archive, jobs);
  let last = 0;
  let current: ReturnType<typeof startChild> | undefined;
  const onAbort = () => killAll([current]);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (const phase of phases) {
      // An abort that came before the listener (while the tool was found or the database made).
      if (opts.signal?.aborted) throw new CancelledError('restore');
      const child = startChild('pg_restore', pgRestore.path, [...common, ...phase, '--', archive], {
        env: childEnv(target),
        onStderrLine: (line) => {
          progress.objects++;
          const m = /processing data for table "([^"]+)"/.exec(line);
          if (m) {
            progress.tablesRestored++;
            progress.current = m[1];
          }
          if (Date.now() - last > 200) {
            last = Date.now();
            opts.onProgress?.({ ...progress });
          }
        },
      });
      current = child;
      const code = await child.done;
      if (opts.signal?.aborted) throw new CancelledError('restore');
      if (code >= 128) throw new Error(toolFailure('pg_restore', code, child.stderrTail()));
      if (code !== 0) throw new PgRestoreFailedError(code, child.stderrTail());
    }
    opts.onProgress?.({ ...progress });
  } catch (e) {
    if (opts.create) await dropDatabase(adminTarget, target.database).catch(() => undefined); // ours, half-made
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
