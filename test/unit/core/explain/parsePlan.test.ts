// Plans of the same queries from real servers 13–18 (test/fixtures/plans, written by
// scripts/genPlanFixtures.ts): JSON and psql's text parse to the same tree, and the times add up.
// JSON and text come from two executions, so their times differ by the run's noise: each format's
// times are checked against its own Execution Time, and against the numbers printed in the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan } from '../../../../src/core/explain/parsePlan';
import { PlanParseError, type Plan } from '../../../../src/core/explain/planTypes';
import { PLAN_CASES } from '../../../support/planCases';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'plans');
const majors = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((d) => /^pg\d+$/.test(d))
      .sort()
  : [];

const load = (major: string, name: string, ext: 'json' | 'txt'): Plan => parsePlan(readFileSync(join(DIR, major, `${name}.${ext}`), 'utf8'));

test('fixtures exist for every major 13–18', () => {
  assert.deepEqual(majors, ['pg13', 'pg14', 'pg15', 'pg16', 'pg17', 'pg18']);
});

for (const major of majors) {
  for (const c of PLAN_CASES) {
    test(`${major} ${c.name}: JSON and text parse to the same tree`, () => {
      const j = load(major, c.name, 'json');
      const t = load(major, c.name, 'txt');
      assert.equal(t.nodes.length, j.nodes.length, 'node count');
      assert.equal(t.summary.analyzed, j.summary.analyzed);
      assert.deepEqual(t.summary.settings, j.summary.settings);
      j.nodes.forEach((a, i) => {
        const b = t.nodes[i]!;
        const at = `node ${i} (${a.label})`;
        assert.equal(b.nodeType, a.nodeType, at);
        assert.equal(b.parentId, a.parentId, at);
        assert.equal(b.label, a.label, at);
        assert.equal(b.relation, a.relation, at);
        assert.equal(b.subplanName, a.subplanName, at);
        assert.equal(b.parallelAware, a.parallelAware, at);
        // A rolled-back write leaves dead rows that move the next run's estimate a little.
        if (c.writes) assert.ok(Math.abs(b.planRows - a.planRows) <= a.planRows * 0.05 + 1, at);
        else {
          assert.equal(b.planRows, a.planRows, at);
          assert.equal(b.totalCost, a.totalCost, at);
        }
        assert.equal(b.actualLoops, a.actualLoops, at);
        assert.equal(b.neverExecuted, a.neverExecuted, at);
        // Parallel workers split rows differently on each run; elsewhere rows are deterministic.
        if (a.actualRows !== undefined && c.name !== 'parallel')
          assert.ok(Math.abs((b.actualRows ?? -1) - a.actualRows) <= 0.01 + (a.parallelAware || a.actualLoops! > 1 ? 1 : 0), `${at} rows`);
        assert.equal(b.workersPlanned, a.workersPlanned, at);
        assert.equal(b.workersLaunched, a.workersLaunched, at);
        assert.equal(b.sortSpaceType, a.sortSpaceType, at);
        assert.equal(b.hashBatches, a.hashBatches, at);
        assert.equal(b.heapFetches, a.heapFetches, at);
        assert.equal(b.rowsRemovedByFilter ?? 0, a.rowsRemovedByFilter ?? 0, at);
        assert.equal(b.filter, a.filter, at);
        assert.equal(b.indexCond, a.indexCond, at);
        // Hits and reads move between runs; their sum is the pages the node touched (writes vary).
        if (!c.writes)
          assert.ok(
            Math.abs(b.buffers.sharedHit + b.buffers.sharedRead - (a.buffers.sharedHit + a.buffers.sharedRead)) <= Math.max(20, 0.05 * a.buffers.sharedHit),
            `${at} buffers`,
          );
      });
    });

    for (const ext of ['json', 'txt'] as const) {
      test(`${major} ${c.name}.${ext}: times add up to the server's Execution Time`, () => {
        const p = load(major, c.name, ext);
        if (!p.summary.analyzed) {
          assert.equal(p.summary.executionMs, undefined);
          return;
        }
        const root = p.nodes[0]!;
        const exec = p.summary.executionMs!;
        assert.ok(root.inclusiveMs <= exec + 0.001, `root ${root.inclusiveMs} ≤ execution ${exec}`);
        // Execution Time adds executor start-up/shutdown and triggers to the root node's time; on a
        // busy machine that overhead is noise, so only a gross miss (loops not counted) fails.
        const triggers = p.summary.triggers.reduce((a, tr) => a + tr.timeMs, 0);
        assert.ok(exec - root.inclusiveMs - triggers < Math.max(20, exec * 0.5), `root ${root.inclusiveMs} close to execution ${exec}`);
        const sum = p.nodes.reduce((a, n) => a + n.exclusiveMs, 0);
        // Clamping at 0 (Gather) can only add; rounding of each printed time is 0.0005 ms.
        assert.ok(sum >= root.inclusiveMs - 0.001 * p.nodes.length, `Σ exclusive ${sum} ≥ root ${root.inclusiveMs}`);
        assert.ok(sum <= root.inclusiveMs * 1.6 + 0.01 * p.nodes.length, `Σ exclusive ${sum} close to root ${root.inclusiveMs}`);
      });
    }

    test(`${major} ${c.name}.txt: times are the ones psql printed`, () => {
      const text = readFileSync(join(DIR, major, `${c.name}.txt`), 'utf8');
      const printed = [...text.matchAll(/\(actual time=[\d.]+\.\.([\d.]+) rows=[\d.]+ loops=(\d+)\)|\(never executed\)/g)];
      const p = load(major, c.name, 'txt');
      if (!p.summary.analyzed) return;
      assert.equal(printed.length, p.nodes.length);
      printed.forEach((m, i) => assert.equal(p.nodes[i]!.actualTotalMs, m[1] === undefined ? undefined : Number(m[1])));
    });
  }
}

test('psql decoration and JSON with "+" continuation marks are accepted', () => {
  const json = readFileSync(join(DIR, 'pg16', 'missing-index.json'), 'utf8');
  const psqlJson = ` QUERY PLAN\n------------\n${json
    .split('\n')
    .map((l) => ` ${l} +`)
    .join('\n')}\n(1 row)\n`;
  assert.equal(parsePlan(psqlJson).nodes[0]!.nodeType, 'Seq Scan');
});

test('text plans without ANALYZE or with COSTS OFF parse', () => {
  const p = parsePlan(
    'Hash Join  (cost=1.09..2.20 rows=1 width=8)\n  Hash Cond: (a.id = b.id)\n  ->  Seq Scan on a  (cost=0.00..1.05 rows=5 width=8)\n  ->  Hash  (cost=1.04..1.04 rows=4 width=4)\n        ->  Seq Scan on b  (cost=0.00..1.04 rows=4 width=4)',
  );
  assert.deepEqual(
    p.nodes.map((n) => [n.nodeType, n.depth]),
    [
      ['Hash Join', 0],
      ['Seq Scan', 1],
      ['Hash', 1],
      ['Seq Scan', 2],
    ],
  );
  assert.equal(p.summary.analyzed, false);
  const off = parsePlan('Sort\n  Sort Key: x\n  ->  Seq Scan on t\n        Filter: (x > 1)');
  assert.equal(off.nodes[1]!.filter, '(x > 1)');
});

test('text details: I/O timings, sort to disk, hash batches, heap blocks, JIT, triggers', () => {
  const p = parsePlan(`Hash Join  (cost=1.00..2.00 rows=10 width=8) (actual time=0.100..50.000 rows=10 loops=1)
  Buffers: shared hit=5 read=7 dirtied=1 written=2, temp read=10 written=11
  I/O Timings: shared read=1.500 write=0.250, temp read=0.100 write=0.200
  ->  Sort  (cost=1.00..1.00 rows=10 width=8) (actual time=0.050..20.000 rows=10 loops=1)
        Sort Key: a
        Sort Method: external merge  Disk: 1234kB
  ->  Hash  (cost=1.00..1.00 rows=10 width=8) (actual time=0.050..10.000 rows=10 loops=1)
        Buckets: 65536 (originally 1024)  Batches: 4 (originally 1)  Memory Usage: 4000kB
        ->  Bitmap Heap Scan on t  (cost=1.00..1.00 rows=10 width=8) (actual time=0.050..5.000 rows=10 loops=1)
              Heap Blocks: exact=10 lossy=20
Planning Time: 0.5 ms
Trigger for constraint fk: time=1.5 calls=10
JIT:
  Functions: 4
  Timing: Generation 0.5 ms, Inlining 0.0 ms, Optimization 1.0 ms, Emission 2.0 ms, Total 3.5 ms
Execution Time: 55.0 ms`);
  const [root, sort, hash, bitmap] = p.nodes;
  assert.deepEqual(root!.buffers, {
    sharedHit: 5,
    sharedRead: 7,
    sharedDirtied: 1,
    sharedWritten: 2,
    localHit: 0,
    localRead: 0,
    localDirtied: 0,
    localWritten: 0,
    tempRead: 10,
    tempWritten: 11,
  });
  assert.deepEqual(root!.io, { readMs: 1.5, writeMs: 0.25, tempReadMs: 0.1, tempWriteMs: 0.2 });
  assert.deepEqual([sort!.sortMethod, sort!.sortSpaceType, sort!.sortSpaceKb], ['external merge', 'Disk', 1234]);
  assert.deepEqual([hash!.hashBatches, hash!.originalHashBatches, hash!.peakMemoryKb], [4, 1, 4000]);
  assert.deepEqual([bitmap!.exactHeapBlocks, bitmap!.lossyHeapBlocks], [10, 20]);
  assert.equal(p.summary.jitMs, 3.5);
  assert.deepEqual(p.summary.triggers, [{ name: 'for constraint fk', relation: undefined, timeMs: 1.5, calls: 10 }]);
  assert.equal(p.summary.executionMs, 55);
  assert.equal(root!.exclusiveMs, 20);
});

test('what is not a plan says so', () => {
  assert.throws(() => parsePlan('{"a": 1}'), PlanParseError);
  assert.throws(() => parsePlan('[{"Plan": {"Total Cost": 1}}]'), /Node Type/);
  assert.throws(() => parsePlan('hello world\nthis is text'), PlanParseError);
  assert.throws(() => parsePlan('   '), /empty/);
  assert.throws(() => parsePlan('[1, 2'), /invalid JSON/);
  // Text that starts with a capital is not a one-node plan: a query, an error, a note.
  assert.throws(() => parsePlan('SELECT * FROM items WHERE id = 1;'), /line 1 is not a plan node/);
  assert.throws(() => parsePlan('ERROR:  relation "items" does not exist\nLINE 1: SELECT * FROM items'), /line 1 is not a plan node/);
  assert.throws(() => parsePlan('Nothing Here'), PlanParseError);
  // … while COSTS OFF plans, whose lines carry no figures, still parse by their node types.
  assert.deepEqual(
    parsePlan('Limit\n  ->  Parallel Seq Scan on t\n        Filter: (x > 1)').nodes.map((n) => n.nodeType),
    ['Limit', 'Seq Scan'],
  );
});
