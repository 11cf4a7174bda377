// The short commands on backup files: upload to / download from Google Drive, delete (after a
// modal confirmation), retention, the systemd schedule, reveal and copy the path.
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { deleteLocalBackup } from '../../core/backup/deleteBackup';
import { applyDriveRetention, deleteDriveFile, downloadBackup, uploadBackup } from '../../core/backup/driveClient';
import { accessFor } from '../../core/backup/fileAccess';
import { updateManifest } from '../../core/backup/manifest';
import { applyRetention } from '../../core/backup/retention';
import { generateSchedule, writeSchedule } from '../../core/backup/schedule';
import { errorText } from '../../core/db/connectError';
import { readDatabaseSize } from '../../core/db/serverInfo';
import { formatBytes } from '../../core/format';
import { PGDBA_VERSION } from '../../core/version';
import type { CommandFactory } from '../ctx';
import { nodeData } from '../explorer/nodeData';
import { pickProfile } from '../pickProfile';
import { VSCODE_ADVICE } from '../connectAdvice';
import { backupFrom } from './backupCommands';
import { runJob } from './backupJob';

async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}

export const upload: CommandFactory = (ctx) => async (arg?: unknown) => {
  const b = await backupFrom(ctx.backups, arg);
  if (!b) return undefined;
  const { session, folderId } = await ctx.backups.drive();
  const up = await runJob(ctx, `Uploading ${b.file} to Google Drive`, async (signal, report) => {
    const f = await uploadBackup(session, b.path, folderId, {
      signal,
      onProgress: (p) => report(`${formatBytes(p.bytesSent)} of ${formatBytes(p.total)}${p.retries ? ` · ${p.retries} retries` : ''}`),
    });
    await updateManifest(
      b.path,
      { file: b.file, database: b.database },
      { drive: { fileId: f.id, folderId, md5Checksum: f.md5Checksum ?? '', uploadedAt: new Date().toISOString() } },
    );
    const keep = ctx.config.backup.keepDrive;
    const removed = keep > 0 ? await applyDriveRetention(session, folderId, keep) : [];
    return { f, removed };
  });
  ctx.backups.fire();
  if (!up) return undefined;
  void vscode.window.showInformationMessage(
    `Uploaded ${b.file} to Google Drive (md5 ${up.f.md5Checksum ?? '?'} matches)${up.removed.length ? `; ${up.removed.length} older removed from Drive` : ''}.`,
  );
  return up.f;
};

export const download: CommandFactory = (ctx) => async (arg?: unknown) => {
  const d = nodeData(arg, 'driveBackup')?.drive;
  if (!d) throw new Error('Choose a backup under Backups › Google Drive to download.');
  const { session } = await ctx.backups.drive();
  const dest = join(ctx.config.backup.directory, basename(d.name));
  const access = await accessFor(ctx.config.backup.group);
  const f = await runJob(ctx, `Downloading ${d.name}`, (signal) => downloadBackup(session, d.id, dest, signal, access));
  ctx.backups.fire();
  if (f) void vscode.window.showInformationMessage(`Downloaded ${d.name} to ${dest} (md5 checked).`);
  return f ? dest : undefined;
};

export const remove: CommandFactory = (ctx) => async (arg?: unknown) => {
  const onDrive = nodeData(arg, 'driveBackup')?.drive;
  if (onDrive) {
    if (!(await confirm(`Delete ${onDrive.name} from Google Drive?`, "The file goes to nobody's trash: it is deleted.", 'Delete'))) return false;
    const { session } = await ctx.backups.drive();
    await deleteDriveFile(session, onDrive.id);
    ctx.backups.fire();
    return true;
  }
  const b = await backupFrom(ctx.backups, arg);
  if (!b) return false;
  if (!(await confirm(`Delete backup ${b.file}?`, `${b.path} (${formatBytes(b.sizeBytes)}) and its manifest are deleted. This cannot be undone.`, 'Delete')))
    return false;
  await deleteLocalBackup(b.path, ctx.config.backup.directory);
  ctx.backups.fire();
  return true;
};

export const retention: CommandFactory = (ctx) => async () => {
  const s = ctx.config.backup;
  const plan = await applyRetention(s.directory, s.keepLocal, { dryRun: true });
  const driveToo = s.keepDrive > 0 && !!s.driveFolderId;
  if (plan.remove.length === 0 && !driveToo) {
    void vscode.window.showInformationMessage(
      `Nothing to remove: no database has more than ${s.keepLocal} backups in ${s.directory}${plan.spared.length ? ` (kept: ${plan.spared.map((x) => `${x.file}, ${x.why}`).join('; ')})` : ''}.`,
    );
    return [];
  }
  const names = plan.remove.map((b) => b.file);
  const detail = [
    names.length
      ? `Local (${s.directory}):\n${names.slice(0, 15).join('\n')}${names.length > 15 ? `\n… and ${names.length - 15} more` : ''}`
      : 'Nothing to remove locally.',
    ...(plan.spared.length ? [`Kept past the limit: ${plan.spared.map((x) => `${x.file} (${x.why})`).join(', ')}`] : []),
    ...(driveToo ? [`On Google Drive: keep the last ${s.keepDrive} per database.`] : []),
  ].join('\n\n');
  if (!(await confirm(`Remove ${names.length} backup${names.length === 1 ? '' : 's'}, keeping the last ${s.keepLocal} per database?`, detail, 'Remove')))
    return [];
  const done = await applyRetention(s.directory, s.keepLocal);
  const removed = done.remove.map((b) => b.file);
  if (driveToo) {
    const { session, folderId } = await ctx.backups.drive();
    for (const f of await applyDriveRetention(session, folderId, s.keepDrive)) removed.push(`drive:${f.name}`);
  }
  ctx.log.info(`retention removed: ${removed.join(', ') || 'nothing'}`);
  ctx.backups.fire();
  return removed;
};

export const schedule: CommandFactory = (ctx) => async (arg?: unknown, opts?: unknown) => {
  const o = typeof opts === 'object' && opts !== null ? (opts as Record<string, unknown>) : {};
  const profile = await pickProfile(ctx, arg);
  if (!profile) return undefined;
  const database =
    typeof o.database === 'string'
      ? o.database
      : (nodeData(arg, 'database')?.database ?? (await vscode.window.showInputBox({ title: 'Database the nightly backup dumps', value: profile.database })));
  if (!database) return undefined;
  let folder = typeof o.folder === 'string' ? o.folder : undefined;
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Write the schedule here',
      title: 'Folder for the systemd service, timer and script',
    });
    folder = picked?.[0]?.fsPath;
  }
  if (!folder) return undefined;
  const s = ctx.config.backup;
  // The size sets the service's TimeoutStartSec; a server that cannot say gives the default.
  const databaseSizeBytes = await ctx.connections
    .use(profile, (pool) => readDatabaseSize(pool, database))
    .catch((e: unknown) => (ctx.log.warn(`schedule: the size of ${database} is unknown: ${errorText(e, VSCODE_ADVICE)}`), undefined));
  const files = generateSchedule({
    database,
    // The server as the job on it reaches it: the profile's host, as its SSH hop sees it when it has one.
    connection: { host: profile.host, port: profile.port, user: profile.user, ...(profile.sslmode ? { sslmode: profile.sslmode } : {}) },
    backupDir: s.directory,
    ...(databaseSizeBytes !== undefined ? { databaseSizeBytes } : {}),
    keep: s.keepLocal,
    ...(s.verifyAfterBackup !== 'none' ? { verify: s.verifyAfterBackup } : {}),
    ...(s.driveFolderId ? { driveFolderId: s.driveFolderId } : {}),
  });
  const written = await writeSchedule(folder, files);
  const readme = written.find((p) => p.endsWith('README.md'));
  if (readme) await vscode.window.showTextDocument(vscode.Uri.file(readme), { preview: false });
  void vscode.window.showInformationMessage(
    `Wrote ${written.map((p) => basename(p)).join(', ')} to ${folder}. README.md (open) installs them on the server: copy pgdba-cli-${PGDBA_VERSION}.tgz and npm install -g it, create the user ${files.user}, its .pgpass and the backup folder, run pgdba doctor, install the units, enable the timer.`,
  );
  return written;
};

export const reveal: CommandFactory = (ctx) => async (arg?: unknown) => {
  const b = await backupFrom(ctx.backups, arg);
  if (!b) return;
  try {
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(b.path));
  } catch (e) {
    // A remote window (code-server, SSH) has no OS file manager on this side: give the path.
    ctx.log.warn(`revealFileInOS: ${e instanceof Error ? e.message : String(e)}`);
    await vscode.env.clipboard.writeText(b.path);
    void vscode.window.showInformationMessage(`${b.path} (path copied: this window cannot open a file manager where the file is)`);
  }
};

export const copyPath: CommandFactory = (ctx) => async (arg?: unknown) => {
  const b = await backupFrom(ctx.backups, arg);
  if (!b) return undefined;
  await vscode.env.clipboard.writeText(b.path);
  void vscode.window.setStatusBarMessage('PostgreSQL DBA: backup path copied', 3000);
  return b.path;
};
