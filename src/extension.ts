// activate(): builds the services and registers them; no logic of its own.
import * as vscode from 'vscode';
import { Ctx } from './vscode/ctx';
import { showServerVersion } from './vscode/commands/showServerVersion';
import { ServersTree } from './vscode/tree/serversTree';
import { registerLint } from './vscode/lint/registerLint';

export interface PgdbaApi {
  /** Milliseconds activate() took: read by the activation benchmark and the e2e smoke test. */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): PgdbaApi {
  const started = performance.now();
  const ctx = new Ctx(context);

  const servers = new ServersTree(ctx);
  ctx.push(vscode.window.registerTreeDataProvider('pgdba.servers', servers));

  ctx.registerCommand('showServerVersion', showServerVersion);
  ctx.registerCommand('refreshServers', () => () => {
    ctx.connections.reset();
    servers.refresh();
  });
  ctx.registerCommand('showLog', () => () => ctx.log.show());
  registerLint(ctx);

  const activationMs = performance.now() - started;
  ctx.log.info(`pgdba activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
