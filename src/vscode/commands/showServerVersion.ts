import * as vscode from 'vscode';
import { readServerVersion } from '../../core/db/serverInfo';
import type { Ctx } from '../ctx';
import { pickProfile } from '../pickProfile';

/** Shows the server's version; returns it, so tests and other commands can use the result. */
export const showServerVersion = (ctx: Ctx) => async (arg?: unknown) => {
  const profile = await pickProfile(ctx, arg);
  if (!profile) return undefined;
  const version = await ctx.connections.use(profile, (pool) => readServerVersion(pool));
  ctx.log.info(`${profile.name}: PostgreSQL ${version.text} (server_version_num ${version.num})`);
  void vscode.window.showInformationMessage(`${profile.name}: PostgreSQL ${version.text}`);
  return version;
};
