// A load test's data: what was asked, what the server was set to, what pgbench measured. Plain
// and serialisable: the panel, the saved .json files and the tests read the same objects.

export type PgbenchBuiltin = 'tpcb-like' | 'simple-update' | 'select-only';

export interface LoadTestConfig {
  /** pgbench -s: 100,000 pgbench_accounts rows per unit. */
  scale: number;
  /** pgbench -c */
  clients: number;
  /** pgbench -j */
  threads: number;
  /** pgbench -T */
  durationSeconds: number;
  builtin: PgbenchBuiltin;
  /** The scratch database the run created (pgdba_loadtest_…). */
  database: string;
  keepDatabase: boolean;
}

/** Key server settings at the time of the run, as SHOW prints them ("128MB"). */
export interface SettingsSnapshot {
  serverVersion: string;
  major: number;
  settings: Record<string, string>;
}

/** One `-P 1` progress line. Latency is null in a second when no transaction ended. */
export interface PerSecondSample {
  /** Seconds since the run started (pgbench's clock). */
  t: number;
  tps: number;
  latencyAvgMs: number | null;
  latencyStddevMs: number | null;
  failed: number;
}

/** Latency percentiles of every transaction of the run (from pgbench's -l log), in ms. */
export interface Percentiles {
  count: number;
  minMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** pgbench's own end-of-run report. */
export interface LoadTestSummary {
  transactions: number;
  failed: number;
  tps: number;
  latencyAvgMs: number;
  latencyStddevMs: number | null;
  initialConnectionMs: number | null;
  pgbenchVersion: string;
  /** Seconds pgbench -i took (create, generate, vacuum, keys). */
  initSeconds: number;
}

export interface LoadTestRun {
  /** Unique within a session; also in saved files. */
  id: string;
  /** "hotel · 40 clients · 10:42" */
  label: string;
  startedAt: string;
  /** user@host:port of the server, never a password. */
  target: string;
  config: LoadTestConfig;
  settingsSnapshot: SettingsSnapshot;
  perSecond: PerSecondSample[];
  percentiles: Percentiles;
  summary: LoadTestSummary;
}
