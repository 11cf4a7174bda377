// The backups as the editor knows them: pgdba.backup.directory and the Drive folder, read through
// here, and one change event that every backup command fires when it changed a file. The tree's
// Backups nodes listen and re-read themselves alone: no server is asked anything.
import * as vscode from 'vscode';
import { listDriveFolder, openDrive, type DriveFile, type DriveSession } from '../../core/backup/driveClient';
import { listLocalBackups, type LocalBackup } from '../../core/backup/listing';
import { listRunStatuses, type BackupRunStatus } from '../../core/backup/runStatus';
import type { BackupSettings } from '../config';
import type { Ctx } from '../ctx';
import type { ConnectionProfile } from '../../core/db/profile';
import type { HostAccess } from '../../core/host/hostAccess';

export class BackupStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a backup, verification, restore, upload, download, deletion or retention. */
  readonly onDidChange = this.changed.event;
  /** The last listing of each Drive folder, so the Backups line counts Drive before it is expanded again. */
  private readonly driveFiles = new Map<string, DriveFile[]>();

  constructor(private readonly ctx: Ctx) {}

  get settings(): BackupSettings {
    return this.ctx.config.backup;
  }

  get directory(): string {
    return this.settings.directory;
  }

  /** The local backups, newest first (every database). */
  local(): Promise<LocalBackup[]> {
    return listLocalBackups(this.directory);
  }

  /** The profile's server machine, where its nightly timer runs: this one, or its SSH hop's (Connections.host). */
  machine(profile: ConnectionProfile): HostAccess {
    return this.ctx.connections.host(profile);
  }

  /** Each database's last backup run recorded in the directory. */
  lastRuns(): Promise<BackupRunStatus[]> {
    return listRunStatuses(this.directory);
  }

  /** A Drive session from the settings, or an error that says which setting is missing. */
  async drive(): Promise<{ session: DriveSession; folderId: string }> {
    const s = this.ctx.config.backup;
    if (!s.driveFolderId) throw new Error('No Google Drive folder is configured: set pgdba.backup.driveFolderId to the folder ID (the last part of its URL).');
    if (!s.driveCredentialsFile)
      throw new Error('No Google credentials: set pgdba.backup.driveCredentialsFile to the path of a service-account key or OAuth credentials file.');
    return { session: await openDrive({ credentialsFile: s.driveCredentialsFile }), folderId: s.driveFolderId };
  }

  /** Both Drive settings are there: the backup job uploads. */
  get driveConfigured(): boolean {
    const s = this.ctx.config.backup;
    return !!s.driveFolderId && !!s.driveCredentialsFile;
  }

  async listDrive(): Promise<DriveFile[]> {
    const { session, folderId } = await this.drive();
    const files = await listDriveFolder(session, folderId);
    this.driveFiles.set(folderId, files);
    return files;
  }

  knownDrive(folderId: string): DriveFile[] | undefined {
    return this.driveFiles.get(folderId);
  }

  /** Says that backups changed (the Drive folder is listed again when its branch is shown). */
  fire(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
