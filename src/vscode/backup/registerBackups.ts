// Wires backups into the editor: the store, the Backups branch under each server (one node per
// server, re-read alone when the store changes), and the backup commands (which know the store,
// not the tree).
import type { Ctx } from '../ctx';
import type { ExplorerProvider } from '../explorer/explorerProvider';
import { backupCommands } from './backupCommands';
import { backupFileCommands } from './backupFileCommands';
import { BackupsNode } from './backupNodes';
import { BackupStore } from './backupStore';

export function registerBackups(ctx: Ctx, tree: ExplorerProvider): BackupStore {
  const store = new BackupStore(ctx);
  ctx.push(store);
  const nodes = new Map<string, BackupsNode>(); // by server node id
  tree.addServerBranches(async (session, serverId) => {
    const node = nodes.get(serverId) ?? new BackupsNode(serverId, session.profile, store);
    nodes.set(serverId, node);
    return [await node.load(session.profile)];
  });
  ctx.push(
    store.onDidChange(() => {
      for (const node of nodes.values()) {
        void node.load().then(
          () => tree.refresh(node),
          (e: unknown) => ctx.log.warn(`Backups: ${e instanceof Error ? e.message : String(e)}`),
        );
      }
    }),
  );
  const c = backupCommands(ctx, store);
  ctx.registerCommand('backupDatabase', c.backupDatabase);
  ctx.registerCommand('verifyBackup', c.verify);
  ctx.registerCommand('restoreBackup', c.restore);
  const f = backupFileCommands(ctx, store);
  ctx.registerCommand('uploadBackup', f.upload);
  ctx.registerCommand('downloadBackup', f.download);
  ctx.registerCommand('deleteBackup', f.remove);
  ctx.registerCommand('applyBackupRetention', f.retention);
  ctx.registerCommand('writeBackupSchedule', f.schedule);
  ctx.registerCommand('revealBackup', f.reveal);
  ctx.registerCommand('copyBackupPath', f.copyPath);
  return store;
}
