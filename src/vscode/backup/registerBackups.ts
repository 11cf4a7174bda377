// Wires backups into the editor: the Backups branch under each server and the backup commands.
import { listDriveFolder } from '../../core/backup/driveClient';
import type { Ctx } from '../ctx';
import type { ExplorerProvider } from '../explorer/explorerProvider';
import { backupCommands } from './backupCommands';
import { backupFileCommands, driveFromSettings } from './backupFileCommands';
import { backupsBranch, DriveListings } from './backupNodes';

export function registerBackups(ctx: Ctx, tree: ExplorerProvider): void {
  const listings = new DriveListings();
  tree.addServerBranches(async (session, serverId) => [
    await backupsBranch(session.profile, serverId, {
      settings: ctx.config.backup,
      listings,
      listDrive: async () => {
        const { session: drive, folderId } = await driveFromSettings(ctx);
        return listDriveFolder(drive, folderId);
      },
    }),
  ]);
  const c = backupCommands(ctx, tree);
  ctx.registerCommand('backupDatabase', c.backupDatabase);
  ctx.registerCommand('verifyBackup', c.verify);
  ctx.registerCommand('restoreBackup', c.restore);
  const f = backupFileCommands(ctx, tree);
  ctx.registerCommand('uploadBackup', f.upload);
  ctx.registerCommand('downloadBackup', f.download);
  ctx.registerCommand('deleteBackup', f.remove);
  ctx.registerCommand('applyBackupRetention', f.retention);
  ctx.registerCommand('writeBackupSchedule', f.schedule);
  ctx.registerCommand('revealBackup', f.reveal);
  ctx.registerCommand('copyBackupPath', f.copyPath);
}
