import * as vscode from 'vscode';
import type { ConnectionProfile } from '../core/db/profile';
import { describeProfile } from '../core/db/profile';
import type { Ctx } from './ctx';
import { nodeData } from './explorer/nodeData';

/** The profile named by a tree node or argument, the only one, the active one, or the one the person picks. */
export async function pickProfile(ctx: Ctx, arg?: unknown): Promise<ConnectionProfile | undefined> {
  const byName = (n: unknown) => (typeof n === 'string' ? ctx.connections.find(n) : undefined);
  const fromArg = byName(arg) ?? byName(nodeData(arg)?.profileName);
  if (fromArg) return fromArg;
  const all = ctx.connections.profiles();
  if (all.length === 0) {
    const open = 'Open Settings';
    const pick = await vscode.window.showWarningMessage('No PostgreSQL connection is configured (setting pgdba.connections).', open);
    if (pick === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'pgdba.connections');
    return undefined;
  }
  if (all.length === 1) return all[0];
  // Several: the active connection (status bar) answers for the palette, as in other DB tools.
  const active = ctx.activeServer.chosen;
  if (active) return active;
  const item = await vscode.window.showQuickPick(
    all.map((p) => ({ label: p.name, description: describeProfile(p), profile: p })),
    { placeHolder: 'Which connection?' },
  );
  return item?.profile;
}
