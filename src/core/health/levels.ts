// Levels: ranking, the worst of a list, counts, and a report's summary.
import { levelFor, type Threshold, type Thresholds } from '../stats/thresholds';
import type { Finding, HealthLevel, HealthSummary } from './types';

export const LEVEL_RANK: Record<HealthLevel, number> = { critical: 3, warning: 2, info: 1, ok: 0 };

export function worstLevel(levels: Iterable<HealthLevel>): HealthLevel {
  let worst: HealthLevel = 'ok';
  for (const l of levels) if (LEVEL_RANK[l] > LEVEL_RANK[worst]) worst = l;
  return worst;
}

/** A metric of the seed's table held against its threshold: ok, warning or critical. */
export function thresholdLevel(metric: keyof Thresholds, value: number, t: Threshold): { level: HealthLevel; threshold?: number } {
  const hit = levelFor(metric, value, t);
  return hit ? { level: hit.level, threshold: hit.threshold } : { level: 'ok' };
}

/** Most severe first; the order within a level is kept (schedule, then check order). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => LEVEL_RANK[b.f.level] - LEVEL_RANK[a.f.level] || a.i - b.i)
    .map((x) => x.f);
}

export function summarize(findings: readonly Finding[]): HealthSummary {
  const counts: Record<HealthLevel, number> = { critical: 0, warning: 0, info: 0, ok: 0 };
  for (const f of findings) counts[f.level]++;
  const top = sortFindings(findings)[0];
  return {
    worst: worstLevel(findings.map((f) => f.level)),
    counts,
    ...(top ? { top: { check: top.check, level: top.level, subject: top.subject, observed: top.observed } } : {}),
  };
}
