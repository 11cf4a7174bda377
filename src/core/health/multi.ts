// A report over many servers (the seed's 25 hotels): each server checked on its own, a few at a
// time; one that cannot be reached becomes a row with the reason, never a failed report.
import { LEVEL_RANK, worstLevel } from './levels';
import type { HealthLevel, HealthReport, MultiHealthReport, ServerInfo, ServerOutcome } from './types';

export interface ServerJob {
  server: Pick<ServerInfo, 'name' | 'target'>;
  run: () => Promise<HealthReport>;
  /** Words for a failure (e.g. explainConnectError with the front end's advice); the error's message otherwise. */
  describeError?: (e: unknown) => string;
}

export async function runMany(jobs: readonly ServerJob[], concurrency = 4, signal?: AbortSignal): Promise<MultiHealthReport> {
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
        outcomes[i] = { ok: true, report: await job.run() };
      } catch (e) {
        outcomes[i] = { ok: false, server: job.server, error: job.describeError?.(e) ?? (e instanceof Error ? e.message : String(e)) };
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
