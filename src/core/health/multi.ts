// A report over many servers (the seed's 25 hotels): each server checked on its own, a few at a
// time; one that cannot be reached, or does not finish before its deadline (a stalled server),
// becomes a row with the reason, never a failed or hung report.
import { LEVEL_RANK, worstLevel } from './levels';
import type { HealthLevel, HealthReport, MultiHealthReport, ServerInfo, ServerOutcome } from './types';

export interface ServerJob {
  server: Pick<ServerInfo, 'name' | 'target'>;
  /** signal: aborted when the report is cancelled or the server's deadline passed. */
  run: (signal: AbortSignal) => Promise<HealthReport>;
  /** Words for a failure (e.g. explainConnectError with the front end's advice); the error's message otherwise. */
  describeError?: (e: unknown) => string;
}

/** A server's whole report (every check; the plan check explains up to 5 statements) normally takes seconds. */
export const SERVER_TIMEOUT_MS = 300_000;

/** The server's deadline passed: its own words, not a connect error's. */
class ServerDeadline extends Error {}

/** The job's report, or its failure once the deadline passed; either way its signal ends its work. */
async function runWithDeadline(job: ServerJob, timeoutMs: number, signal: AbortSignal | undefined): Promise<HealthReport> {
  const ac = new AbortController();
  const onAbort = () => ac.abort();
  signal?.addEventListener('abort', onAbort);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, fail) => {
    timer = setTimeout(() => {
      ac.abort();
      fail(new ServerDeadline(`no complete report within ${timeoutMs / 1000} s: the server may be stalled (disk, locks, network); its checks were stopped`));
    }, timeoutMs);
  });
  const run = job.run(ac.signal);
  run.catch(() => undefined); // after the deadline its failure is no one's news
  try {
    return await Promise.race([run, deadline]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

export async function runMany(
  jobs: readonly ServerJob[],
  concurrency = 4,
  signal?: AbortSignal,
  serverTimeoutMs = SERVER_TIMEOUT_MS,
): Promise<MultiHealthReport> {
  const outcomes: ServerOutcome[] = new Array<ServerOutcome>(jobs.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      const job = jobs[i];
      if (!job) return;
      if (signal?.aborted) {
        outcomes[i] = { ok: false, server: job.server, error: 'cancelled' };
        continue;
      }
      try {
        outcomes[i] = { ok: true, report: await runWithDeadline(job, serverTimeoutMs, signal) };
      } catch (e) {
        outcomes[i] = {
          ok: false,
          server: job.server,
          error: e instanceof ServerDeadline ? e.message : (job.describeError?.(e) ?? (e instanceof Error ? e.message : String(e))),
        };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker));
  return combine(outcomes);
}

export function combine(servers: ServerOutcome[], now = new Date()): MultiHealthReport {
  const levels: HealthLevel[] = servers.map((s) => (s.ok ? s.report.summary.worst : 'critical'));
  const critical = servers.reduce((n, s) => n + (s.ok ? s.report.summary.counts.critical : 1), 0);
  return { generatedAt: now.toISOString(), servers, worst: worstLevel(levels), critical };
}

/** Worst servers first, then by name: the order of the summary table. */
export function serverOrder(a: ServerOutcome, b: ServerOutcome): number {
  const rank = (s: ServerOutcome) => (s.ok ? LEVEL_RANK[s.report.summary.worst] : LEVEL_RANK.critical + 1);
  const name = (s: ServerOutcome) => (s.ok ? s.report.server.name : s.server.name);
  return rank(b) - rank(a) || name(a).localeCompare(name(b));
}
