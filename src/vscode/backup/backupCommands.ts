// Back up, verify, restore: the long jobs, each in a cancellable progress notification. The
// logic is core's (runBackupJob, verifyBackup, restoreBackup); this file asks, reports, and tells
// the store what changed.
import * as vscode from 'vscode';
import { warnAll } from '../notices';
import type { BackupProgress } from '../../core/backup/backup';
import { runBackupJob, type BackupJobStep } from '../../core/backup/job';
import type { LocalBackup } from '../../core/backup/listing';
import type { Verification } from '../../core/backup/manifest';
import { derivedDatabaseName, parseBackupName, timestampPart } from '../../core/backup/naming';
import { DatabaseInUseError, RefusedError, restoreBackup, type RestoreEvent, type RestoreResult } from '../../core/backup/restore';
import { verifyBackup } from '../../core/backup/verify';
import { listDatabases } from '../../core/stats/databases';
import { readServerVersion } from '../../core/db/serverInfo';
import { formatBytes, formatCount } from '../../core/format';
import type { ConnectionProfile } from '../../core/db/profile';
import type { CommandFactory, Ctx } from '../ctx';
import { nodeData } from '../explorer/nodeData';
import { pickProfile } from '../pickProfile';
import { runJob, targetFor, toolsFor, type Report } from './backupJob';
import type { BackupStore } from './backupStore';
import { walkthroughDone } from '../walkthrough';

function backupProgressText(p: BackupProgress): string {
  if (p.phase === 'syncing') return `writing to disk · ${formatBytes(p.bytesWritten)}`;
  return `${formatCount(p.objects)} object${p.objects === 1 ? '' : 's'} · ${p.tablesDumped}/${p.tablesTotal} tables · ${formatBytes(p.bytesWritten)} written${p.current ? ` · ${p.current}` : ''}`;
}

function restoreProgressText(e: RestoreEvent): string {
  switch (e.phase) {
    case 'safety-backup':
      return `safety backup of the database being replaced · ${formatBytes(e.bytesWritten)} written`;
    case 'decompressing':
      return 'decompressing the archive for a parallel restore';
    case 'restoring':
      return `${formatCount(e.objects)} object${e.objects === 1 ? '' : 's'} · ${e.tablesRestored}/${e.tablesTotal} tables${e.current ? ` · ${e.current}` : ''}`;
    case 'swapping':
      return 'swapping the restored database in';
    case 'counting':
      return 'counting rows';
  }
}

/** Which database of the profile's server: the node's, or one the person picks. */
async function pickDatabase(ctx: Ctx, profile: ConnectionProfile, arg: unknown): Promise<string | undefined> {
  const fromNode = nodeData(arg, 'database');
  if (fromNode) return fromNode.database;
  const dbs = (await ctx.connections.use(profile, async (pool) => listDatabases(pool, { versionNum: (await readServerVersion(pool)).num }))).filter(
    (d) => !d.isTemplate && d.allowConnections,
  );
  const pick = await vscode.window.showQuickPick(
    dbs.map((d) => ({ label: d.name, description: formatBytes(d.bytes) })),
    { placeHolder: `Database of ${profile.name} to back up` },
  );
  return pick?.label;
}

function verificationText(v: Verification): string {
  return v.ok ? `✓ ${v.kind} verification passed` : `✗ ${v.kind} verification failed: ${v.reason ?? '?'}`;
}

async function verifyInJob(
  ctx: Ctx,
  file: string,
  profile: ConnectionProfile | undefined,
  full: boolean,
  signal: AbortSignal,
  report: Report,
): Promise<Verification> {
  const database = parseBackupName(file)?.database;
  const target = profile ? await targetFor(ctx, profile, database ?? profile.database) : undefined;
  return verifyBackup({ file, full, target, tools: toolsFor(ctx), signal, onProgress: (m) => report(`${full ? 'full' : 'quick'} check: ${m}`) });
}

export interface BackupCommandResult {
  path: string;
  sizeBytes: number;
  verification?: Verification;
  removed: string[];
  /** The Drive copy's file id, when pgdba.backup.driveFolderId and credentials are set. */
  driveFileId?: string;
}

const STEP_TEXT: Record<BackupJobStep, string> = {
  dump: 'reading the server',
  verify: 'verifying',
  retention: 'removing backups past pgdba.backup.keepLocal',
  upload: 'uploading to Google Drive',
  manifest: 'writing the manifest',
};

export const backupDatabase: CommandFactory =
  (ctx) =>
  async (arg?: unknown): Promise<BackupCommandResult | undefined> => {
    const profile = await pickProfile(ctx, arg);
    if (!profile) return undefined;
    const database = await pickDatabase(ctx, profile, arg);
    if (!database) return undefined;
    const s = ctx.config.backup;
    const result = await runJob(ctx, `Backing up ${database}`, async (signal, report) => {
      report(STEP_TEXT.dump);
      const target = await targetFor(ctx, profile, database);
      const full = s.verifyAfterBackup === 'full';
      const r = await runBackupJob(
        {
          target,
          dir: s.directory,
          group: s.group,
          tools: toolsFor(ctx),
          verify: s.verifyAfterBackup,
          keepLocal: s.keepLocal,
          ...(ctx.backups.driveConfigured
            ? { drive: { open: async () => (await ctx.backups.drive()).session, folderId: s.driveFolderId!, keep: s.keepDrive || undefined } }
            : {}),
          signal,
        },
        {
          onStep: (step) => report(STEP_TEXT[step]),
          onDumpProgress: (p) => report(backupProgressText(p)),
          onVerifyProgress: (m) => report(`${full ? 'full' : 'quick'} check: ${m}`),
          onUploadProgress: (p) => report(`uploading to Google Drive: ${formatBytes(p.bytesSent)} of ${formatBytes(p.total)}`),
          onChange: () => ctx.backups.fire(), // the new node shows while the verification runs
        },
      );
      for (const w of r.warnings) ctx.log.warn(w);
      warnAll('', r.warnings);
      return {
        path: r.path,
        sizeBytes: r.manifest.dump?.sizeBytes ?? 0,
        verification: r.verification,
        removed: r.retention?.remove.map((b) => b.file) ?? [],
        ...(r.drive ? { driveFileId: r.drive.file.id } : {}),
      };
    });
    ctx.backups.fire(); // a cancelled job may have left its dump (cancelled while verifying)
    if (!result) return undefined;
    ctx.log.info(`backup of ${database}: ${result.path}${result.removed.length ? `; retention removed ${result.removed.join(', ')}` : ''}`);
    const msg = `Backed up ${database}: ${formatBytes(result.sizeBytes)}${result.verification ? `, ${verificationText(result.verification)}` : ''}${result.removed.length ? `; ${result.removed.length} older removed (keep ${s.keepLocal})` : ''}${result.driveFileId ? '; uploaded to Google Drive' : ''}.`;
    if (result.verification?.ok) walkthroughDone('backupVerified');
    if (result.verification && !result.verification.ok) void vscode.window.showWarningMessage(msg);
    else void vscode.window.showInformationMessage(msg);
    return result;
  };

export const verify: CommandFactory =
  (ctx) =>
  async (arg?: unknown, kind?: unknown): Promise<Verification | undefined> => {
    const b = await backupFrom(ctx.backups, arg);
    if (!b) return undefined;
    let full = kind === 'full';
    if (kind !== 'full' && kind !== 'quick') {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'Quick', detail: 'SHA-256 against the manifest, and pg_restore reads the whole archive (no server needed)', full: false },
          { label: 'Full', detail: 'Restore into a scratch database, compare row counts, drop it (needs a server)', full: true },
        ],
        { placeHolder: `Verify ${b.file}` },
      );
      if (!pick) return undefined;
      full = pick.full;
    }
    const profile = full ? await pickProfile(ctx, nodeData(arg, 'backup')?.profileName) : undefined;
    if (full && !profile) return undefined;
    const v = await runJob(ctx, `Verifying ${b.file}`, (signal, report) => verifyInJob(ctx, b.path, profile, full, signal, report));
    ctx.backups.fire();
    if (v) {
      if (v.ok) {
        walkthroughDone('backupVerified');
        void vscode.window.showInformationMessage(`${b.file}: ${verificationText(v)}`);
      } else void vscode.window.showWarningMessage(`${b.file}: ${verificationText(v)}`);
    }
    return v;
  };

export const restore: CommandFactory =
  (ctx) =>
  async (arg?: unknown, opts?: unknown): Promise<RestoreResult | undefined> => {
    const b = await backupFrom(ctx.backups, arg);
    if (!b) return undefined;
    // Options may name the server and a new database (the e2e suite); never the confirmation.
    const o = restoreOptions(opts);
    const profile = await pickProfile(ctx, o.profileName ?? nodeData(arg, 'backup')?.profileName);
    if (!profile) return undefined;
    let mode: 'new' | 'replace' = o.mode ?? 'new';
    if (o.database === undefined && o.mode === undefined) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'To a new database', detail: 'The safe choice: nothing existing is touched', mode: 'new' as const },
          { label: 'Replace an existing database…', detail: 'Asks you to type its name; a safety backup of it is taken first', mode: 'replace' as const },
        ],
        { placeHolder: `Restore ${b.file} on ${profile.name}` },
      );
      if (!pick) return undefined;
      mode = pick.mode;
    }
    let database = o.database;
    database ??= await vscode.window.showInputBox({
      title: mode === 'new' ? 'Name of the new database' : 'Database to replace',
      value: mode === 'new' ? derivedDatabaseName(b.database, `_restored_${timestampPart(new Date()).replace(/-/g, '')}`) : b.database,
      validateInput: (v) => (v.trim() === '' ? 'a name is needed' : Buffer.byteLength(v) > 63 ? 'at most 63 bytes' : undefined),
    });
    if (!database) return undefined;
    let confirmedName: string | undefined;
    if (mode === 'replace') {
      confirmedName = await vscode.window.showInputBox({
        title: `Replace database ${database}`,
        prompt: `Type ${database} to replace it with ${b.file}. A safety backup of it is taken first, into ${ctx.config.backup.directory}.`,
        placeHolder: database,
        ignoreFocusOut: true,
      });
      if (confirmedName === undefined) return undefined;
    }
    const target = await targetFor(ctx, profile, database);
    const r = await runJob(ctx, `Restoring ${b.file} to ${database}`, (signal, report) =>
      restoreBackup({
        file: b.path,
        target,
        mode,
        confirmedName,
        safetyBackupDir: ctx.config.backup.directory,
        tools: toolsFor(ctx),
        signal,
        onProgress: (e) => report(restoreProgressText(e)),
      }),
    ).catch((e: unknown) => {
      // Core's words name the CLI's --confirm; here the way is the Replace choice.
      if (e instanceof RefusedError && mode === 'new') {
        throw new Error(
          `Database "${database}" exists on ${profile.name}: restore to a new name, or choose "Replace an existing database…" (you type its name to confirm; a safety backup of it is taken first).`,
        );
      }
      if (e instanceof DatabaseInUseError) {
        const them = e.sessions === 1 ? 'it' : 'them';
        throw new Error(
          `Database "${database}" on ${profile.name} has ${e.sessions} session${e.sessions === 1 ? '' : 's'} pgdba could not end: end ${them} with Terminate Session on ${them} under Activity in the PostgreSQL DBA view (as a user who may), then restore again. "${database}" is untouched; the restored copy was dropped.`,
        );
      }
      throw e;
    });
    ctx.backups.fire(); // a replace leaves a safety backup in the directory
    if (!r) return undefined;
    ctx.explorer.refreshDatabases(profile.name); // the restored database shows under its server
    const counts = r.sampleCounts.map((t) => `${t.schema}.${t.name} ${formatCount(t.rows)}`).join(', ');
    ctx.log.info(
      `restore of ${b.file} to ${r.database}: ${r.restoreMs} ms with ${r.jobs} jobs; rows: ${counts}${r.safetyBackup ? `; safety backup ${r.safetyBackup}` : ''}`,
    );
    void vscode.window.showInformationMessage(
      `Restored ${b.file} to ${r.database} in ${(r.durationMs / 1000).toFixed(1)} s. Rows: ${counts || 'no tables'}${r.safetyBackup ? `. Safety backup: ${r.safetyBackup}` : ''}`,
    );
    return r;
  };

/** Restore's second argument: which server, which database, which mode (typed, or ignored). */
function restoreOptions(opts: unknown): { profileName?: string; database?: string; mode?: 'new' | 'replace' } {
  if (typeof opts !== 'object' || opts === null) return {};
  const o = opts as Record<string, unknown>;
  return {
    ...(typeof o.profileName === 'string' ? { profileName: o.profileName } : {}),
    ...(typeof o.database === 'string' ? { database: o.database } : {}),
    ...(o.mode === 'replace' || o.mode === 'new' ? { mode: o.mode } : {}),
  };
}

/** The local backup of a node, or one the person picks from the backup directory. */
export async function backupFrom(store: BackupStore, arg: unknown): Promise<LocalBackup | undefined> {
  const local = nodeData(arg, 'backup')?.local;
  if (local) return local;
  if (nodeData(arg, 'driveBackup'))
    throw new Error('This backup is on Google Drive: download it first (Download Backup), then verify or restore the local copy.');
  const all = await store.local();
  if (all.length === 0) throw new Error(`No backups in ${store.directory} (setting pgdba.backup.directory).`);
  const pick = await vscode.window.showQuickPick(
    all.map((b) => ({ label: b.file, description: `${formatBytes(b.sizeBytes)} · ${b.verification}`, b })),
    { placeHolder: 'Which backup?' },
  );
  return pick?.b;
}
