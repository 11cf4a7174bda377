// A profile as the agents' tools reach it in VS Code: the window's pools and SSH hops, its advice
// for connect errors, and the health report's settings, as Run Health Check takes them.
import { existsSync } from 'node:fs';
import type { ToolServer } from '../../core/agents/agentTool';
import { errorText } from '../../core/db/connectError';
import { describeProfile, type ConnectionProfile } from '../../core/db/profile';
import { SERVER_TIMEOUT_MS } from '../../core/health';
import { VSCODE_ADVICE } from '../connectAdvice';
import type { Ctx } from '../ctx';
import { bouncerOptions } from '../health/runHealthCheck';

export async function vscodeToolServer(ctx: Ctx, p: ConnectionProfile): Promise<ToolServer> {
  const cfg = ctx.config;
  return {
    name: p.name,
    target: describeProfile(p),
    profile: p,
    use: (fn) => ctx.connections.use(p, fn),
    ...(p.ssh ? { openSsh: () => Promise.resolve(ctx.connections.host(p)) } : {}),
    describeError: (e) => errorText(e, VSCODE_ADVICE),
    health: {
      thresholds: cfg.thresholds,
      hardware: cfg.hardware,
      ...(existsSync(cfg.backup.directory) ? { backupDir: cfg.backup.directory } : {}),
      ...(await bouncerOptions(ctx, p)),
      // The same memory as Run Health Check's: a report asked by an agent reads only what the log gained.
      slowLog: ctx.slowLogs.of(p.name),
    },
    explainTimeoutMs: cfg.explainTimeoutMs,
    healthTimeoutMs: SERVER_TIMEOUT_MS,
  };
}
