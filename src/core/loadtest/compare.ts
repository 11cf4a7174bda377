// Two runs side by side (before and after a configuration change): how throughput and latency
// moved, which settings differ, and whether the runs were comparable at all.
import type { LoadTestRun } from './types';

export interface Delta {
  before: number;
  after: number;
  /** after − before */
  change: number;
  /** change / before × 100; null when before is 0 */
  pct: number | null;
  /** Whether the change is for the better (more tps, less latency), or null when none. */
  better: boolean | null;
}

export interface SettingChange {
  name: string;
  before: string | undefined;
  after: string | undefined;
}

export interface RunComparison {
  tps: Delta;
  latencyAvgMs: Delta;
  p50Ms: Delta;
  p90Ms: Delta;
  p95Ms: Delta;
  p99Ms: Delta;
  maxMs: Delta;
  failed: Delta;
  settings: SettingChange[];
  /** Differences of the runs' own set-up that make the numbers not like for like. */
  caveats: string[];
}

function delta(before: number, after: number, higherIsBetter: boolean): Delta {
  const change = after - before;
  return { before, after, change, pct: before === 0 ? null : (change / before) * 100, better: change === 0 ? null : higherIsBetter ? change > 0 : change < 0 };
}

export function compareRuns(before: LoadTestRun, after: LoadTestRun): RunComparison {
  const names = [...new Set([...Object.keys(before.settingsSnapshot.settings), ...Object.keys(after.settingsSnapshot.settings)])].sort();
  const settings: SettingChange[] = [];
  if (before.settingsSnapshot.serverVersion !== after.settingsSnapshot.serverVersion) {
    settings.push({ name: 'server_version', before: before.settingsSnapshot.serverVersion, after: after.settingsSnapshot.serverVersion });
  }
  for (const name of names) {
    const b = before.settingsSnapshot.settings[name];
    const a = after.settingsSnapshot.settings[name];
    if (b !== a) settings.push({ name, before: b, after: a });
  }
  const caveats: string[] = [];
  const bc = before.config;
  const ac = after.config;
  for (const [key, label] of [
    ['scale', 'scale'],
    ['clients', 'clients'],
    ['threads', 'threads'],
    ['durationSeconds', 'duration (s)'],
    ['builtin', 'script'],
  ] as const) {
    if (bc[key] !== ac[key]) caveats.push(`${label} differs: ${bc[key]} → ${ac[key]}`);
  }
  if (before.target.replace(/\/.*$/, '') !== after.target.replace(/\/.*$/, ''))
    caveats.push(`different servers: ${before.target.replace(/\/.*$/, '')} → ${after.target.replace(/\/.*$/, '')}`);
  const p = (r: LoadTestRun) => r.percentiles;
  return {
    tps: delta(before.summary.tps, after.summary.tps, true),
    latencyAvgMs: delta(before.summary.latencyAvgMs, after.summary.latencyAvgMs, false),
    p50Ms: delta(p(before).p50Ms, p(after).p50Ms, false),
    p90Ms: delta(p(before).p90Ms, p(after).p90Ms, false),
    p95Ms: delta(p(before).p95Ms, p(after).p95Ms, false),
    p99Ms: delta(p(before).p99Ms, p(after).p99Ms, false),
    maxMs: delta(p(before).maxMs, p(after).maxMs, false),
    failed: delta(before.summary.failed, after.summary.failed, false),
    settings,
    caveats,
  };
}
