// Back up, verify, restore: the long jobs, each in a cancellable progress notification. The
// logic is core's (runBackup, verifyBackup, restoreBackup); this file asks, reports and refreshes.
import * as vscode from 'vscode';
import { runBackup, type BackupProgress } from '../../core/backup/backup';
import { listLocalBackups, type LocalBackup } from '../../core/backup/listing';
import type { Verification } from '../../core/backup/manifest';
import { parseBackupName, timestampPart } from '../../core/backup/naming';
import { RefusedError, restoreBackup, type RestoreEvent, type RestoreResult } from '../../core/backup/restore';
import { applyRetention } from '../../core/backup/retention';
import { verifyBackup } from '../../core/backup/verify';
import { listDatabases } from '../../core/stats/databases';
import { formatBytes, formatCount } from '../../core/format';
import type { ConnectionProfile } from '../../core/db/profile';
import type { Ctx } from '../ctx';
import type { ExplorerProvider } from '../explorer/explorerProvider';
import { pickProfile } from '../pickProfile';
import { runJob, targetFor, toolsFor, type Report } from './backupJob';
import type { BackupNodeData } from './backupNodes';

export function backupProgressText(p: BackupProgress): string {
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
async function pickDatabase(tree: ExplorerProvider, profile: ConnectionProfile, arg: unknown): Promise<string | undefined> {
  const fromNode = (arg as { database?: unknown } | undefined)?.database;
  if (typeof fromNode === 'string') return fromNode;
  const s = tree.session(profile.name);
  const dbs = s ? (await s.run((q, versionNum) => listDatabases(q, { versionNum }))).filter((d) => !d.isTemplate && d.allowConnections) : [];
  const pick = await vscode.window.showQuickPick(
    dbs.map((d) => ({ label: d.name, description: formatBytes(d.bytes) })),
    { placeHolder: `Database of ${profile.name} to back up` },
  );
  return pick?.label;
}

function verificationText(v: Verification): string {
  return v.ok ? `✓ ${v.kind} verification passed` : `✗ ${v.kind} verification failed: ${v.reason ?? '?'}`;
}

async function verifyInJob(ctx: Ctx, file: string, profile: ConnectionProfile | undefined, full: boolean, signal: AbortSignal, report: Report): Promise<Verification> {
  const database = parseBackupName(file)?.database;
  const target = profile ? await targetFor(ctx, profile, database ?? profile.database) : undefined;
  return verifyBackup({ file, full, target, tools: toolsFor(ctx), signal, onProgress: (m) => report(`${full ? 'full' : 'quick'} check: ${m}`) });
}

export interface BackupCommandResult {
  path: string;
  sizeBytes: number;
  verification?: Verification;
  removed: string[];
}

export function backupCommands(ctx: Ctx, tree: ExplorerProvider) {
  const refresh = () => tree.refresh();

  const backupDatabase = () => async (arg?: unknown): Promise<BackupCommandResult | undefined> => {
    const profile = await pickProfile(ctx, arg);
    if (!profile) return undefined;
    const database = await pickDatabase(tree, profile, arg);
    if (!database) return undefined;
    const s = ctx.config.backup;
    const result = await runJob(ctx, `Backing up ${database}`, async (signal, report) => {
      report('reading the server');
      const target = await targetFor(ctx, profile, database);
      const b = await runBackup({ target, dir: s.directory, tools: toolsFor(ctx), signal, onProgress: (p) => report(backupProgressText(p)) });
      refresh(); // the new node shows while the verification runs
      const verification = s.verifyAfterBackup === 'none' ? undefined : await verifyInJob(ctx, b.path, profile, s.verifyAfterBackup === 'full', signal, report);
      const plan = await applyRetention(s.directory, s.keepLocal, { database });
      return { path: b.path, sizeBytes: b.manifest.dump?.sizeBytes ?? 0, verification, removed: plan.remove.map((r) => r.file) };
    });
    refresh();
    if (!result) return undefined;
    ctx.log.info(`backup of ${database}: ${result.path}${result.removed.length ? `; retention removed ${result.removed.join(', ')}` : ''}`);
    const msg = `Backed up ${database}: ${formatBytes(result.sizeBytes)}${result.verification ? `, ${verificationText(result.verification)}` : ''}${result.removed.length ? `; ${result.removed.length} older removed (keep ${s.keepLocal})` : ''}.`;
    if (result.verification && !result.verification.ok) void vscode.window.showWarningMessage(msg);
    else void vscode.window.showInformationMessage(msg);
    return result;
  };

  const verify = () => async (arg?: unknown, kind?: unknown): Promise<Verification | undefined> => {
    const b = await backupFrom(ctx, arg);
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
    const profile = full ? await pickProfile(ctx, (arg as BackupNodeData | undefined)?.profileName) : undefined;
    if (full && !profile) return undefined;
    const v = await runJob(ctx, `Verifying ${b.file}`, (signal, report) => verifyInJob(ctx, b.path, profile, full, signal, report));
    refresh();
    if (v) {
      if (v.ok) void vscode.window.showInformationMessage(`${b.file}: ${verificationText(v)}`);
      else void vscode.window.showWarningMessage(`${b.file}: ${verificationText(v)}`);
    }
    return v;
  };

  const restore = () => async (arg?: unknown, opts?: unknown): Promise<RestoreResult | undefined> => {
    const b = await backupFrom(ctx, arg);
    if (!b) return undefined;
    // Arguments may name the server and a new database (the e2e suite); never the confirmation.
    const o = (opts ?? {}) as { profileName?: unknown; database?: unknown; mode?: unknown };
    const profile = await pickProfile(ctx, typeof o.profileName === 'string' ? o.profileName : (arg as BackupNodeData | undefined)?.profileName);
    if (!profile) return undefined;
    let mode: 'new' | 'replace' = o.mode === 'replace' ? 'replace' : 'new';
    if (typeof o.database !== 'string' && o.mode === undefined) {
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
    let database = typeof o.database === 'string' ? o.database : undefined;
    database ??= await vscode.window.showInputBox({
      title: mode === 'new' ? 'Name of the new database' : 'Database to replace',
      value: mode === 'new' ? `${b.database}_restored_${timestampPart(new Date()).replace(/-/g, '')}` : b.database,
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
      restoreBackup({ file: b.path, target, mode, confirmedName, safetyBackupDir: ctx.config.backup.directory, tools: toolsFor(ctx), signal, onProgress: (e) => report(restoreProgressText(e)) }),
    ).catch((e: unknown) => {
      // Core's words name the CLI's --confirm; here the way is the Replace choice.
      if (e instanceof RefusedError && mode === 'new') {
        throw new Error(`Database "${database}" exists on ${profile.name}: restore to a new name, or choose "Replace an existing database…" (you type its name to confirm; a safety backup of it is taken first).`);
      }
      throw e;
    });
    refresh();
    if (!r) return undefined;
    const counts = r.sampleCounts.map((t) => `${t.schema}.${t.name} ${formatCount(t.rows)}`).join(', ');
    ctx.log.info(`restore of ${b.file} to ${r.database}: ${r.restoreMs} ms with ${r.jobs} jobs; rows: ${counts}${r.safetyBackup ? `; safety backup ${r.safetyBackup}` : ''}`);
    void vscode.window.showInformationMessage(`Restored ${b.file} to ${r.database} in ${(r.durationMs / 1000).toFixed(1)} s. Rows: ${counts || 'no tables'}${r.safetyBackup ? `. Safety backup: ${r.safetyBackup}` : ''}`);
    return r;
  };

  return { backupDatabase, verify, restore };
}

/** The local backup of a node, or one the person picks from the backup directory. */
export async function backupFrom(ctx: Ctx, arg: unknown): Promise<LocalBackup | undefined> {
  const local = (arg as BackupNodeData | undefined)?.local;
  if (local) return local;
  if ((arg as BackupNodeData | undefined)?.drive) throw new Error('This backup is on Google Drive: download it first (Download Backup), then verify or restore the local copy.');
  const all = await listLocalBackups(ctx.config.backup.directory);
  if (all.length === 0) throw new Error(`No backups in ${ctx.config.backup.directory} (setting pgdba.backup.directory).`);
  const pick = await vscode.window.showQuickPick(
    all.map((b) => ({ label: b.file, description: `${formatBytes(b.sizeBytes)} · ${b.verification}`, b })),
    { placeHolder: 'Which backup?' },
  );
  return pick?.b;
}
