// Restoring a backup: to a new database (the default), or over an existing one only when the
// person typed its name and after a safety backup. The replacement is restored under a temporary
// name and swapped in by two renames, so a failed restore never costs the database it replaces;
// a swap that fails drops the restored copy again.
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type pg from 'pg';
import { prepareArchive } from './archive';
import { runBackup } from './backup';
import type { TableCount } from './manifest';
import { compactStamp, derivedDatabaseName } from './naming';
import { checkOutputDir } from './outputDir';
import { countRows, databaseExists, dropDatabase, restoreInto, restoreToolFor, type RestoreProgress } from './restoreCore';
import { withClient, withDatabase, type PgConnection } from '../db/connection';
import { quoteIdent } from '../db/sqlIdent';
import { quoteLiteral } from '../stats/sql';
import type { ToolOptions } from '../pgtools/tools';

export type RestoreEvent =
  | { phase: 'decompressing' }
  | { phase: 'safety-backup'; bytesWritten: number }
  | ({ phase: 'restoring' } & RestoreProgress)
  | { phase: 'swapping' }
  | { phase: 'counting' };

export interface RestoreOptions {
  file: string;
  /** The server, and in .database the name to restore to. */
  target: PgConnection;
  /** 'replace' needs confirmedName === target.database. */
  mode?: 'new' | 'replace';
  confirmedName?: string;
  /** Where the safety backup of a replaced database goes (default: beside the file). */
  safetyBackupDir?: string;
  jobs?: number;
  noOwner?: boolean;
  tools?: ToolOptions;
  signal?: AbortSignal;
  onProgress?: (e: RestoreEvent) => void;
  /** The time in the safety backup's and the temporary databases' names (tests). */
  now?: Date;
}

export interface RestoreResult {
  database: string;
  jobs: number;
  restoreMs: number;
  durationMs: number;
  safetyBackup?: string;
  /** The seed's "Verify Restoration": row counts of the largest tables. */
  sampleCounts: TableCount[];
}

export class RefusedError extends Error {}

/**
 * The replaced database kept sessions pgdba could not end (another role's, a superuser's), so
 * it could not be renamed: it is untouched and the restored copy was dropped. The message gives
 * the statement that ends them; a front end may say how it does that itself.
 */
export class DatabaseInUseError extends Error {
  readonly terminateSql: string;
  constructor(
    readonly database: string,
    readonly sessions: number,
    readonly safetyBackup?: string,
  ) {
    const sql = `SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = ${quoteLiteral(database)} AND pid <> pg_catalog.pg_backend_pid();`;
    const them = sessions === 1 ? 'it' : 'them';
    super(
      `database "${database}" is in use by ${sessions} session${sessions === 1 ? '' : 's'} pgdba could not end: end ${them} as a user who may (${sql}) and restore again; "${database}" is untouched; the restored copy was dropped${safetyBackup ? ` (the safety backup ${safetyBackup} stays)` : ''}`,
    );
    this.terminateSql = sql;
  }
}

/** The swap failed half-way and the database could not be given its name back: both are kept, named in the message. */
class SwapStuckError extends Error {}

/** Words for a FILE that is not there or not a file, before anything else runs. */
async function checkBackupFile(file: string): Promise<void> {
  const st = await stat(file).catch((e: { code?: string }) => {
    throw new RefusedError(
      e.code === 'ENOENT'
        ? `no backup file ${file}: check the path`
        : e.code === 'EACCES'
          ? `no permission to read ${file}`
          : `cannot read ${file} (${String(e.code)})`,
    );
  });
  if (!st.isFile()) throw new RefusedError(`${file} is not a file: give the path of a backup (.dump, .dump.zst or .dump.gz)`);
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const started = Date.now();
  await checkBackupFile(opts.file);
  const name = opts.target.database;
  const adminTarget = withDatabase(opts.target, 'postgres');
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const exists = await databaseExists(adminTarget, name);
  if (exists && opts.mode !== 'replace') {
    throw new RefusedError(`database "${name}" exists: restore to a new name, or replace it with --confirm ${name}`);
  }
  if (exists && opts.confirmedName !== name) {
    throw new RefusedError(
      `replacing database "${name}" needs its name typed to confirm (got ${opts.confirmedName === undefined ? 'none' : `"${opts.confirmedName}"`})`,
    );
  }

  const safetyDir = opts.safetyBackupDir ?? dirname(opts.file);
  if (exists) await checkOutputDir(safetyDir, 'the safety backup'); // made by the safety backup itself

  opts.onProgress?.({ phase: 'decompressing' });
  const archive = await prepareArchive(opts.file, { signal: opts.signal });
  const now = opts.now ?? new Date();
  // The random part: two restores of the same second must not meet on these names.
  const tag = `${compactStamp(now)}_${randomBytes(2).toString('hex')}`;
  const restoreName = exists ? derivedDatabaseName(name, `_restoring_${tag}`) : name;
  let restoreMs = 0;
  let safetyBackup: string | undefined;
  try {
    // Before the safety backup: a pg_restore that cannot do the job should cost nothing.
    const pgRestore = await restoreToolFor(archive.path, opts.target, opts.tools);
    if (exists) {
      const b = await runBackup({
        target: opts.target,
        dir: safetyDir,
        tools: opts.tools,
        signal: opts.signal,
        now,
        onProgress: (p) => opts.onProgress?.({ phase: 'safety-backup', bytesWritten: p.bytesWritten }),
      });
      safetyBackup = b.path;
    }
    const t0 = Date.now();
    await restoreInto(archive.path, withDatabase(opts.target, restoreName), {
      create: true,
      jobs,
      noOwner: opts.noOwner,
      tools: opts.tools,
      pgRestore,
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.({ phase: 'restoring', ...p }),
    });
    restoreMs = Date.now() - t0;
  } finally {
    await archive.cleanup();
  }
  if (exists) {
    opts.onProgress?.({ phase: 'swapping' });
    try {
      await swapIn(adminTarget, restoreName, name, derivedDatabaseName(name, `_replaced_${tag}`));
    } catch (e) {
      // The copy goes only when the database it replaces has its name (a lost connection may hide a rename that happened).
      if (e instanceof SwapStuckError || !(await databaseExists(adminTarget, name).catch(() => false))) throw e;
      await dropDatabase(adminTarget, restoreName).catch(() => undefined);
      if ((e as { code?: string }).code === '55006') throw new DatabaseInUseError(name, await otherSessions(adminTarget, name), safetyBackup);
      throw e;
    }
  }
  opts.onProgress?.({ phase: 'counting' });
  const sampleCounts = await countRows(opts.target, 5);
  return { database: name, jobs, restoreMs, durationMs: Date.now() - started, safetyBackup, sampleCounts };
}

const OTHER_SESSIONS = 'FROM pg_catalog.pg_stat_activity WHERE datname = $1 AND pid <> pg_catalog.pg_backend_pid()';

async function otherSessions(adminTarget: PgConnection, database: string): Promise<number> {
  return withClient(adminTarget, async (c) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n ${OTHER_SESSIONS}`, [database])).rows[0]?.n ?? 0));
}

/**
 * target → old, restored → target, drop old. The sessions on target this role may end are ended
 * first, one by one (pg_terminate_backend fails for another role's or a superuser's session, and
 * one failure must not spare the rest); one that stays makes the first rename fail with 55006.
 * A failure of the second rename puts target back.
 */
async function swapIn(adminTarget: PgConnection, restored: string, target: string, old: string): Promise<void> {
  await withClient(adminTarget, async (c) => {
    const others = await c.query<{ pid: number }>(`SELECT pid ${OTHER_SESSIONS}`, [target]);
    for (const { pid } of others.rows) await c.query('SELECT pg_catalog.pg_terminate_backend($1)', [pid]).catch(() => undefined);
    await c.query(`ALTER DATABASE ${quoteIdent(target)} RENAME TO ${quoteIdent(old)}`);
    try {
      await c.query(`ALTER DATABASE ${quoteIdent(restored)} RENAME TO ${quoteIdent(target)}`);
    } catch (e) {
      await renameBack(c, old, target, restored);
      throw e;
    }
  });
  await dropDatabase(adminTarget, old);
}

async function renameBack(c: pg.Client, old: string, target: string, restored: string): Promise<void> {
  try {
    await c.query(`ALTER DATABASE ${quoteIdent(old)} RENAME TO ${quoteIdent(target)}`);
  } catch (e) {
    throw new SwapStuckError(
      `the swap failed and "${target}" could not be renamed back (${(e as Error).message}): it is now "${old}" (ALTER DATABASE ${quoteIdent(old)} RENAME TO ${quoteIdent(target)}), the restored copy is "${restored}"`,
    );
  }
}
