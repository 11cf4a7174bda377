// Wires backups into the tree: the Backups branch under each server, one node per server that
// re-reads itself alone when the backup store (ctx.backups) changes — no server is queried. The
// backup commands are in the command table; they know the store, not the tree.
import type { Ctx } from '../ctx';
import { BackupsNode } from './backupNodes';

export function registerBackups(ctx: Ctx): void {
  const tree = ctx.explorer;
  const store = ctx.backups;
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
}
