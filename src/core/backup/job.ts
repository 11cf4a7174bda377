// The one backup job, shared by `pgdba backup` and the editor's Back Up Database: dump → verify
// (none / quick / full) → local retention → Drive upload and Drive retention (when configured) →
// the manifest as it ends up, and the run's status record beside the backups (runStatus.ts),
// whatever the end. Each caller only reports; the sequence lives here.
import { basename } from 'node:path';
import { runBackup, type BackupOptions, type BackupProgress } from './backup';
import { applyDriveRetention, uploadBackup, type DriveFile, type DriveSession } from './driveClient';
import type { UploadOptions } from './driveUpload';
import { readManifest, updateManifest, type BackupManifest, type Verification } from './manifest';
import { CancelledError } from '../pgtools/proc';
import { applyRetention, type RetentionPlan } from './retention';
import { verifyBackup } from './verify';
import { stat } from 'node:fs/promises';
import { accessFor } from './fileAccess';
import { resultOfError, writeRunStatus, type BackupRunStatus } from './runStatus';

export type VerifyAfterBackup = 'none' | 'quick' | 'full';
export type BackupJobStep = 'dump' | 'verify' | 'retention' | 'upload' | 'manifest';

/** The dump's own options (the database, directory, tools, compression, group, signal, time), then the job's steps. */
export interface BackupJobOptions extends Omit<BackupOptions, 'onProgress'> {
  verify?: VerifyAfterBackup;
  /** Keep the last N local backups of this database; undefined keeps all. */
  keepLocal?: number;
  /** Upload to this Drive folder; keep: the last N per database there (undefined keeps all). */
  drive?: { open: () => Promise<DriveSession>; folderId: string; keep?: number; upload?: Pick<UploadOptions, 'chunkSize' | 'backoffMs'> };
}

export interface BackupJobHooks {
  /** A step starts (steps not configured are skipped, never announced). */
  onStep?: (step: BackupJobStep) => void;
  onDumpProgress?: (p: BackupProgress) => void;
  onVerifyProgress?: (message: string) => void;
  onUploadProgress?: (p: { bytesSent: number; total: number; retries: number }) => void;
  /** Files in the directory or the Drive folder changed (a new backup, a verdict, a removal). */
  onChange?: () => void;
}

export interface BackupJobResult {
  path: string;
  /** The manifest once every step ran (verification and Drive record included). */
  manifest: BackupManifest;
  verification?: Verification;
  retention?: RetentionPlan;
  drive?: { file: DriveFile; folderId: string; removed: DriveFile[] };
  /** For the person (stderr, a warning message): the directory is open to others. */
  warnings: string[];
  /** The status record of this run, when it could be written. */
  statusPath?: string;
}

/** Runs the job and leaves its status record, for a success, a failure and a cancel alike. */
export async function runBackupJob(opts: BackupJobOptions, hooks: BackupJobHooks = {}): Promise<BackupJobResult> {
  const startedAt = new Date().toISOString();
  const record = async (end: Pick<BackupRunStatus, 'result' | 'error' | 'backup'>) => {
    const status: BackupRunStatus = {
      database: opts.target.database,
      server: { host: opts.target.host, port: opts.target.port },
      startedAt,
      endedAt: new Date().toISOString(),
      ...end,
      pid: process.pid,
    };
    return writeRunStatus(opts.dir, status, await accessFor(opts.group));
  };
  let out: BackupJobResult;
  try {
    out = await runSteps(opts, hooks);
  } catch (e) {
    // The job's own error is what the caller reports; a record that cannot be written (no room,
    // a name no file may carry) does not replace it.
    // A run that failed before the directory existed (a first run, a wrong --dir) makes none for its record.
    if ((await stat(opts.dir).catch(() => undefined))?.isDirectory()) await record(resultOfError(e, opts.signal)).catch(() => undefined);
    throw e;
  }
  const v = out.verification;
  const end =
    v && !v.ok ? { result: 'failed' as const, error: `${v.kind} verification failed: ${v.reason ?? 'see the manifest'}` } : { result: 'succeeded' as const };
  try {
    out.statusPath = await record({ ...end, backup: basename(out.path) });
  } catch (e) {
    out.warnings.push(`the run's status record could not be written in ${opts.dir}: ${(e as Error).message}`);
  }
  return out;
}

async function runSteps(opts: BackupJobOptions, hooks: BackupJobHooks): Promise<BackupJobResult> {
  const { signal } = opts;
  const step = (s: BackupJobStep) => {
    if (signal?.aborted) throw new CancelledError('backup');
    hooks.onStep?.(s);
  };
  step('dump');
  const b = await runBackup({
    target: opts.target,
    dir: opts.dir,
    tools: opts.tools,
    compression: opts.compression,
    cpus: opts.cpus,
    group: opts.group,
    signal,
    onProgress: hooks.onDumpProgress,
    now: opts.now,
  });
  hooks.onChange?.(); // the new backup shows while the rest runs
  const out: BackupJobResult = { path: b.path, manifest: b.manifest, warnings: b.warnings };

  if (opts.verify && opts.verify !== 'none') {
    step('verify');
    out.verification = await verifyBackup({
      file: b.path,
      full: opts.verify === 'full',
      target: opts.target,
      tools: opts.tools,
      signal,
      onProgress: hooks.onVerifyProgress,
    });
    hooks.onChange?.();
  }
  if (opts.keepLocal !== undefined) {
    step('retention');
    out.retention = await applyRetention(opts.dir, opts.keepLocal, { database: opts.target.database });
    if (out.retention.remove.length) hooks.onChange?.();
  }
  if (opts.drive) {
    step('upload');
    const { folderId, keep } = opts.drive;
    const session = await opts.drive.open();
    const file = await uploadBackup(session, b.path, folderId, { ...opts.drive.upload, signal, onProgress: hooks.onUploadProgress });
    const removed = keep ? await applyDriveRetention(session, folderId, keep) : [];
    out.drive = { file, folderId, removed };
  }
  step('manifest');
  out.manifest = out.drive
    ? await updateManifest(
        b.path,
        { file: basename(b.path), database: opts.target.database },
        {
          drive: {
            fileId: out.drive.file.id,
            folderId: out.drive.folderId,
            md5Checksum: out.drive.file.md5Checksum ?? '',
            uploadedAt: new Date().toISOString(),
          },
        },
      )
    : ((await readManifest(b.path)) ?? b.manifest);
  if (out.drive) hooks.onChange?.();
  return out;
}
