// Restoring a backup: to a new database (the default), or over an existing one only when the
// person typed its name and after a safety backup. The replacement is restored under a temporary
// name and swapped in by two renames, so a failed restore never costs the database it replaces.
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { prepareArchive } from './archive';
import { runBackup } from './backup';
import type { TableCount } from './manifest';
import { timestampPart } from './naming';
import { countRows, databaseExists, dropDatabase, restoreInto, restoreToolFor, type RestoreProgress } from './restoreCore';
import { withClient, withDatabase, type PgConnection } from '../db/connection';
import { quoteIdent } from '../db/sqlIdent';
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

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const started = Date.now();
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

  opts.onProgress?.({ phase: 'decompressing' });
  const archive = await prepareArchive(opts.file, { signal: opts.signal });
  const stamp = timestampPart(new Date()).replace(/-/g, '');
  const restoreName = exists ? `${name.slice(0, 40)}_restoring_${stamp}` : name;
  let restoreMs = 0;
  let safetyBackup: string | undefined;
  try {
    // Before the safety backup: a pg_restore that cannot do the job should cost nothing.
    const pgRestore = await restoreToolFor(archive.path, opts.target, opts.tools);
    if (exists) {
      const b = await runBackup({
        target: opts.target,
        dir: opts.safetyBackupDir ?? dirname(opts.file),
        tools: opts.tools,
        signal: opts.signal,
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
    await swapIn(adminTarget, restoreName, name, `${name.slice(0, 40)}_replaced_${stamp}`);
  }
  opts.onProgress?.({ phase: 'counting' });
  const sampleCounts = await countRows(opts.target, 5);
  return { database: name, jobs, restoreMs, durationMs: Date.now() - started, safetyBackup, sampleCounts };
}

/** target → old, restored → target, drop old; a failure of the second rename puts target back. */
async function swapIn(adminTarget: PgConnection, restored: string, target: string, old: string): Promise<void> {
  await withClient(adminTarget, async (c) => {
    await c.query('SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = $1 AND pid <> pg_catalog.pg_backend_pid()', [
      target,
    ]);
    await c.query(`ALTER DATABASE ${quoteIdent(target)} RENAME TO ${quoteIdent(old)}`);
    try {
      await c.query(`ALTER DATABASE ${quoteIdent(restored)} RENAME TO ${quoteIdent(target)}`);
    } catch (e) {
      await c.query(`ALTER DATABASE ${quoteIdent(old)} RENAME TO ${quoteIdent(target)}`);
      throw e;
    }
  });
  await dropDatabase(adminTarget, old);
}
