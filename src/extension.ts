// activate(): builds the services and registers them; no logic of its own.
import type * as vscode from 'vscode';
import { Ctx } from './vscode/ctx';
import { showServerVersion } from './vscode/commands/showServerVersion';
import { registerExplorer } from './vscode/explorer/registerExplorer';
import type { ExplorerProvider } from './vscode/explorer/explorerProvider';
import { registerLint } from './vscode/lint/registerLint';
import { registerBackups } from './vscode/backup/registerBackups';
import { comparePlans, explain, explainAnalyze, openPlan } from './vscode/explain/explainCommands';
import { runHealthCheckCommand } from './vscode/health/runHealthCheck';
import { openLoadTestRun, runLoadTestCommand } from './vscode/loadtest/loadTestCommand';
import { openDashboard } from './vscode/dashboard/dashboardCommands';
import type { TestChannel } from './vscode/testChannel';

export interface PgdbaApi {
  /** Milliseconds activate() took: read by the activation benchmark and the e2e smoke test. */
  activationMs: number;
  /** The Servers view's provider: the e2e suite walks and reveals its nodes as a person would. */
  explorer: ExplorerProvider;
  /** The test channel (src/vscode/panel.ts): only when a test runner loaded the extension. */
  test: TestChannel | undefined;
}

export function activate(context: vscode.ExtensionContext): PgdbaApi {
  const started = performance.now();
  const ctx = new Ctx(context);

  const explorer = registerExplorer(ctx);
  ctx.registerCommand('showServerVersion', showServerVersion);
  ctx.registerCommand('showLog', () => () => ctx.log.show());
  registerLint(ctx);
  ctx.registerCommand('explainAnalyze', explainAnalyze);
  ctx.registerCommand('explain', explain);
  ctx.registerCommand('openPlan', openPlan);
  ctx.registerCommand('comparePlans', comparePlans);
  ctx.registerCommand('runHealthCheck', runHealthCheckCommand);
  registerBackups(ctx, explorer);
  ctx.registerCommand('runLoadTest', runLoadTestCommand);
  ctx.registerCommand('openLoadTestRun', openLoadTestRun);
  ctx.registerCommand('openDashboard', openDashboard);

  const activationMs = performance.now() - started;
  ctx.log.info(`pgdba activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, explorer, test: ctx.test };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
