// One load test: a new scratch database, pgbench -i at the chosen scale, pgbench for N clients
// over T seconds with per-second progress parsed as it comes and every transaction's latency
// logged (-l) for the percentiles; then the scratch database is dropped — also on failure and on
// cancel. The password reaches pgbench through PGPASSWORD in its environment only.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { childEnv, databaseArgs, withClient, withDatabase, type PgConnection } from '../db/connection';
import { describeProfile } from '../db/profile';
import { CancelledError, killAll, startChild } from '../pgtools/proc';
import { findPgbench, type ToolOptions } from '../pgtools/tools';
import { LatencyHistogram } from './histogram';
import { isErrorLine, parseBanner, parseInitDone, parseInitLine, parseProgressLine, parseSummary, parseTxLogLine, type InitProgress } from './pgbenchOutput';
import { createScratch, dropScratch, scratchName, scratchNameProblem } from './scratchDb';
import { capacityProblem, readCapacity, readSettingsSnapshot } from './serverFacts';
import type { LoadTestRun, PerSecondSample, PgbenchBuiltin } from './types';

export interface LoadTestOptions {
  /** The server, through a database that exists (the scratch one is created beside it). */
  target: PgConnection;
  scale: number;
  clients: number;
  /** Default: min(clients, this machine's CPUs). */
  threads?: number;
  durationSeconds: number;
  builtin?: PgbenchBuiltin;
  /** Default: a new pgdba_loadtest_<time>_<random>. */
  database?: string;
  keepDatabase?: boolean;
  /** Shown in the run list ("hotel"); the run's label adds clients and time. */
  name?: string;
  tools?: ToolOptions;
  signal?: AbortSignal;
  onProgress?: (p: LoadTestProgress) => void;
  /** Each pgbench started (init, run): its pid, for tests that check nothing is left running. */
  onSpawn?: (pid: number) => void;
  /** Seconds past -T after which a pgbench still running is killed (pgbench 15 can hang when transactions fail). */
  graceSeconds?: number;
}

export type LoadTestProgress =
  | { phase: 'init'; database: string; step: InitProgress }
  | { phase: 'run'; sample: PerSecondSample; durationSeconds: number }
  | { phase: 'cleanup'; database: string };

const LIMITS = { scale: [1, 100_000], clients: [1, 10_000], durationSeconds: [1, 86_400], threads: [1, 1_000] } as const;

export function validateOptions(o: Pick<LoadTestOptions, 'scale' | 'clients' | 'durationSeconds' | 'threads'>): string | undefined {
  for (const key of ['scale', 'clients', 'durationSeconds', 'threads'] as const) {
    const v = o[key];
    if (v === undefined && key === 'threads') continue;
    const [lo, hi] = LIMITS[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) return `${key} must be a whole number from ${lo} to ${hi}`;
  }
  return undefined;
}

export async function runLoadTest(o: LoadTestOptions): Promise<LoadTestRun> {
  const invalid = validateOptions(o);
  if (invalid) throw new Error(invalid);
  const database = o.database ?? scratchName();
  const nameProblem = scratchNameProblem(database);
  if (nameProblem) throw new Error(nameProblem);
  if (o.signal?.aborted) throw new CancelledError('load test');
  const pgbench = await findPgbench(o.tools);
  const { settingsSnapshot, capacity } = await withClient(o.target, async (c) => ({
    settingsSnapshot: await readSettingsSnapshot(c),
    capacity: await readCapacity(c),
  }));
  const tooMany = capacityProblem(o.clients, capacity);
  if (tooMany) throw new Error(tooMany);
  const threads = Math.min(o.clients, o.threads ?? availableParallelism());
  const startedAt = new Date();

  const logDir = await mkdtemp(join(tmpdir(), 'pgdba-loadtest-'));
  try {
    await createScratch(o.target, database);
  } catch (e) {
    await rm(logDir, { recursive: true, force: true });
    throw e;
  }
  let succeeded = false;
  let failure: unknown;
  try {
    const scratch = withDatabase(o.target, database);
    const env = childEnv(scratch);
    env.PGAPPNAME = 'pgdba-loadtest';

    const init = await runPgbench(pgbench.path, ['-i', '-s', String(o.scale), ...databaseArgs(scratch, 'pgbench')], env, o, undefined, (line) => {
      const step = parseInitLine(line);
      if (step) o.onProgress?.({ phase: 'init', database, step });
    });
    if (init.code !== 0) throw new Error(`pgbench -i failed (exit ${init.code}): ${init.errors || 'no message'}`);

    const perSecond: PerSecondSample[] = [];
    const args = [
      '-c',
      String(o.clients),
      '-j',
      String(threads),
      '-T',
      String(o.durationSeconds),
      '-P',
      '1',
      '-b',
      o.builtin ?? 'tpcb-like',
      '-l',
      `--log-prefix=${join(logDir, 'tx')}`,
      ...databaseArgs(scratch, 'pgbench'),
    ];
    const deadlineMs = (o.durationSeconds + (o.graceSeconds ?? Math.max(30, o.durationSeconds / 2))) * 1000;
    const run = await runPgbench(pgbench.path, args, env, o, deadlineMs, (line) => {
      const sample = parseProgressLine(line);
      if (!sample) return;
      perSecond.push(sample);
      o.onProgress?.({ phase: 'run', sample, durationSeconds: o.durationSeconds });
    });
    if (run.timedOut)
      throw new Error(
        `pgbench did not stop ${Math.round(deadlineMs / 1000 - o.durationSeconds)} s after its ${o.durationSeconds} s and was killed (pgbench 15 hangs so when transactions fail${run.errors ? `: ${run.errors}` : ''}); the scratch database was dropped`,
      );
    const report = parseSummary(run.stdout);
    if (run.code !== 0 || !report) throw new Error(`pgbench failed (exit ${run.code}): ${run.errors || 'it printed no report'}`);
    const { histogram, failed } = await readTxLogs(logDir);

    succeeded = true;
    const time = startedAt.toISOString().slice(11, 19);
    return {
      id: randomBytes(6).toString('hex'),
      label: `${o.name ? `${o.name} · ` : ''}${o.clients} client${o.clients === 1 ? '' : 's'} · scale ${o.scale} · ${time} UTC`,
      startedAt: startedAt.toISOString(),
      target: describeProfile(withDatabase(o.target, database)),
      config: {
        scale: o.scale,
        clients: o.clients,
        threads,
        durationSeconds: o.durationSeconds,
        builtin: o.builtin ?? 'tpcb-like',
        database,
        keepDatabase: !!o.keepDatabase,
      },
      settingsSnapshot,
      perSecond,
      percentiles: histogram.percentiles(),
      summary: {
        ...report,
        failed: Math.max(report.failed, failed),
        pgbenchVersion: parseBanner(run.stdout) ?? pgbench.text,
        initSeconds: parseInitDone(init.stderr) ?? 0,
      },
    };
  } catch (e) {
    failure = e;
    throw e;
  } finally {
    await rm(logDir, { recursive: true, force: true });
    if (!(succeeded && o.keepDatabase)) {
      o.onProgress?.({ phase: 'cleanup', database });
      try {
        await dropScratch(o.target, database);
      } catch (e) {
        // Said with the run's own error, if any: the person must learn the database is left.
        const why = failure instanceof Error ? `${failure.message}; also, ` : '';
        throw new Error(
          `${why}the scratch database "${database}" could not be dropped (${(e as Error).message}): drop it with DROP DATABASE "${database}" WITH (FORCE)`,
        );
      }
    }
  }
}

interface PgbenchExit {
  code: number;
  stdout: string;
  stderr: string;
  /** pgbench's error lines, for messages. */
  errors: string;
  timedOut: boolean;
}

function runPgbench(
  path: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  o: Pick<LoadTestOptions, 'signal' | 'onSpawn'>,
  deadlineMs: number | undefined,
  onLine: (line: string) => void,
): Promise<PgbenchExit> {
  const signal = o.signal;
  if (signal?.aborted) return Promise.reject(new CancelledError('load test'));
  const errors: string[] = [];
  const stderr: string[] = [];
  const child = startChild('pgbench', path, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    onStderrLine: (line) => {
      stderr.push(line);
      if (isErrorLine(line) && errors.length < 6) errors.push(line.replace(/^pgbench: /, ''));
      onLine(line);
    },
  });
  if (child.proc.pid !== undefined) o.onSpawn?.(child.proc.pid);
  const out: Buffer[] = [];
  child.proc.stdout?.on('data', (b: Buffer) => out.push(b));
  let timedOut = false;
  const onAbort = () => killAll([child]);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    deadlineMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          killAll([child]);
        }, deadlineMs);
  return child.done.then((code) => {
    signal?.removeEventListener('abort', onAbort);
    clearTimeout(timer);
    if (signal?.aborted) throw new CancelledError('load test');
    const tail = child.stderrTail();
    return {
      code,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: stderr.join('\n'),
      errors: errors.join('; ') || (code !== 0 ? tail.split('\n').slice(-2).join('; ') : ''),
      timedOut,
    };
  });
}

/** Every -l log file of the run (one per thread): latencies into the histogram, failures counted. */
export async function readTxLogs(dir: string): Promise<{ histogram: LatencyHistogram; failed: number }> {
  const histogram = new LatencyHistogram();
  let failed = 0;
  for (const f of (await readdir(dir)).filter((n) => n.startsWith('tx.')).sort()) {
    const lines = createInterface({ input: createReadStream(join(dir, f), 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      const tx = parseTxLogLine(line);
      if (!tx) continue;
      if (tx.failed) failed++;
      else if (tx.latencyUs !== undefined) histogram.add(tx.latencyUs);
    }
  }
  return { histogram, failed };
}
