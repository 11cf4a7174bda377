// What every backup command shares: the server as core's PgTarget (password from the secret
// store or libpq's sources, never on a command line), and a progress notification whose Cancel
// aborts the core job — which kills pg_dump / pg_restore and removes its temp files.
import * as vscode from 'vscode';
import { resolvePassword } from '../../core/db/passwordSource';
import type { ConnectionProfile } from '../../core/db/profile';
import { CancelledError } from '../../core/backup/proc';
import type { PgTarget } from '../../core/backup/target';
import type { ToolOptions } from '../../core/backup/tools';
import type { Ctx } from '../ctx';

export async function targetFor(ctx: Ctx, profile: ConnectionProfile, database = profile.database): Promise<PgTarget> {
  const { password } = await resolvePassword(profile, ctx.extension.secrets);
  return {
    host: profile.host,
    port: profile.port,
    user: profile.user,
    database,
    ...(password !== undefined ? { password } : {}),
    ...(profile.sslmode ? { sslmode: profile.sslmode } : {}),
  };
}

export function toolsFor(ctx: Ctx): ToolOptions {
  return { pgBinDir: ctx.config.pgBinDir };
}

export type Report = (message: string) => void;

/**
 * Runs job under a cancellable progress notification. Resolves undefined when the person
 * cancelled (said once, in a notification); any other failure is thrown to the command wrapper.
 */
export async function runJob<T>(ctx: Ctx, title: string, job: (signal: AbortSignal, report: Report) => Promise<T>): Promise<T | undefined> {
  const ac = new AbortController();
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const sub = token.onCancellationRequested(() => ac.abort());
      try {
        return await job(ac.signal, (message) => progress.report({ message }));
      } finally {
        sub.dispose();
      }
    });
  } catch (e) {
    if (ac.signal.aborted || e instanceof CancelledError) {
      ctx.log.info(`${title}: cancelled (${e instanceof Error ? e.message : String(e)})`);
      void vscode.window.showInformationMessage(`${title}: cancelled. Nothing was left behind.`);
      return undefined;
    }
    throw e;
  }
}
