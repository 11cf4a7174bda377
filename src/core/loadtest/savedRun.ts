// A run saved to a .json file and read back. The file is untrusted input (hand-edited, another
// version, another tool's JSON): every field is checked before the panel shows it.
import type { LoadTestRun, PerSecondSample } from './types';

export const SAVED_FORMAT = 'pgdba-loadtest';
export const SAVED_VERSION = 1;

export function serialiseRun(run: LoadTestRun): string {
  return JSON.stringify({ format: SAVED_FORMAT, version: SAVED_VERSION, run }, null, 2) + '\n';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown) => v === null || isNum(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length <= 10_000;

function checkFields(o: unknown, where: string, fields: Record<string, (v: unknown) => boolean>): string | undefined {
  if (!isObj(o)) return `${where} is missing`;
  for (const [k, ok] of Object.entries(fields)) if (!ok(o[k])) return `${where}.${k} is missing or not valid`;
  return undefined;
}

const isSample = (v: unknown): v is PerSecondSample =>
  isObj(v) && isNum(v.t) && isNum(v.tps) && isNumOrNull(v.latencyAvgMs) && isNumOrNull(v.latencyStddevMs) && isNum(v.failed);

/** Checks a run (from a file or a message); returns what is wrong, in words, or undefined. */
export function runProblem(run: unknown): string | undefined {
  const r = run as Obj;
  return (
    checkFields(run, 'run', {
      id: isStr,
      label: isStr,
      startedAt: isStr,
      target: isStr,
      perSecond: (v) => Array.isArray(v) && v.length <= 1_000_000 && v.every(isSample),
    }) ??
    checkFields(r.config, 'run.config', {
      scale: isNum,
      clients: isNum,
      threads: isNum,
      durationSeconds: isNum,
      builtin: isStr,
      database: isStr,
      keepDatabase: (v) => typeof v === 'boolean',
    }) ??
    checkFields(r.settingsSnapshot, 'run.settingsSnapshot', {
      serverVersion: isStr,
      major: isNum,
      settings: (v) => isObj(v) && Object.values(v).every(isStr),
    }) ??
    checkFields(r.percentiles, 'run.percentiles', {
      count: isNum,
      minMs: isNum,
      p50Ms: isNum,
      p90Ms: isNum,
      p95Ms: isNum,
      p99Ms: isNum,
      maxMs: isNum,
      meanMs: isNum,
    }) ??
    checkFields(r.summary, 'run.summary', {
      transactions: isNum,
      failed: isNum,
      tps: isNum,
      latencyAvgMs: isNum,
      latencyStddevMs: isNumOrNull,
      initialConnectionMs: isNumOrNull,
      pgbenchVersion: isStr,
      initSeconds: isNum,
    })
  );
}

/** The run in a saved file's text, or an error that says what is wrong with the file. */
export function parseSavedRun(text: string): { run: LoadTestRun } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON (${(e as Error).message})` };
  }
  if (!isObj(data) || data.format !== SAVED_FORMAT) return { error: `not a pgdba load-test file (expected "format": "${SAVED_FORMAT}")` };
  if (data.version !== SAVED_VERSION)
    return { error: `saved by another version of pgdba (format version ${String(data.version)}, this one reads ${SAVED_VERSION})` };
  const problem = runProblem(data.run);
  return problem ? { error: problem } : { run: data.run as LoadTestRun };
}
