// What every backup command shares: the profile resolved with its password (secret store or
// libpq's sources, never on a command line), and a progress notification whose Cancel aborts the
// core job — which kills pg_dump / pg_restore and removes its temp files.
import * as vscode from 'vscode';
import { resolveConnection, withDatabase, type PgConnection } from '../../core/db/connection';
import type { ConnectionProfile } from '../../core/db/profile';
import { CancelledError } from '../../core/pgtools/proc';
import type { ToolOptions } from '../../core/pgtools/tools';
import type { Ctx } from '../ctx';

export function targetFor(ctx: Ctx, profile: ConnectionProfile, database = profile.database): Promise<PgConnection> {
  return resolveConnection(withDatabase(profile, database), ctx.extension.secrets, process.env, ctx.connections.tunnel);
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
