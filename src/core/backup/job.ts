// The one backup job, shared by `pgdba backup` and the editor's Back Up Database: dump → verify
// (none / quick / full) → local retention → Drive upload and Drive retention (when configured) →
// the manifest as it ends up. Each caller only reports; the sequence lives here.
import { basename } from 'node:path';
import { runBackup, type BackupOptions, type BackupProgress } from './backup';
import { applyDriveRetention, uploadBackup, type DriveFile, type DriveSession } from './driveClient';
import type { UploadOptions } from './driveUpload';
import { readManifest, updateManifest, type BackupManifest, type Verification } from './manifest';
import { CancelledError } from '../pgtools/proc';
import { applyRetention, type RetentionPlan } from './retention';
import { verifyBackup } from './verify';

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
}

export async function runBackupJob(opts: BackupJobOptions, hooks: BackupJobHooks = {}): Promise<BackupJobResult> {
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
