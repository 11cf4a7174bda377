// pgdba.runHealthCheck: the core's health report over one, several or all profiles, written as
// an untitled Markdown document (nothing lands in the person's workspace uninvited; they save
// it where they like, and it works with no folder open), with progress, Cancel, and the critical
// count in the notification. All logic is in src/core/health.
import { errorText } from '../../core/db/connectError';
import { VSCODE_ADVICE } from '../connectAdvice';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { describeProfile, type ConnectionProfile } from '../../core/db/profile';
import { renderMultiMarkdown, runHealthCheck, runMany, type MultiHealthReport, type ServerJob } from '../../core/health';
import type { Ctx } from '../ctx';
import { nodeData } from '../explorer/nodeData';
import { consoleConnection, consoleFailureText } from '../bouncer/bouncerConnection';
import type { BouncerHealthOptions } from '../../core/health/pgbouncer';

/** The PgBouncer section's console, for a profile that names a pgbouncerPort. */
export async function bouncerOptions(ctx: Ctx, p: ConnectionProfile): Promise<{ bouncer?: BouncerHealthOptions }> {
  if (p.pgbouncerPort === undefined) return {};
  const c = await consoleConnection(ctx, p);
  return { bouncer: { console: c, describeError: (e) => consoleFailureText(e, c) } };
}

export interface HealthCheckResult {
  report: MultiHealthReport;
  document: vscode.TextDocument;
}

/** The profile of a server node, a name or a list of names; else the person picks one, several or all. */
async function chooseProfiles(ctx: Ctx, arg: unknown): Promise<ConnectionProfile[] | undefined> {
  if (Array.isArray(arg) && arg.length > 0 && arg.every((n) => typeof n === 'string')) {
    const named = arg.map((n: string) => ctx.connections.find(n));
    if (named.every((p) => p !== undefined)) return named;
  }
  const name = typeof arg === 'string' ? arg : nodeData(arg)?.profileName;
  const named = typeof name === 'string' ? ctx.connections.find(name) : undefined;
  if (named) return [named];
  const all = ctx.connections.profiles();
  if (all.length === 0) {
    const open = 'Open Settings';
    if ((await vscode.window.showWarningMessage('No PostgreSQL connection is configured (setting pgdba.connections).', open)) === open) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'pgdba.connections');
    }
    return undefined;
  }
  if (all.length === 1) return all;
  const picked = await vscode.window.showQuickPick(
    all.map((p) => ({ label: p.name, description: describeProfile(p), picked: p.name === ctx.activeServer.chosen?.name, profile: p })),
    { canPickMany: true, placeHolder: 'Servers to check (the box at the top picks all)' },
  );
  return picked && picked.length > 0 ? picked.map((p) => p.profile) : undefined;
}

export function runHealthCheckCommand(ctx: Ctx) {
  return async (arg?: unknown): Promise<HealthCheckResult | undefined> => {
    const profiles = await chooseProfiles(ctx, arg);
    if (!profiles) return undefined;
    const cfg = ctx.config;
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Health check', cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          const jobs: ServerJob[] = profiles.map((p) => ({
            server: { name: p.name, target: describeProfile(p) },
            describeError: (e) => errorText(e, VSCODE_ADVICE),
            // signal: Cancel, or this server's deadline (runMany): a stalled server becomes a row with its reason.
            run: async (signal) => {
              const bouncer = await bouncerOptions(ctx, p);
              return ctx.connections.use(p, (pool) =>
                runHealthCheck({
                  server: { name: p.name, target: describeProfile(p) },
                  pool,
                  host: p.host,
                  // Through the profile's hop, the host facts come from its machine (hostSourceFor).
                  ...(p.ssh ? { ssh: p.ssh, openSsh: () => Promise.resolve(ctx.connections.host(p)) } : {}),
                  thresholds: cfg.thresholds,
                  hardware: cfg.hardware,
                  // The folder Back Up Database writes to; one that does not exist yet means none taken here.
                  ...(existsSync(cfg.backup.directory) ? { backupDir: cfg.backup.directory } : {}),
                  signal,
                  // The window's earlier report of this server: only what its log gained is read.
                  slowLog: ctx.slowLogs.of(p.name),
                  ...bouncer,
                  onCheck: (label) => progress.report({ message: `${p.name}: ${label}` }),
                }),
              );
            },
          }));
          return await runMany(jobs, 4, ac.signal);
        } finally {
          sub.dispose();
        }
      },
    );
    if (allCancelled(report)) {
      void vscode.window.showInformationMessage('Health check cancelled.');
      return undefined;
    }
    for (const s of report.servers) if (!s.ok) ctx.log.warn(`health check: ${s.server.name}: ${s.error}`);
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: renderMultiMarkdown(report) });
    await vscode.window.showTextDocument(document, { preview: false });
    const unreachable = report.servers.filter((s) => !s.ok).length;
    const warnings = report.servers.reduce((n, s) => n + (s.ok ? s.report.summary.counts.warning : 0), 0);
    const where = report.servers.length === 1 ? `on ${profiles[0]!.name}` : `over ${report.servers.length} servers`;
    const text = `Health check ${where}: ${report.critical} critical, ${warnings} warning${unreachable ? ` (${unreachable} unreachable)` : ''}.`;
    const shown = report.critical > 0 ? vscode.window.showWarningMessage(text, 'Open Preview') : vscode.window.showInformationMessage(text, 'Open Preview');
    void shown.then((pick) => {
      if (pick) void vscode.commands.executeCommand('markdown.showPreview', document.uri);
    });
    return { report, document };
  };
}

/** Every server was cancelled: nothing to show. */
function allCancelled(r: MultiHealthReport): boolean {
  return r.servers.length > 0 && r.servers.every((s) => !s.ok && s.error === 'cancelled');
}
