// The last run of a backup job, as a small record beside the backups: `<db>.last-run.json`, one
// per database, rewritten at the end of every run, failed and cancelled ones included (a night
// that failed leaves no backup to look at, only this). Written like a backup: a temp beside it
// (tempPathFor, swept by sweepStaleTemps), 0600 (0640 with the backups' group), renamed over the
// last one. The nightly timer's next run is when the generated schedule fires (schedule.ts).
import { readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createBackupFile, type FileAccess } from './fileAccess';
import { CancelledError } from '../pgtools/proc';
import { tempPathFor } from './naming';

export type BackupRunResult = 'succeeded' | 'failed' | 'cancelled';

export interface BackupRunStatus {
  database: string;
  /** The server the job dumped, as its profile names it. */
  server: { host: string; port: number };
  startedAt: string;
  endedAt: string;
  result: BackupRunResult;
  /** Why it failed or stopped, in words (one line). */
  error?: string;
  /** The backup file it made, when it got that far. */
  backup?: string;
  pid: number;
}

const SUFFIX = '.last-run.json';

/** Bigger than any record pgdba writes: a larger file there is not one. */
const MAX_STATUS_BYTES = 64 * 1024;

export function runStatusFile(database: string): string {
  return `${database}${SUFFIX}`;
}

/** The result of a job that threw: cancelled (a signal, the Cancel button: the abort's reason says which) or failed. */
export function resultOfError(e: unknown, signal?: AbortSignal): { result: BackupRunResult; error: string } {
  const why: unknown = e instanceof CancelledError && signal?.aborted && signal.reason instanceof Error ? signal.reason : e;
  const text = (why instanceof Error ? why.message : String(why)).split('\n').find((l) => l.trim() !== '') ?? 'unknown error';
  return { result: e instanceof CancelledError ? 'cancelled' : 'failed', error: text.trim().slice(0, 2000) };
}

export async function writeRunStatus(dir: string, status: BackupRunStatus, access?: FileAccess): Promise<string> {
  const file = runStatusFile(status.database);
  const path = join(dir, file);
  const tmp = tempPathFor(dir, file, 'status');
  const fh = await createBackupFile(tmp, access);
  try {
    await fh.writeFile(`${JSON.stringify(status, null, 2)}\n`);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  return path;
}

function isStatus(v: unknown): v is BackupRunStatus {
  const r = v as Partial<BackupRunStatus> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.database === 'string' &&
    typeof r.startedAt === 'string' &&
    typeof r.endedAt === 'string' &&
    (r.result === 'succeeded' || r.result === 'failed' || r.result === 'cancelled') &&
    typeof r.server === 'object' &&
    r.server !== null
  );
}

export type RunStatusRead = { state: 'ok'; status: BackupRunStatus } | { state: 'missing' } | { state: 'corrupt'; problem: string };

export async function readRunStatus(dir: string, database: string): Promise<RunStatusRead> {
  let text: string;
  try {
    const buf = await readFile(join(dir, runStatusFile(database)));
    if (buf.length > MAX_STATUS_BYTES) return { state: 'corrupt', problem: `${buf.length} bytes: not a status record of pgdba` };
    text = buf.toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'corrupt', problem: (e as Error).message };
  }
  try {
    const v: unknown = JSON.parse(text);
    return isStatus(v) ? { state: 'ok', status: v } : { state: 'corrupt', problem: 'not a status record of pgdba' };
  } catch (e) {
    return { state: 'corrupt', problem: `not JSON (${(e as Error).message})` };
  }
}

/** Every database's last run recorded in `dir` (none when the directory does not exist). */
export async function listRunStatuses(dir: string): Promise<BackupRunStatus[]> {
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  const out: BackupRunStatus[] = [];
  for (const n of names) {
    if (!n.endsWith(SUFFIX) || n.startsWith('.')) continue;
    const read = await readRunStatus(dir, n.slice(0, -SUFFIX.length));
    if (read.state === 'ok') out.push(read.status);
  }
  return out.sort((a, b) => a.database.localeCompare(b.database));
}
