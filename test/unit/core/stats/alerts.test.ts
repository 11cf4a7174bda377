// Thresholds, levels and the alert evaluators, on rows as the queries return them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_THRESHOLDS,
  bloatAlerts,
  buildLockTree,
  cacheHitAlerts,
  checkpointAlerts,
  checkpointRate,
  checkRow,
  connectionAlerts,
  deadTupleAlerts,
  levelFor,
  lockWaitAlerts,
  queryTimeAlerts,
  resolveThresholds,
  sortAlerts,
  statementsReadiness,
  accessLimitations,
  toStatsError,
  settingOrigin,
  type CheckpointRow,
  type LockRow,
} from '../../../../src/core/stats';

const T = resolveThresholds().thresholds;

test("defaults are the seed's table", () => {
  assert.deepEqual(Object.fromEntries(Object.entries(DEFAULT_THRESHOLDS).map(([k, t]) => [k, [t.warn, t.crit]])), {
    cacheHitRatioPct: [95, 90],
    avgQueryTimeMs: [100, 500],
    connectionsPct: [80, 95],
    tableBloatPct: [20, 40],
    deadTuplePct: [20, 40],
    checkpointsPerMinute: [1, 2],
    lockWaitSeconds: [1, 5],
    // #15's own: not in the seed's table
    wraparoundPct: [100, 400],
    sequenceUsedPct: [75, 90],
    longQuerySeconds: [300, 1800],
    idleInTransactionSeconds: [300, 1800],
    replicationLagSeconds: [60, 300],
    // #16's: PgBouncer's queue
    bouncerClientWaitSeconds: [1, 10],
    bouncerMaxWaitSeconds: [1, 5],
  });
});

test('levels: strict limits, the cache ratio alerts when low, the others when high', () => {
  assert.equal(levelFor('cacheHitRatioPct', 96, T.cacheHitRatioPct), undefined);
  assert.equal(levelFor('cacheHitRatioPct', 95, T.cacheHitRatioPct), undefined);
  assert.deepEqual(levelFor('cacheHitRatioPct', 94.9, T.cacheHitRatioPct), { level: 'warning', threshold: 95 });
  assert.deepEqual(levelFor('cacheHitRatioPct', 89.99, T.cacheHitRatioPct), { level: 'critical', threshold: 90 });
  assert.equal(levelFor('avgQueryTimeMs', 100, T.avgQueryTimeMs), undefined);
  assert.equal(levelFor('avgQueryTimeMs', 100.1, T.avgQueryTimeMs)?.level, 'warning');
  assert.equal(levelFor('avgQueryTimeMs', 500.1, T.avgQueryTimeMs)?.level, 'critical');
  assert.equal(levelFor('lockWaitSeconds', Number.NaN, T.lockWaitSeconds), undefined);
});

test('resolveThresholds merges, and reports bad input instead of using it', () => {
  const { thresholds, problems } = resolveThresholds({ lockWaitSeconds: { warn: 2 }, connectionsPct: { warn: 90, crit: 70 }, cacheHitRatioPct: { crit: 99 } });
  assert.deepEqual(thresholds.lockWaitSeconds, { warn: 2, crit: 5 });
  assert.deepEqual(thresholds.connectionsPct, { warn: 80, crit: 95 }, 'crit below warn: defaults kept');
  assert.deepEqual(thresholds.cacheHitRatioPct, DEFAULT_THRESHOLDS.cacheHitRatioPct, 'crit 99 above warn 95 for a low-is-bad metric');
  assert.equal(problems.length, 2);
  const bad = resolveThresholds({ avgQueryTimeMs: { warn: -1, nope: 3 } as never });
  assert.equal(bad.problems.length, 2);
  assert.equal(bad.thresholds.avgQueryTimeMs.warn, 100);
});

test('cache hit: per database; fewer than minBlocks read from outside shared_buffers is no alert, whatever the ratio', () => {
  const rows = [
    { database: 'a', blocksHit: 9000, blocksRead: 1000, hitRatioPct: 90, statsReset: null },
    { database: 'b', blocksHit: 9, blocksRead: 1, hitRatioPct: 90, statsReset: null },
    { database: 'c', blocksHit: 0, blocksRead: 0, hitRatioPct: null, statsReset: null },
    // A server just started (PostgreSQL 18 here, its catalogs read cold): 94% of 10,000, only 600 from disk.
    { database: 'd', blocksHit: 9400, blocksRead: 600, hitRatioPct: 94, statsReset: null },
    { database: 'e', blocksHit: 47000, blocksRead: 3000, hitRatioPct: 94, statsReset: null },
  ];
  const alerts = cacheHitAlerts(rows, T);
  assert.deepEqual(
    alerts.map((a) => [a.subject, a.level]),
    [
      ['a', 'warning'],
      ['e', 'warning'],
    ],
  );
  assert.match(alerts[0]!.message, /a: cache hit ratio 90% is below the warning threshold of 95%/);
});

test('connections are a share of max_connections', () => {
  assert.deepEqual(connectionAlerts({ connections: 80, maxConnections: 100 }, T), []);
  assert.equal(connectionAlerts({ connections: 81, maxConnections: 100 }, T)[0]?.level, 'warning');
  assert.equal(connectionAlerts({ connections: 400, maxConnections: 500 }, T).length, 0, '80 % of 500');
  assert.equal(connectionAlerts({ connections: 20, maxConnections: 20 }, T)[0]?.level, 'critical');
  assert.deepEqual(connectionAlerts({ connections: 1, maxConnections: 0 }, T), []);
});

test('bloat and dead tuples: thresholds, floors, unreliable estimates skipped', () => {
  const mb = 1024 * 1024;
  const b = (table: string, pct: number, bytes = 10 * mb, reliable = true) => ({
    schema: 's',
    table,
    realBytes: bytes,
    bloatBytes: 0,
    bloatPct: pct,
    fillfactor: 100,
    estimateReliable: reliable,
  });
  const alerts = bloatAlerts([b('ok', 10), b('w', 25), b('c', 45), b('small', 80, 100), b('unsure', 80, 10 * mb, false)], T);
  assert.deepEqual(
    alerts.map((a) => [a.subject, a.level]),
    [
      ['s.w', 'warning'],
      ['s.c', 'critical'],
    ],
  );
  const d = deadTupleAlerts(
    [
      { schema: 's', table: 'x', deadTuples: 500, liveTuples: 500 },
      { schema: 's', table: 'y', deadTuples: 5, liveTuples: 5 },
    ],
    T,
  );
  assert.deepEqual(
    d.map((a) => [a.subject, a.level, a.value]),
    [['s.x', 'critical', 50]],
  );
});

test('query time per database needs enough calls', () => {
  const rows = [
    { database: 'a', calls: 100, totalExecMs: 60000, meanExecMs: 600 },
    { database: 'b', calls: 3, totalExecMs: 3000, meanExecMs: 1000 },
  ];
  assert.deepEqual(
    queryTimeAlerts(rows, T).map((a) => [a.subject, a.level]),
    [['a', 'critical']],
  );
});

const ck = (over: Partial<CheckpointRow>): CheckpointRow => ({
  timed: 0,
  requested: 0,
  done: null,
  writeTimeMs: 0,
  syncTimeMs: 0,
  buffersWritten: 0,
  buffersClean: 0,
  maxwrittenClean: 0,
  buffersBackend: null,
  buffersAlloc: 0,
  statsReset: null,
  secondsSinceReset: 600,
  ...over,
});

test('checkpoint rate: since reset with a one-minute floor, or between two samples', () => {
  assert.equal(checkpointRate(ck({ timed: 2, requested: 8, secondsSinceReset: 600 })), 1);
  assert.equal(checkpointRate(ck({ requested: 1, secondsSinceReset: 1 })), 1, 'one checkpoint right after a reset is not 60/min');
  assert.equal(checkpointRate(ck({ timed: 9, done: 3, secondsSinceReset: 60 })), 3, '18+: completed ones count');
  assert.equal(checkpointRate(ck({ requested: 10 }), { row: ck({ requested: 4 }), secondsBefore: 120 }), 3);
  assert.equal(checkpointRate(ck({ requested: 1 }), { row: ck({ requested: 4 }), secondsBefore: 120 }), undefined, 'reset between samples');
  assert.equal(checkpointRate(ck({ secondsSinceReset: null })), undefined);
  const a = checkpointAlerts(ck({ requested: 30, secondsSinceReset: 600 }), T);
  assert.equal(a[0]?.level, 'critical');
  assert.match(a[0].message, /max_wal_size/);
  assert.equal(checkpointAlerts(ck({ timed: 15, secondsSinceReset: 600 }), T)[0]?.level, 'warning');
  assert.deepEqual(checkpointAlerts(ck({ requested: 2, secondsSinceReset: 30 }), T), [], "two since the reset (CREATE DATABASE's before 15) are no rate");
  assert.equal(checkpointAlerts(ck({ requested: 3, secondsSinceReset: 30 }), T)[0]?.level, 'critical', 'three in its first minute are');
  const twoNow = checkpointAlerts(ck({ requested: 6 }), T, { row: ck({ requested: 4 }), secondsBefore: 60 });
  assert.equal(twoNow[0]?.level, 'warning', 'between two samples, two in a minute count');
});

const lock = (pid: number, blockedBy: number[], wait: number | null = null): LockRow => ({
  pid,
  blockedBy,
  database: 'd',
  user: 'u',
  state: 'active',
  waitEventType: blockedBy.length ? 'Lock' : null,
  waitEvent: null,
  queryStart: null,
  xactAgeSeconds: null,
  lockWaitSeconds: wait,
  query: 'q',
});

test('lock tree: blockers at the root, waiters below (twice when they wait on two), cycles cut', () => {
  const tree = buildLockTree([lock(1, []), lock(2, [1], 3), lock(3, [2], 0.5), lock(4, [1, 2], 6)]);
  assert.equal(tree.length, 1);
  assert.equal(tree[0]?.session.pid, 1);
  assert.deepEqual(
    tree[0]?.blocks.map((n) => n.session.pid),
    [2, 4],
  );
  assert.deepEqual(
    tree[0]?.blocks[0]?.blocks.map((n) => n.session.pid),
    [3, 4],
  );
  const cycle = buildLockTree([lock(5, [6]), lock(6, [5])]);
  assert.equal(cycle[0]?.session.pid, 5);
  assert.equal(cycle[0]?.blocks[0]?.session.pid, 6);
  assert.deepEqual(cycle[0]?.blocks[0]?.blocks, []);
  assert.deepEqual(buildLockTree([]), []);
  const alerts = lockWaitAlerts([lock(1, []), lock(2, [1], 3), lock(3, [2], 0.5), lock(4, [1, 2], 6)], T);
  assert.deepEqual(
    alerts.map((a) => [a.subject, a.level]),
    [
      ['pid 2', 'warning'],
      ['pid 4', 'critical'],
    ],
  );
});

test('sortAlerts: critical first', () => {
  const sorted = sortAlerts([
    ...connectionAlerts({ connections: 85, maxConnections: 100 }, T),
    ...deadTupleAlerts([{ schema: 's', table: 'x', deadTuples: 900, liveTuples: 100 }], T),
  ]);
  assert.deepEqual(
    sorted.map((a) => a.level),
    ['critical', 'warning'],
  );
});

test('pg_stat_statements readiness, in order of what to fix first', () => {
  const base = {
    installedVersion: '1.10',
    schema: 'public',
    availableVersion: '1.10',
    preloaded: true,
    sharedPreloadLibraries: 'pg_stat_statements',
    canCreate: true,
  };
  assert.equal(statementsReadiness(base).ready, true);
  assert.equal(statementsReadiness({ ...base, preloaded: null }).ready, true, 'hidden setting: try and see');
  const notLoaded = statementsReadiness({ ...base, preloaded: false, installedVersion: null, sharedPreloadLibraries: 'auto_explain, "my lib"' });
  assert.equal(notLoaded.needsRestart, true);
  assert.equal(
    notLoaded.fixSql,
    `ALTER SYSTEM SET "shared_preload_libraries" = 'auto_explain', 'my lib', 'pg_stat_statements'`,
    'keeps the libraries already there',
  );
  assert.equal(
    statementsReadiness({ ...base, preloaded: false, sharedPreloadLibraries: '' }).fixSql,
    `ALTER SYSTEM SET "shared_preload_libraries" = 'pg_stat_statements'`,
  );
  assert.match(notLoaded.reason ?? '', /shared memory.*restart/s);
  assert.equal(statementsReadiness({ ...base, installedVersion: null }).fixSql, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  assert.match(statementsReadiness({ ...base, installedVersion: null, availableVersion: null }).reason ?? '', /contrib/);
});

test('errors are sorted into kinds a person can act on', () => {
  assert.equal(toStatsError({ code: '42501', message: 'permission denied for view pg_file_settings' }, 'x').kind, 'permission');
  assert.equal(toStatsError({ code: '55000', message: 'pg_stat_statements must be loaded via "shared_preload_libraries"' }, 'x').kind, 'not-preloaded');
  assert.equal(toStatsError({ code: '42P01', message: 'relation "public.pg_stat_statements" does not exist' }, 'x').kind, 'extension-missing');
  assert.equal(toStatsError({ code: '57014', message: 'canceling statement due to statement timeout' }, 'x').kind, 'timeout');
  assert.equal(toStatsError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'x').kind, 'connection');
  assert.equal(toStatsError(new Error('Connection terminated unexpectedly'), 'x').kind, 'connection');
  assert.equal(toStatsError('odd', 'x').kind, 'other');
});

test('access limitations name the GRANT that fixes each hole', () => {
  const none = {
    role: 'app',
    isSuperuser: false,
    readAllStats: false,
    readAllSettings: false,
    readFileSettings: false,
    canAlterSystem: false,
    signalBackend: false,
  };
  const l = accessLimitations(none);
  assert.equal(l.length, 5);
  assert.ok(l.some((x) => x.includes('GRANT pg_read_all_stats TO app')));
  assert.deepEqual(accessLimitations({ ...none, isSuperuser: true }), []);
});

test('checkRow: types, nullability, extra keys', () => {
  const cols = { a: 'number', b: 'string?', c: 'number[]', d: 'string[]?' } as const;
  assert.deepEqual(checkRow({ a: 1, b: null, c: [1], d: null }, cols), []);
  assert.equal(checkRow({ a: '1', b: 2, c: ['x'], d: [1], e: 0 }, cols).length, 5);
  assert.equal(checkRow({ a: Number.NaN, b: 'x', c: [], d: ['y'] }, cols).length, 1);
});

test('settingOrigin: file:line, or the source', () => {
  assert.equal(settingOrigin({ source: 'configuration file', sourcefile: '/etc/pg.conf', sourceline: 12 }), '/etc/pg.conf:12');
  assert.equal(settingOrigin({ source: 'command line', sourcefile: null, sourceline: null }), 'command line');
});
