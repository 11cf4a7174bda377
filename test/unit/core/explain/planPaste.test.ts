// Plans as people paste them (test/fixtures/pastes/, made from real servers 13–18 by
// `npm run fixtures:pastes`): every paste reads to the same tree as the plan node-postgres got
// from the same server, and what is not a plan says so with the paste's line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePaste, parsePlan } from '../../../../src/core/explain/parsePlan';
import { unwrapPaste } from '../../../../src/core/explain/planPaste';
import { PlanParseError, type Plan } from '../../../../src/core/explain/planTypes';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'pastes');
const MAJORS = readdirSync(DIR).filter((d) => /^pg\d+$/.test(d));
const shape = (p: Plan) =>
  p.nodes.map((n) => `${n.parentId ?? '-'} ${n.nodeType}${n.relation ? ` ${n.relation}` : ''}${n.subplanName ? ` (${n.subplanName})` : ''}`);
const read = (...parts: string[]) => readFileSync(join(DIR, ...parts), 'utf8');

test('the corpus holds every major and every kind of paste', () => {
  assert.deepEqual(MAJORS.sort(), ['pg13', 'pg14', 'pg15', 'pg16', 'pg17', 'pg18']);
  for (const m of MAJORS) assert.ok(readdirSync(join(DIR, m)).length >= 20, `${m} has its files`);
});

for (const major of MAJORS) {
  test(`${major}: every paste reads to the plan node-postgres got`, () => {
    const ref = parsePlan(read(major, 'plan.json'));
    assert.ok(ref.nodes.length >= 8 && ref.summary.executionMs !== undefined);
    for (const file of readdirSync(join(DIR, major)).filter((f) => f !== 'plan.json')) {
      const { plan, paste } = parsePaste(read(major, file));
      assert.deepEqual(shape(plan), shape(ref), `${major}/${file} (${paste?.recognised.join(', ')})`);
      assert.equal(plan.summary.analyzed, true, file);
      assert.ok(plan.summary.executionMs !== undefined || file.startsWith('auto_explain'), `${file}: execution time`);
      if (!file.startsWith('auto_explain')) assert.ok((plan.summary.planningMs ?? 0) > 0, `${file}: planning time`);
      // The figures of the root are the server's, not a wrapped line's half.
      assert.ok(plan.nodes[0]!.actualLoops === 1 && (plan.nodes[0]!.actualTotalMs ?? 0) > 0, `${file}: root timing`);
    }
  });

  test(`${major}: the statement comes with the paste (psql's echo, auto_explain's Query Text)`, () => {
    for (const file of ['psql-echo.txt', 'psql-json-unaligned-echo.txt', 'auto_explain-text.log', 'auto_explain-json.log']) {
      const q = parsePlan(read(major, file)).extra['Query Text'];
      assert.match(String(q), /^WITH busy AS MATERIALIZED [^]*ORDER BY nights DESC, r\.hotel;?$/, `${major}/${file}`);
    }
  });

  test(`${major}: a log of several plans reads the first, or the one asked for`, () => {
    for (const file of ['auto_explain-text.log', 'auto_explain-json.log']) {
      const text = read(major, file);
      const first = parsePaste(text);
      assert.equal(first.paste?.plans, 2);
      assert.equal(first.plan.nodes[0]!.nodeType, 'Sort');
      const second = parsePaste(text, { plan: 1 });
      assert.ok(second.plan.nodes.length < first.plan.nodes.length, `${file}: plan 2 is the small one`);
      assert.throws(() => parsePaste(text, { plan: 2 }), /the log holds 2 plans: plan 3 does not exist/);
    }
  });
}

test('psql tables: the style is recognised, wrapped lines are joined, a widest JSON line keeps its last character', () => {
  const what = (f: string) => unwrapPaste(read('pg16', f)).recognised.join(', ');
  assert.equal(what('psql-unicode-double-border2.txt'), 'psql table (unicode, double, border 2)');
  assert.equal(what('psql-ascii-border0.txt'), 'psql table (ascii, border 0)');
  assert.equal(what('psql-wrapped-ascii-border1.txt'), 'psql table (ascii, border 1)');
  assert.equal(what('psql-csv-json.csv'), 'CSV');
  const wrapped = parsePlan(read('pg16', 'psql-wrapped-unicode-border2.txt'));
  const whole = parsePlan(read('pg16', 'psql-unicode-border2.txt'));
  assert.deepEqual(
    wrapped.nodes.map((n) => n.props.Output),
    whole.nodes.map((n) => n.props.Output),
  );
  // "Rows Removed by Index Recheck": 0+ — the mark right after the widest value.
  assert.equal(unwrapPaste(read('pg16', 'psql-json-ascii-border1.txt')).kind, 'json');
});

test("psql's expanded output (\\x) and old-ascii: each style recognised, read to the aligned table's lines", () => {
  const what = (f: string) => unwrapPaste(read('pg16', f)).recognised.join(', ');
  assert.equal(what('psql-expanded-ascii-border0.txt'), 'psql expanded (ascii, border 0)');
  assert.equal(what('psql-expanded-unicode-double-border2.txt'), 'psql expanded (unicode, double, border 2)');
  assert.equal(what('psql-expanded-json-old-ascii-border1.txt'), 'psql expanded (old-ascii, border 1)');
  assert.equal(what('psql-old-ascii-border2.txt'), 'psql table (ascii, border 2)', 'one column: old-ascii looks like ascii');
  const lines = (f: string) => unwrapPaste(read('pg16', f)).text.replace(/\(actual time=[^)]*\)|\d+\.\d+ ms/g, '');
  for (const f of readdirSync(join(DIR, 'pg16')).filter((x) => /^psql-(expanded|old-ascii).*\.txt$/.test(x) && !x.includes('json'))) {
    assert.equal(lines(f), lines('psql-ascii-border1.txt'), f);
  }
  for (const f of readdirSync(join(DIR, 'pg16')).filter((x) => /^psql-(expanded-)?json-(old-ascii|ascii-border0|unicode).*\.txt$/.test(x))) {
    assert.equal(unwrapPaste(read('pg16', f)).kind, 'json', f);
  }
});

test('CJK text in a table: psql pads by display width, and the reader counts columns', () => {
  for (const f of ['psql-ascii-border2.txt', 'psql-unicode-double-border2.txt', 'psql-wrapped-unicode-border2.txt', 'psql-expanded-ascii-border2.txt']) {
    const sub = parsePlan(read('pg16', f)).nodes.find((n) => n.filter?.includes('客人'));
    assert.equal(sub?.filter, `((x.guest <> '客人, "0"'::text) AND (x.room_id = (r.hotel + 1)))`, f);
  }
  // a JSON plan in a table: the line with CJK has its '+' mark two columns a character early
  assert.equal(unwrapPaste(read('pg16', 'psql-json-unicode-border2.txt')).kind, 'json');
  const rule = '-'.repeat(26);
  const t = unwrapPaste(`+${rule}+\n|${' '.repeat(8)}QUERY PLAN${' '.repeat(6)}|\n+${rule}+\n| Filter: (a = '客人名字') |\n+${rule}+\n(1 row)\n`);
  assert.equal(t.text, "Filter: (a = '客人名字')");
});

test('old spellings: Total runtime (text and JSON, before 9.4), lower-case times (before 13)', () => {
  const pre94 = parsePlan(read('derived', 'pre94-total-runtime.txt'));
  const pre94json = parsePlan(read('derived', 'pre94-total-runtime.json'));
  const real = parsePlan(read('pg13', 'psql-ascii-border1.txt'));
  const realJson = parsePlan(read('pg13', 'plan.json'));
  assert.equal(pre94.summary.executionMs, real.summary.executionMs);
  assert.equal(pre94.summary.planningMs, undefined);
  assert.equal(pre94json.summary.executionMs, realJson.summary.executionMs);
  assert.equal(pre94json.extra['Total Runtime'], undefined, 'read as the execution time, not kept as an unknown key');
  const lower = parsePlan(read('derived', 'pre13-lower-case.txt'));
  assert.equal(lower.summary.executionMs, real.summary.executionMs);
  assert.equal(lower.summary.planningMs, real.summary.planningMs);
});

test('hand-made pastes read to the real plan they come from', () => {
  const ref = shape(parsePlan(read('pg13', 'plan.json')));
  for (const file of readdirSync(join(DIR, 'derived')).filter((f) => f !== 'README.md')) {
    assert.deepEqual(shape(parsePlan(read('derived', file))), ref, file);
  }
  const prompt = parsePaste(read('derived', 'psql-prompt-unicode.txt'));
  assert.match(String(prompt.plan.extra['Query Text']), /^WITH busy[^]*r\.hotel$/);
  assert.deepEqual(prompt.paste?.recognised, ['psql table (unicode, border 2)']);
  assert.deepEqual(unwrapPaste(read('derived', 'json-with-text.txt')).recognised, ['text around the JSON']);
  assert.deepEqual(unwrapPaste(read('derived', 'pgadmin-quoted.txt')).recognised, ["quoted lines (pgAdmin's copy)"]);
});

test("18's spellings: fractional rows, Disabled, Storage, Index Searches", () => {
  const text = parsePlan(`Seq Scan on t  (cost=10000000000.00..10000000001.00 rows=1 width=4) (actual time=0.010..0.011 rows=1.50 loops=2)
  Disabled: true
  Index Searches: 3
  Storage: Memory  Maximum Storage: 17kB
Planning Time: 0.100 ms
Execution Time: 0.200 ms`);
  const n = text.nodes[0]!;
  assert.equal(n.actualRows, 1.5);
  assert.equal(n.props.Disabled, true);
  assert.equal(n.props['Index Searches'], 3);
  assert.equal(n.props.Storage, 'Memory');
  assert.equal(n.props['Maximum Storage'], 17);
});

test('what is not a plan says so, with the line of the paste it stopped at', () => {
  const notPlan = (text: string, message: RegExp) =>
    assert.throws(
      () => parsePlan(text),
      (e: unknown) => e instanceof PlanParseError && message.test(e.message),
    );
  // A psql session that ran a query, not EXPLAIN: line 2 of the paste is its header.
  notPlan('hotel=# SELECT 1 AS one;\n one \n-----\n   1\n(1 row)\n', /^line 2 is not a plan node: "one"/);
  notPlan('hotel=# SELECT * FROM rooms;\n\nERROR:  relation "rooms" does not exist\nLINE 1: SELECT * FROM rooms;', /^line 3 is not a plan node/);
  notPlan('"QUERY PLAN"\n"Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n', /^line 2: a quoted value that is never closed/);
  notPlan(
    '2024-01-01 LOG:  duration: 1.0 ms  plan:\n\t<explain xmlns="http://www.postgresql.org/2009/explain">',
    /line 1: auto_explain's XML and YAML formats are not read/,
  );
  notPlan('┌────────────┐\n│ QUERY PLAN │\n├────────────┤\n└────────────┘\n(0 rows)', /holds no plan \(only psql table \(unicode, border 2\)\)/);
  notPlan('Here is my plan: {"Plan": 1}', /^line 1 is not a plan node/);
});

test('hostile input: long lines and many brackets stay linear and bounded', () => {
  const brackets = '{'.repeat(100_000);
  assert.throws(() => parsePlan(`text "Plan"\n${brackets}`), PlanParseError);
  const quotes = '"'.repeat(200_001);
  assert.throws(() => parsePlan(quotes), PlanParseError);
});
