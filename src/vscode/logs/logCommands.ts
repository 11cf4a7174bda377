// The log panel's commands and its tree item: "Logs" under each server (its log_directory, read
// on the profile's machine or through SQL), and Open Log Files… for files the person picks.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { hostFileSource } from '../../core/logs';
import { localHost } from '../../core/host/localHost';
import type { CommandFactory, Ctx } from '../ctx';
import { leaf } from '../explorer/node';
import type { NodeData } from '../explorer/nodeData';
import { pickProfile } from '../pickProfile';
import { LogPanel } from './logPanel';
import { serverLogSources } from './serverLogSources';

export function registerLogs(ctx: Ctx): void {
  ctx.explorer.addServerBranches((session, serverId) => {
    const data: NodeData = { kind: 'server', profileName: session.profile.name };
    return Promise.resolve([
      leaf(`${serverId}/logs`, 'Logs', {
        icon: new vscode.ThemeIcon('output'),
        description: 'slow statements, errors, connections',
        tooltip: "Open the server's log in the log panel: its log_directory on the server's machine (SSH or local), or through SQL",
        command: { command: 'pgdba.openServerLogs', title: 'Open Logs', arguments: [data] },
        contextValue: 'pgdba.logs',
      }),
    ]);
  });
}

/** Returns the panel (the e2e suite reads its report). */
export const openServerLogs: CommandFactory = (ctx) => async (arg?: unknown) => {
  const profile = await pickProfile(ctx, arg);
  if (!profile) return undefined;
  return new LogPanel(ctx, { title: profile.name, profile, load: () => serverLogSources(ctx, profile) });
};

/** Files picked in a dialog, or given as paths (the e2e suite). */
export const openLogFiles: CommandFactory = (ctx) => async (arg?: unknown) => {
  const given = Array.isArray(arg) && arg.every((p) => typeof p === 'string') ? arg : undefined;
  const paths =
    given ??
    (
      await vscode.window.showOpenDialog({
        title: 'PostgreSQL or PgBouncer log files',
        canSelectMany: true,
        openLabel: 'Open Logs',
        filters: { 'Log files': ['log', 'csv', 'json', 'gz', 'txt'], 'All files': ['*'] },
      })
    )?.map((u) => u.fsPath);
  if (!paths?.length) return undefined;
  const title = paths.length === 1 ? basename(paths[0]!) : `${paths.length} files`;
  return new LogPanel(ctx, {
    title,
    load: () =>
      Promise.resolve({
        sources: paths.map((p) => hostFileSource(localHost, p)),
        info: { kind: 'files', text: paths.length === 1 ? paths[0]! : `${paths.length} files on this machine`, files: paths },
        prefix: undefined,
      }),
  });
};
