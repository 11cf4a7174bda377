// The dashboard core without a server: rates over counter resets, the history's bound, CSV,
// alerts on points (the tree's evaluators, raised once per crossing), what "Explain" can plan,
// and the panel protocol's checks in both directions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toPoint, POINT_FIELDS, type DashboardPoint } from '../../../../src/core/dashboard/rates';
import { History, historyCapacity, pointsToCsv } from '../../../../src/core/dashboard/history';
import { CrossingTracker, checkpointsPerMinute, pointAlerts } from '../../../../src/core/dashboard/dashboardAlerts';
import { DashboardSampler } from '../../../../src/core/dashboard/sampler';
import { explainability } from '../../../../src/core/dashboard/topQueries';
import { explainOptionList } from '../../../../src/core/explain/explainOptions';
import { isPoint, parseHostMessage, parseWebviewMessage } from '../../../../src/core/dashboard/dashboardProtocol';
import type { DashboardSample } from '../../../../src/core/dashboard/sampleQuery';
import { connectionAlerts } from '../../../../src/core/stats/alerts';
import { resolveThresholds } from '../../../../src/core/stats/thresholds';
import { recordedSamples } from '../../../support/dashboardSamples';

const base: DashboardSample = { ...recordedSamples(1)[0]!, idle: 18 };
const at = (s: Partial<DashboardSample>, seconds: number): DashboardSample => ({ ...base, ...s, atMs: base.atMs + seconds * 1000 });
const { thresholds } = resolveThresholds();

test('rates are counter deltas over the server-clock interval', () => {
  const a = at({}, 0);
  const b = at(
    {
      xactCommit: base.xactCommit + 500,
      xactRollback: base.xactRollback + 4,
      blksHit: base.blksHit + 990,
      blksRead: base.blksRead + 10,
      walBytes: base.walBytes + 2e6,
      tupInserted: base.tupInserted + 60,
      checkpoints: base.checkpoints + 1,
      buffersWritten: base.buffersWritten + 300,
    },
    2,
  );
  const p = toPoint(b, a);
  assert.equal(p.commitsPerSec, 250);
  assert.equal(p.rollbacksPerSec, 2);
  assert.equal(p.cacheHitPct, 99);
  assert.equal(p.blocksAccessed, 1000);
  assert.equal(p.walBytesPerSec, 1e6);
  assert.equal(p.tupInsertedPerSec, 30);
  assert.equal(p.checkpoints, 1);
  assert.equal(p.buffersWrittenPerSec, 150);
});

test('the first sample, a stats reset, a counter going backwards or a restart give a gap, never a negative rate', () => {
  const first = toPoint(at({}, 0));
  assert.equal(first.commitsPerSec, null, 'no previous sample');
  assert.equal(first.walBytesPerSec, null);
  const prev = at({}, 0);
  // pg_stat_reset(): stats_reset moved, counters restarted near zero
  const reset = toPoint(at({ dbResetKey: base.dbResetKey + 60, xactCommit: 12, blksHit: 100, blksRead: 1 }, 2), prev);
  assert.deepEqual([reset.commitsPerSec, reset.cacheHitPct, reset.tupReturnedPerSec], [null, null, null]);
  assert.notEqual(reset.walBytesPerSec, null, 'WAL position is not a stats counter: it keeps its rate');
  assert.notEqual(reset.buffersWrittenPerSec, null, 'the checkpointer counters were not reset');
  // a counter lower than before with the same reset key (e.g. a database dropped): gap too
  const backwards = toPoint(at({ xactCommit: base.xactCommit - 1000 }, 2), prev);
  assert.equal(backwards.commitsPerSec, null);
  // pg_stat_reset_shared('checkpointer')
  const ck = toPoint(at({ checkpointResetKey: base.checkpointResetKey + 5, checkpoints: 0, buffersWritten: 0 }, 2), prev);
  assert.deepEqual([ck.checkpoints, ck.buffersWrittenPerSec], [null, null]);
  assert.notEqual(ck.commitsPerSec, null);
  // a server restart: every counter starts again
  const restart = toPoint(at({ startedMs: base.startedMs + 3_600_000, xactCommit: 3, walBytes: base.walBytes + 100 }, 2), prev);
  for (const f of POINT_FIELDS) if (/PerSec$|^checkpoints$|^cacheHitPct$/.test(f)) assert.equal(restart[f], null, f);
  // gauges are still shown
  assert.equal(restart.active, base.active);
  // the same timestamp twice (nothing to divide by)
  assert.equal(toPoint(at({ xactCommit: base.xactCommit + 5 }, 0), prev).commitsPerSec, null);
});

test('over a recorded run with a reset half-way, no rate is ever negative and exactly one interval is a gap', () => {
  const sampler = new DashboardSampler(1000, thresholds);
  const points = recordedSamples(300).map((s) => sampler.add(s).point);
  const gaps = points.filter((p) => p.commitsPerSec === null).length;
  assert.equal(gaps, 2, 'the first point and the interval of the reset');
  for (const p of points) for (const f of POINT_FIELDS) assert.ok(p[f] === null || p[f] >= 0, `${f} = ${p[f]}`);
});

test('the history keeps the newest N points, oldest first', () => {
  const h = new History<number>(3);
  assert.deepEqual(h.toArray(), []);
  assert.equal(h.last(), undefined);
  for (let i = 1; i <= 7; i++) h.push(i);
  assert.deepEqual(h.toArray(), [5, 6, 7]);
  assert.equal(h.length, 3);
  assert.equal(h.last(), 7);
  h.clear();
  assert.deepEqual(h.toArray(), []);
  assert.throws(() => new History(0), /positive integer/);
  assert.equal(historyCapacity(2), 1800);
  assert.equal(historyCapacity(1), 3600);
  assert.equal(historyCapacity(60), 600);
  assert.equal(historyCapacity(0.1), 36_000);
  const sampler = new DashboardSampler(50, thresholds);
  for (const s of recordedSamples(120)) sampler.add(s);
  assert.equal(sampler.history.length, 50);
});

test('CSV: a header, ISO times, empty cells for gaps, CRLF lines', () => {
  const sampler = new DashboardSampler(10, thresholds);
  const pts = recordedSamples(10)
    .slice(0, 3)
    .map((s) => sampler.add(s).point);
  const csv = pointsToCsv(pts);
  const lines = csv.split('\r\n');
  assert.equal(lines.length, 5, 'header, 3 rows, and the final line break');
  assert.equal(lines[4], '');
  const header = lines[0]!.split(',');
  assert.equal(header[0], 'time');
  assert.equal(header.length, POINT_FIELDS.length);
  assert.ok(header.includes('commitsPerSec') && header.includes('connectionsPct'));
  const first = lines[1]!.split(',');
  assert.equal(first[0], '2026-11-26T09:00:00.000Z');
  assert.equal(first[header.indexOf('commitsPerSec')], '', 'the first point has no rate');
  const second = lines[2]!.split(',');
  assert.match(second[header.indexOf('commitsPerSec')]!, /^\d+(\.\d+)?$/);
  assert.equal(second[header.indexOf('maxConnections')], '100');
});

const point = (over: Partial<DashboardPoint>): DashboardPoint => ({ ...toPoint(at({}, 2), at({}, 0)), ...over });

test('a point raises the same connection alert as the tree, and a crossing is reported once', () => {
  const p = point({ active: 50, idle: 35, idleInTransaction: 0, otherState: 0, maxConnections: 100 });
  const alerts = pointAlerts([p], thresholds);
  assert.deepEqual(alerts, connectionAlerts({ connections: 85, maxConnections: 100 }, thresholds));
  const tracker = new CrossingTracker();
  assert.equal(tracker.update(alerts).length, 1, 'fine → warning: news');
  assert.equal(tracker.update(alerts).length, 0, 'still warning: not news');
  const crit = pointAlerts([point({ active: 90, idle: 8, maxConnections: 100 })], thresholds);
  assert.equal(crit[0]?.level, 'critical');
  assert.equal(tracker.update(crit).length, 1, 'warning → critical: news');
  assert.equal(tracker.update([]).length, 0, 'back under the threshold');
  assert.equal(tracker.update(alerts).length, 1, 'a new crossing is news again');
});

test('cache hit, checkpoints per minute and lock waits alert at the seed thresholds', () => {
  // 1,600 of the tick's 20,000 blocks from outside shared_buffers: judged.
  const low = pointAlerts([point({ cacheHitPct: 92, blocksAccessed: 20_000 })], thresholds);
  assert.deepEqual(
    low.map((a) => [a.metric, a.level]),
    [['cacheHitRatio', 'warning']],
  );
  assert.deepEqual(pointAlerts([point({ cacheHitPct: 50, blocksAccessed: 20 })], thresholds), [], 'too few blocks to judge');
  assert.deepEqual(pointAlerts([point({ cacheHitPct: 92, blocksAccessed: 5000 })], thresholds), [], 'only 400 blocks read from outside: no cache problem');
  const t0 = Date.UTC(2026, 0, 1);
  const burst = [0, 10, 20, 30].map((s) => point({ t: t0 + s * 1000, checkpoints: 1 }));
  assert.equal(checkpointsPerMinute(burst), 4);
  assert.deepEqual(
    pointAlerts(burst, thresholds).map((a) => [a.metric, a.level]),
    [['checkpointFrequency', 'critical']],
  );
  const old = [point({ t: t0, checkpoints: 5 }), point({ t: t0 + 61_000, checkpoints: 0 })];
  assert.equal(checkpointsPerMinute(old), 0, 'a checkpoint more than a minute ago is out of the window');
  const lock = pointAlerts([point({ lockWaiting: 2, longestLockWaitSeconds: 6.5 })], thresholds);
  assert.deepEqual(
    lock.map((a) => [a.metric, a.level, a.value]),
    [['lockWait', 'critical', 6.5]],
  );
  const custom = resolveThresholds({ connectionsPct: { warn: 10, crit: 50 } }).thresholds;
  assert.equal(pointAlerts([point({ active: 12, idle: 0, maxConnections: 100 })], custom)[0]?.level, 'warning');
});

test('XID age, a long statement and a long idle transaction alert at the thresholds the health report uses', () => {
  const p = toPoint(
    at(
      {
        xidAge: 210_000_000,
        freezeMaxAge: 200_000_000,
        longestQuerySeconds: 400,
        longRunning: 2,
        longestIdleInTransactionSeconds: 2000,
        longIdleInTransaction: 1,
      },
      2,
    ),
    at({}, 0),
  );
  assert.equal(p.wraparoundPct, 105);
  assert.deepEqual(
    pointAlerts([p], thresholds).map((a) => [a.metric, a.level, a.value, a.threshold, a.message]),
    [
      ['idleInTransaction', 'critical', 2000, 1800, 'server: 1 session idle in a transaction; the longest 2000s is above the critical threshold of 1800s'],
      ['longQuery', 'warning', 400, 300, 'server: 2 long statements; the longest 400s is above the warning threshold of 300s'],
      ['wraparound', 'warning', 105, 100, 'server: oldest XID age of autovacuum_freeze_max_age: 105% is above the warning threshold of 100%'],
    ],
  );
  const calm = toPoint(at({ xidAge: 1000, freezeMaxAge: 200_000_000, longestQuerySeconds: 0.1, longestIdleInTransactionSeconds: null }, 2), at({}, 0));
  assert.deepEqual(pointAlerts([calm], thresholds), []);
});

test('Explain is offered for plannable text: $n parameters need 16+ (GENERIC_PLAN)', () => {
  assert.deepEqual(explainability('SELECT * FROM t WHERE id = 42', 15), { ok: true, generic: false });
  assert.deepEqual(explainability('SELECT * FROM t WHERE id = $1', 16), { ok: true, generic: true });
  const old = explainability('SELECT * FROM t WHERE id = $1', 15);
  assert.equal(old.ok, false);
  assert.match(!old.ok ? old.reason : '', /GENERIC_PLAN\) needs 16/);
  assert.deepEqual(explainOptionList({ analyze: false, genericPlan: true }, 16), ['GENERIC_PLAN', 'FORMAT JSON']);
  assert.deepEqual(explainOptionList({ analyze: false, genericPlan: true }, 15), ['FORMAT JSON'], 'not before 16');
  assert.deepEqual(explainOptionList({ analyze: true, genericPlan: true }, 17), ['ANALYZE', 'FORMAT JSON'], 'never with ANALYZE');
  for (const text of ['VACUUM t', 'BEGIN', null, '<insufficient privilege>', 'SELECT 1; SELECT 2']) {
    assert.equal(explainability(text, 18).ok, false, String(text));
  }
});

test('the host accepts only known, well-formed requests from the page', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'exportCsv', path: '/etc/passwd' }), { type: 'exportCsv' });
  assert.deepEqual(parseWebviewMessage({ type: 'explain', id: '-4711' }), { type: 'explain', id: '-4711' });
  for (const bad of [
    null,
    'ready',
    7,
    {},
    { type: 'explain' },
    { type: 'explain', id: 12 },
    { type: 'explain', id: 'x; DROP TABLE t' },
    { type: 'explain', id: 'a'.repeat(65) },
    { type: 'runSql', sql: 'DROP TABLE t' },
  ]) {
    assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
  }
});

test('the page accepts only well-formed messages from the host', () => {
  const sampler = new DashboardSampler(10, thresholds);
  const [t1, t2] = recordedSamples(2).map((s) => sampler.add(s));
  const ok = { type: 'sample', point: t2!.point, alerts: t2!.alerts };
  assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(ok))), ok);
  assert.ok(isPoint(t1!.point));
  const init = {
    type: 'init',
    init: {
      connection: 'c',
      serverVersion: '16.4',
      intervalSeconds: 2,
      capacity: 10,
      history: [t1!.point],
      thresholds: {
        connectionsPct: { warn: 80, crit: 95 },
        cacheHitPct: { warn: 95, crit: 90 },
        checkpointsPerMinute: { warn: 1, crit: 2 },
        lockWaitSeconds: { warn: 1, crit: 5 },
        longQuerySeconds: { warn: 300, crit: 1800 },
        idleInTransactionSeconds: { warn: 300, crit: 1800 },
      },
    },
  };
  assert.deepEqual(parseHostMessage(init), init);
  assert.deepEqual(parseHostMessage({ type: 'status', paused: true }), { type: 'status', paused: true });
  const bad: unknown[] = [
    { type: 'sample', point: { ...t2!.point, commitsPerSec: 'many' }, alerts: [] },
    { type: 'sample', point: { ...t2!.point, t: NaN }, alerts: [] },
    { type: 'sample', point: t2!.point, alerts: [{ level: 'panic' }] },
    { type: 'init', init: { ...init.init, history: [{ t: 1 }] } },
    { type: 'init', init: { ...init.init, thresholds: {} } },
    { type: 'topQueries', rows: [{ id: '1', query: 'SELECT 1' }] },
    { type: 'status', paused: 'no' },
    { type: 'eval', code: 'alert(1)' },
    null,
  ];
  for (const m of bad) assert.equal(parseHostMessage(m), undefined, JSON.stringify(m)?.slice(0, 80));
});
