// What linting takes from the rest of the extension, read in this one place: the settings it
// lints with (pgdba.pgVersion, else the active server's major; the hardware profile), the active
// server's running values and host facts, and when either changes.
import type * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { PgdbaConfig } from '../config';
import type { ServerLintContext } from '../serverfiles/serverFiles';
import type { HostFacts } from '../../core/host/facts';

export interface LintEnvironment {
  /** Settings as the linter needs them: pgdba.pgVersion, else the active server's major (CLI flag, setting, connected server, default). */
  config(): PgdbaConfig;
  /** Running values of the active server, only when the lint is for that server's major. */
  runningValues(): Readonly<Record<string, string>> | undefined;
  /** A document of the server's own (pgdba-server:): that server's major, running values, host facts and files, once read. */
  serverFile(uri: vscode.Uri): ServerLintContext | undefined;
  /** The active server's host facts (its RAM, CPUs, disk), on the same condition. */
  hostFacts(): HostFacts | undefined;
  /** Settings changed, or the active server's major or running values did, or a server's files were read again. */
  onChange(listener: () => void): vscode.Disposable[];
}

export function lintEnvironment(ctx: Ctx): LintEnvironment {
  const config = () => (ctx.config.pgVersion !== undefined ? ctx.config : { ...ctx.config, pgVersion: ctx.activeServer.major });
  const forActive = () => {
    const major = ctx.activeServer.major;
    return major !== undefined && config().pgVersion === major;
  };
  return {
    config,
    runningValues: () => (forActive() ? ctx.activeServer.runningValues : undefined),
    hostFacts: () => (forActive() ? ctx.activeServer.hostFacts : undefined),
    serverFile: (uri) => (uri.scheme === 'pgdba-server' ? ctx.serverFiles.lintContext(uri) : undefined),
    onChange: (listener) => [ctx.onConfigChange(() => listener()), ctx.activeServer.onDidChange(listener), ctx.serverFiles.onDidReread(listener)],
  };
}
