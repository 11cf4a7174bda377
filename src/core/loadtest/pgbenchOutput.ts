// Parsers of pgbench's output (13–18 formats; fixtures from a real pgbench 15 in
// test/fixtures/pgbench): the -P progress lines, the -i progress, the end-of-run summary, and
// the per-transaction -l log.
import type { LoadTestSummary, PerSecondSample } from './types';

const num = (s: string | undefined): number | null => {
  if (s === undefined) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

/** "progress: 1.0 s, 2344.9 tps, lat 1.562 ms stddev 0.858, 0 failed" (", lag …" with --rate). */
export function parseProgressLine(line: string): PerSecondSample | undefined {
  const m = /^progress: ([\d.]+) s, ([\d.]+|nan|-?nan) tps, lat ([\w.-]+) ms stddev ([\w.-]+)(?:, (?:lag [\d.]+ ms, )?(\d+) failed)?/i.exec(line.trim());
  if (!m) return undefined;
  const t = num(m[1]);
  const tps = num(m[2]) ?? 0;
  if (t === null) return undefined;
  // A second in which no transaction ended prints "lat 0.000 ms" (or NaN on older pgbench): no latency.
  const ended = tps > 0;
  return {
    t,
    tps,
    latencyAvgMs: ended ? num(m[3]) : null,
    latencyStddevMs: ended ? num(m[4]) : null,
    failed: num(m[5]) ?? 0,
  };
}

export interface InitProgress {
  phase: string;
  /** 0–100 while generating data. */
  percent?: number;
}

/** pgbench -i's stderr: "creating tables...", "100000 of 200000 tuples (50%) done (…)", "vacuuming...". */
export function parseInitLine(line: string): InitProgress | undefined {
  const t = line.trim();
  const rows = /^(\d+) of (\d+) tuples \((\d+)%\) done/.exec(t);
  if (rows) return { phase: 'generating data', percent: Number(rows[3]) };
  const phase = /^(dropping old tables|creating tables|generating data[^.]*|vacuuming|creating primary keys|creating foreign keys)\.\.\.$/.exec(t);
  if (phase) return { phase: phase[1]!.replace(/ \(.*\)$/, '') };
  return undefined;
}

/** "done in 0.52 s (drop tables …)." → 0.52 */
export function parseInitDone(stderr: string): number | undefined {
  const m = /^done in ([\d.]+) s/m.exec(stderr);
  return m ? Number(m[1]) : undefined;
}

export type PgbenchReport = Omit<LoadTestSummary, 'initSeconds' | 'pgbenchVersion'>;

/** pgbench's stdout at the end of a run, or undefined when it holds no report. */
export function parseSummary(stdout: string): PgbenchReport | undefined {
  const get = (re: RegExp) => num(re.exec(stdout)?.[1]);
  const transactions = get(/^number of transactions actually processed: (\d+)/m);
  // 14+: "(without initial connection time)"; 13: "(excluding connections establishing)".
  const tps = get(/^tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/m) ?? get(/^tps = ([\d.]+)/m);
  const latencyAvgMs = get(/^latency average = ([\d.]+) ms/m);
  if (transactions === null || tps === null || latencyAvgMs === null) return undefined;
  return {
    transactions,
    failed: get(/^number of failed transactions: (\d+)/m) ?? 0,
    tps,
    latencyAvgMs,
    latencyStddevMs: get(/^latency stddev = ([\d.]+) ms/m),
    initialConnectionMs: get(/^initial connection time = ([\d.]+) ms/m),
  };
}

/** "pgbench (15.18 (Debian …), server 16.14)" → "15.18" */
export function parseBanner(stdout: string): string | undefined {
  return /^pgbench \(([\d.]+)/m.exec(stdout)?.[1];
}

export interface TxLogLine {
  client: number;
  /** Latency in µs; undefined for a failed or skipped transaction. */
  latencyUs?: number;
  failed: boolean;
  /** Unix time of the transaction's end, in seconds (with µs). */
  endEpoch: number;
}

/**
 * One line of the -l log: "client_id transaction_no time script_no time_epoch time_us
 * [schedule_lag] [retries]"; time is "failed" (or serialization/deadlock with
 * --failures-detailed) or "skipped" when the transaction did not complete.
 */
export function parseTxLogLine(line: string): TxLogLine | undefined {
  const f = line.trim().split(/\s+/);
  if (f.length < 6) return undefined;
  const client = Number(f[0]);
  const epoch = Number(f[4]) + Number(f[5]) / 1e6;
  if (!Number.isInteger(client) || !Number.isFinite(epoch)) return undefined;
  const time = f[2]!;
  if (/^\d+$/.test(time)) return { client, latencyUs: Number(time), failed: false, endEpoch: epoch };
  if (time === 'skipped') return { client, failed: false, endEpoch: epoch };
  return { client, failed: true, endEpoch: epoch };
}

/** pgbench's error lines worth showing: "pgbench: error: …", "client 3 aborted …", FATAL/ERROR. */
export function isErrorLine(line: string): boolean {
  return /^pgbench: (error|fatal)|aborted in command|^(FATAL|ERROR):|could not connect|connection to server/i.test(line);
}
