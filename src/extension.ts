// activate(): builds the services (Ctx), registers the views and the command table; no logic of its own.
import type * as vscode from 'vscode';
import { Ctx } from './vscode/ctx';
import { COMMANDS } from './vscode/commands';
import { registerExplorer } from './vscode/explorer/registerExplorer';
import { registerLint } from './vscode/lint/registerLint';
import { registerBackups } from './vscode/backup/registerBackups';
import { registerServerFiles } from './vscode/serverfiles/serverFileCommands';
import { registerBouncer } from './vscode/bouncer/registerBouncer';
import { registerLogs } from './vscode/logs/logCommands';
import { registerAgentTools } from './vscode/agents/registerAgentTools';
import type { TestChannel } from './vscode/testChannel';

export interface PgdbaApi {
  /** Milliseconds activate() took: read by the activation benchmark and the e2e smoke test. */
  activationMs: number;
  /** The one test channel, only when VS Code runs the extension's tests (ExtensionMode.Test). */
  test: TestChannel | undefined;
}

export function activate(context: vscode.ExtensionContext): PgdbaApi {
  const started = performance.now();
  const ctx = new Ctx(context);

  registerExplorer(ctx);
  registerLint(ctx);
  registerBackups(ctx);
  registerServerFiles(ctx);
  registerBouncer(ctx);
  registerLogs(ctx);
  registerAgentTools(ctx);
  for (const [name, factory] of Object.entries(COMMANDS)) ctx.registerCommand(name, factory);

  const activationMs = performance.now() - started;
  ctx.log.info(`pgdba activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, test: ctx.test };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
