// pgdba.runLoadTest: asks scale, clients (the seed's 40 by default, checked against what the
// server accepts) and duration, runs pgbench with a progress notification (live tps, Cancel),
// then shows the run. Arguments skip the questions: a profile name, a Servers node, or
// { profile, scale, clients, durationSeconds, threads?, keepDatabase? } (the e2e test's way).
import * as vscode from 'vscode';
import { resolveConnection } from '../../core/db/connection';
import type { ConnectionProfile } from '../../core/db/profile';
import { CancelledError } from '../../core/pgtools/proc';
import { runLoadTest, validateOptions, type LoadTestProgress } from '../../core/loadtest/runLoadTest';
import { readCapacity, type Capacity } from '../../core/loadtest/serverFacts';
import type { LoadTestRun } from '../../core/loadtest/types';
import type { CommandFactory } from '../ctx';
import { pickProfile } from '../pickProfile';
import { pickSavedRun, readSavedRun } from './loadTestPanel';

/** The seed's "projected future workload": 40 concurrent users. */
export const SEED_CLIENTS = 40;

interface Inputs {
  scale: number;
  clients: number;
  durationSeconds: number;
  threads?: number;
  keepDatabase?: boolean;
}

/** Arguments as the e2e test (or a keybinding) passes them; anything else means "ask". */
function inputsFromArg(arg: unknown): (Partial<Inputs> & { profile?: string }) | undefined {
  if (typeof arg !== 'object' || arg === null || !('scale' in arg || 'clients' in arg || 'durationSeconds' in arg)) return undefined;
  const a = arg as Record<string, unknown>;
  const n = (k: string) => (typeof a[k] === 'number' ? a[k] : undefined);
  return {
    profile: typeof a.profile === 'string' ? a.profile : undefined,
    scale: n('scale'),
    clients: n('clients'),
    durationSeconds: n('durationSeconds'),
    threads: n('threads'),
    keepDatabase: typeof a.keepDatabase === 'boolean' ? a.keepDatabase : undefined,
  };
}

async function askNumber(prompt: string, value: number, min: number, max: number, extra?: (n: number) => string | undefined): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Run Load Test (pgbench)',
    prompt,
    value: String(value),
    validateInput: (t) => {
      const n = Number(t);
      if (!/^\d+$/.test(t.trim()) || n < min || n > max) return `a whole number from ${min} to ${max}`;
      const note = extra?.(n);
      return note ? { message: note, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
    },
  });
  return text === undefined ? undefined : Number(text);
}

/** The questions; clients over the server's capacity are warned in the box and clipped on consent. */
async function askInputs(profile: ConnectionProfile, cap: Capacity): Promise<Inputs | undefined> {
  const scale = await askNumber('Scale (pgbench -s): 100,000 rows of pgbench_accounts per unit, about 15 MB', 10, 1, 100_000);
  if (scale === undefined) return undefined;
  const over = (n: number) =>
    n > cap.available
      ? `${profile.name} accepts ${cap.available} more connections (max_connections ${cap.maxConnections}, ${cap.inUse} in use): you will be asked to run with ${cap.available}`
      : undefined;
  let clients = await askNumber(
    `Concurrent clients (pgbench -c); the seed tests ${SEED_CLIENTS}. ${profile.name} accepts ${cap.available} more connections.`,
    Math.min(SEED_CLIENTS, Math.max(1, cap.available)),
    1,
    10_000,
    over,
  );
  if (clients === undefined) return undefined;
  if (clients > cap.available) {
    if (cap.available < 1)
      throw new Error(
        `${profile.name} accepts no more connections (max_connections ${cap.maxConnections}, ${cap.inUse} in use): free some, or raise max_connections`,
      );
    const clip = `Run with ${cap.available}`;
    const pick = await vscode.window.showWarningMessage(
      `${clients} clients do not fit: ${profile.name} accepts ${cap.available} more connections (max_connections ${cap.maxConnections}, ${cap.inUse} in use${cap.reserved ? `, ${cap.reserved} reserved` : ''}).`,
      { modal: true, detail: 'A PgBouncer in front of the server does not help here: pgbench connects to the server itself, to a database of its own.' },
      clip,
    );
    if (pick !== clip) return undefined;
    clients = cap.available;
  }
  const durationSeconds = await askNumber('Duration in seconds (pgbench -T)', 60, 1, 86_400);
  if (durationSeconds === undefined) return undefined;
  return { scale, clients, durationSeconds };
}

function describeProgress(p: LoadTestProgress): string {
  switch (p.phase) {
    case 'init':
      return `initialising ${p.database}: ${p.step.phase}${p.step.percent !== undefined ? ` ${p.step.percent}%` : ''}`;
    case 'run': {
      const lat = p.sample.latencyAvgMs === null ? '' : `, ${p.sample.latencyAvgMs.toFixed(1)} ms`;
      return `${Math.round(p.sample.t)} of ${p.durationSeconds} s — ${Math.round(p.sample.tps).toLocaleString('en-US')} tps${lat}${p.sample.failed ? `, ${p.sample.failed} failed` : ''}`;
    }
    case 'cleanup':
      return `dropping ${p.database}…`;
  }
}

export const runLoadTestCommand: CommandFactory =
  (ctx) =>
  async (arg?: unknown): Promise<LoadTestRun | undefined> => {
    const given = inputsFromArg(arg);
    const profile = await pickProfile(ctx, given ? given.profile : arg);
    if (!profile) return undefined;
    let inputs: Inputs | undefined;
    if (given) {
      inputs = {
        scale: given.scale ?? 1,
        clients: given.clients ?? SEED_CLIENTS,
        durationSeconds: given.durationSeconds ?? 60,
        threads: given.threads,
        keepDatabase: given.keepDatabase,
      };
      const invalid = validateOptions(inputs);
      if (invalid) throw new Error(`Load test: ${invalid}`);
    } else {
      const cap = await ctx.connections.use(profile, (pool) => readCapacity(pool));
      inputs = await askInputs(profile, cap);
    }
    if (!inputs) return undefined;
    const chosen = inputs;
    const target = await resolveConnection(profile, ctx.extension.secrets, process.env, ctx.connections.tunnel);
    const keepDatabase = chosen.keepDatabase ?? ctx.config.loadTestKeepDatabase;
    ctx.log.info(`load test on ${profile.name}: scale ${chosen.scale}, ${chosen.clients} clients, ${chosen.durationSeconds} s`);
    try {
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Load test on ${profile.name}`, cancellable: true },
        (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          let done = 0;
          // A window closed mid-run kills pgbench too, rather than leaving it loading the server.
          return ctx.loadTests.whileRunning(abort, () =>
            runLoadTest({
              target,
              ...chosen,
              keepDatabase,
              name: profile.name,
              tools: { pgBinDir: ctx.config.pgBinDir },
              signal: abort.signal,
              onProgress: (p) => {
                // The bar fills with the run's seconds; the init shows its own step.
                const pct = p.phase === 'run' ? Math.min(100, (p.sample.t / p.durationSeconds) * 100) : done;
                progress.report({ message: describeProgress(p), increment: pct - done });
                done = pct;
              },
            }),
          );
        },
      );
      ctx.log.info(
        `load test on ${profile.name}: ${run.summary.tps.toFixed(1)} tps, p95 ${run.percentiles.p95Ms.toFixed(2)} ms, ${run.summary.failed} failed; ${keepDatabase ? `kept ${run.config.database}` : `dropped ${run.config.database}`}`,
      );
      ctx.loadTests.show(run);
      return run;
    } catch (e) {
      if (e instanceof CancelledError) {
        void vscode.window.showInformationMessage('Load test cancelled: pgbench was stopped and its scratch database dropped.');
        return undefined;
      }
      throw e;
    }
  };

/** A saved run's file as the argument (the e2e test's way) skips the open dialog. */
export const openLoadTestRun: CommandFactory =
  (ctx) =>
  async (arg?: unknown): Promise<LoadTestRun | undefined> => {
    const run = arg instanceof vscode.Uri ? await readSavedRun(arg) : await pickSavedRun();
    if (run) ctx.loadTests.show(run);
    return run;
  };
