// The load test's core without a server: pgbench's real output parsed (fixtures captured by
// scripts/genPgbenchFixtures.ts from pgbench 15 against PostgreSQL 16), percentiles against an
// exact computation, the comparison of two runs, saved files and the panel's protocol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isErrorLine,
  parseBanner,
  parseInitDone,
  parseInitLine,
  parseProgressLine,
  parseSummary,
  parseTxLogLine,
} from '../../../../src/core/loadtest/pgbenchOutput';
import { LatencyHistogram } from '../../../../src/core/loadtest/histogram';
import { compareRuns } from '../../../../src/core/loadtest/compare';
import { parseSavedRun, serialiseRun } from '../../../../src/core/loadtest/savedRun';
import { parseWebviewMessage } from '../../../../src/core/loadtest/loadtestProtocol';
import { capacityProblem } from '../../../../src/core/loadtest/serverFacts';
import { scratchName, scratchNameProblem } from '../../../../src/core/loadtest/scratchDb';
import { validateOptions } from '../../../../src/core/loadtest/runLoadTest';
import type { LoadTestRun } from '../../../../src/core/loadtest/types';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'pgbench');
const fixture = (name: string) => readFileSync(join(DIR, name), 'utf8');
const savedRun = (name: string): LoadTestRun => {
  const r = parseSavedRun(fixture(name));
  assert.ok('run' in r, 'error' in r ? r.error : '');
  return r.run;
};

test('progress lines of a real run: one sample per second with tps, latency and failures', () => {
  const samples = fixture('run.stderr.txt')
    .split('\n')
    .map(parseProgressLine)
    .filter((s) => s !== undefined);
  // -T 3 on a loaded machine: two or three lines (the last, partial second may have none).
  assert.ok(samples.length >= 2 && samples.length <= 3);
  assert.deepEqual(
    samples.map((s) => s.t),
    [1, 2, 3].slice(0, samples.length),
  );
  for (const s of samples) {
    assert.ok(s.tps > 0);
    assert.ok(s.latencyAvgMs! > 0 && s.latencyStddevMs! >= 0);
    assert.equal(s.failed, 0);
  }
  assert.equal(parseProgressLine('starting vacuum...end.'), undefined);
});

test('failed transactions are counted, and a second without transactions has no latency', () => {
  const samples = fixture('failures-hang.stderr.txt')
    .split('\n')
    .map(parseProgressLine)
    .filter((s) => s !== undefined);
  assert.ok(samples.length >= 4);
  assert.ok(samples[0]!.failed > 0, 'the first second of the conflicting run had failures');
  const idle = samples.find((s) => s.tps === 0);
  assert.ok(idle, 'pgbench 15 went on printing 0 tps when it hung');
  assert.equal(idle.latencyAvgMs, null);
  assert.equal(idle.latencyStddevMs, null);
  // Older and --rate forms.
  assert.deepEqual(parseProgressLine('progress: 5.0 s, 10.0 tps, lat 2.5 ms stddev NaN'), {
    t: 5,
    tps: 10,
    latencyAvgMs: 2.5,
    latencyStddevMs: null,
    failed: 0,
  });
  assert.equal(parseProgressLine('progress: 2.0 s, 100.0 tps, lat 1.0 ms stddev 0.1, lag 0.2 ms, 3 failed')?.failed, 3);
});

test('the init progress and its duration', () => {
  const steps = fixture('init.stderr.txt')
    .split('\n')
    .map(parseInitLine)
    .filter((s) => s !== undefined);
  assert.deepEqual(
    steps.map((s) => s.phase),
    ['dropping old tables', 'creating tables', 'generating data', 'generating data', 'generating data', 'vacuuming', 'creating primary keys'],
  );
  assert.deepEqual(
    steps.filter((s) => s.percent !== undefined).map((s) => s.percent),
    [50, 100],
  );
  assert.ok(parseInitDone(fixture('init.stderr.txt'))! > 0);
});

test("pgbench's summary: transactions, failures, tps, latency, banner", () => {
  const out = fixture('run.stdout.txt');
  const s = parseSummary(out);
  assert.ok(s);
  const processed = Number(/actually processed: (\d+)/.exec(out)![1]);
  assert.equal(s.transactions, processed);
  assert.equal(s.failed, 0);
  assert.ok(s.tps > 0 && s.latencyAvgMs > 0 && s.latencyStddevMs! > 0 && s.initialConnectionMs! > 0);
  assert.equal(parseBanner(out), '15.18');
  assert.equal(parseSummary(fixture('failures-hang.stdout.txt')), undefined, 'a killed run has no report');
  // PostgreSQL 13's wording.
  assert.equal(
    parseSummary(
      'number of transactions actually processed: 10\nlatency average = 1.0 ms\ntps = 9.5 (including connections establishing)\ntps = 9.9 (excluding connections establishing)\n',
    )?.tps,
    9.9,
  );
});

test('the per-transaction log: every transaction of the summary, latencies consistent with its average', () => {
  const lines = fixture('run.log.txt').trim().split('\n');
  const h = new LatencyHistogram();
  for (const l of lines) {
    const tx = parseTxLogLine(l);
    assert.ok(tx && !tx.failed && tx.latencyUs !== undefined, l);
    h.add(tx.latencyUs);
  }
  const s = parseSummary(fixture('run.stdout.txt'))!;
  const p = h.percentiles();
  assert.equal(p.count, s.transactions);
  assert.ok(Math.abs(p.meanMs - s.latencyAvgMs) < 0.01, `log mean ${p.meanMs} vs pgbench's ${s.latencyAvgMs}`);
  assert.ok(p.minMs <= p.p50Ms && p.p50Ms <= p.p90Ms && p.p90Ms <= p.p95Ms && p.p95Ms <= p.p99Ms && p.p99Ms <= p.maxMs);
  assert.deepEqual(parseTxLogLine('3 17 failed 0 1795657512 575601'), { client: 3, failed: true, endEpoch: 1795657512.575601 });
  assert.equal(parseTxLogLine('3 17 skipped 0 1795657512 575601')?.failed, false);
  assert.equal(parseTxLogLine('garbage'), undefined);
});

test('histogram percentiles are within 0.05% of the exact nearest-rank values', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const values: number[] = [];
  const h = new LatencyHistogram();
  for (let i = 0; i < 50_000; i++) {
    // Long-tailed, like latencies: 200 µs to ~2 s.
    const v = Math.round(200 * Math.exp(rand() * 9));
    values.push(v);
    h.add(v);
  }
  values.sort((a, b) => a - b);
  for (const p of [50, 90, 95, 99, 99.9, 100]) {
    const exact = values[Math.ceil((p / 100) * values.length) - 1]!;
    const got = h.percentileUs(p);
    assert.ok(Math.abs(got - exact) / exact <= 0.0005, `p${p}: ${got} vs ${exact}`);
  }
  assert.equal(h.percentileUs(100), values.at(-1));
  assert.ok(Number.isNaN(new LatencyHistogram().percentileUs(50)));
  const one = new LatencyHistogram();
  one.add(1234);
  assert.deepEqual([one.percentileUs(50), one.percentileUs(99)], [1234, 1234]);
});

test('comparing two recorded runs: deltas, their direction, the settings that differ', () => {
  const before = savedRun('run-before.json');
  const after = savedRun('run-after.json');
  const c = compareRuns(before, after);
  assert.equal(c.tps.change, after.summary.tps - before.summary.tps);
  assert.equal(c.tps.better, after.summary.tps > before.summary.tps);
  assert.equal(c.p95Ms.better, after.percentiles.p95Ms < before.percentiles.p95Ms);
  assert.ok(Math.abs(c.tps.pct! - ((after.summary.tps - before.summary.tps) / before.summary.tps) * 100) < 1e-9);
  assert.deepEqual(
    c.settings.map((s) => s.name),
    ['commit_delay', 'work_mem'],
  );
  assert.deepEqual(
    c.settings.find((s) => s.name === 'work_mem'),
    { name: 'work_mem', before: '4MB', after: '16MB' },
  );
  assert.deepEqual(c.caveats, []);
  const other = { ...after, config: { ...after.config, clients: 40 } };
  assert.deepEqual(compareRuns(before, other).caveats, ['clients differs: 8 → 40']);
  const same = compareRuns(before, before);
  assert.equal(same.tps.better, null);
  assert.deepEqual(same.settings, []);
});

test('saved runs round-trip; broken files are refused in words', () => {
  const run = savedRun('run-before.json');
  assert.deepEqual(parseSavedRun(serialiseRun(run)), { run });
  assert.match((parseSavedRun('{') as { error: string }).error, /not JSON/);
  assert.match((parseSavedRun('{"format":"x"}') as { error: string }).error, /not a pgdba load-test file/);
  assert.match((parseSavedRun('{"format":"pgdba-loadtest","version":9,"run":{}}') as { error: string }).error, /another version/);
  const broken = JSON.parse(serialiseRun(run)) as { run: { perSecond: unknown[] } };
  broken.run.perSecond.push({ t: 'x' });
  assert.match((parseSavedRun(JSON.stringify(broken)) as { error: string }).error, /run\.perSecond/);
});

test("the panel's protocol lets only well-formed messages through", () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'select', id: 'abc123' }), { type: 'select', id: 'abc123' });
  assert.deepEqual(parseWebviewMessage({ type: 'compare', beforeId: 'a', afterId: 'b', x: 1 }), { type: 'compare', beforeId: 'a', afterId: 'b' });
  for (const bad of [
    null,
    'ready',
    {},
    { type: 'select' },
    { type: 'save', id: '../../etc' },
    { type: 'compare', beforeId: 'a', afterId: 'a' },
    { type: 'run', sql: 'DROP DATABASE x' },
  ]) {
    assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
  }
});

test('input checks: clients against the capacity, scratch names, numbers', () => {
  const cap = { maxConnections: 100, reserved: 3, inUse: 10, superuser: false, available: 87 };
  assert.equal(capacityProblem(40, cap), undefined);
  assert.match(
    capacityProblem(120, cap)!,
    /120 clients do not fit: the server accepts 87 more connections \(max_connections 100, 10 in use, 3 reserved\)\. Use at most 87/,
  );
  assert.match(scratchName(new Date('2026-11-26T01:42:00Z')), /^pgdba_loadtest_20261126_0142_[0-9a-f]{4}$/);
  assert.equal(scratchNameProblem('pgdba_loadtest_x'), undefined);
  assert.match(scratchNameProblem('hotel')!, /must be named pgdba_loadtest_/);
  assert.equal(validateOptions({ scale: 1, clients: 40, durationSeconds: 60 }), undefined);
  assert.match(validateOptions({ scale: 0, clients: 40, durationSeconds: 60 })!, /scale must be a whole number from 1/);
  assert.match(validateOptions({ scale: 1, clients: 2.5, durationSeconds: 60 })!, /clients/);
  assert.equal(isErrorLine('pgbench: error: connection to server at "x" failed'), true);
  assert.equal(isErrorLine('progress: 1.0 s, 1.0 tps, lat 1 ms stddev 0, 0 failed'), false);
});
