// Every insight on the stored plans of real servers 13–18, in both formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan } from '../../../../src/core/explain/parsePlan';
import { planInsights } from '../../../../src/core/explain/insights';
import type { Insight } from '../../../../src/core/explain/insightTypes';
import { filterColumns, filterExpressions } from '../../../../src/core/explain/filterColumns';
import { readableIdent } from '../../../../src/core/db/sqlIdent';
import { PLAN_CASES } from '../../../support/planCases';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'plans');
const MAJORS = [13, 14, 15, 16, 17, 18];

const insightsOf = (major: number, name: string, ext: 'json' | 'txt'): Insight[] =>
  planInsights(parsePlan(readFileSync(join(DIR, `pg${major}`, `${name}.${ext}`), 'utf8')));

/** The action each case must propose, whatever the major (schema-qualified with VERBOSE). */
const ACTIONS: Record<string, RegExp> = {
  'missing-index': /^CREATE INDEX items_category_price_idx ON (public\.)?items \(category, price\);$/,
  'sort-spill': /^SET work_mem = '\d+MB';/,
  'hash-spill': /^SET work_mem = '\d+MB';/,
  'hashagg-spill': /^SET work_mem = '\d+MB';/,
  'stale-statistics': /^ANALYZE (public\.)?events;$/,
  'correlated-columns': /^CREATE STATISTICS pairs_a_b_stats \(dependencies, ndistinct, mcv\) ON a, b FROM (public\.)?pairs;\nANALYZE (public\.)?pairs;$/,
  'nested-loop': /^CREATE INDEX categories_code_idx ON (public\.)?categories \(code\);$/,
  'heap-fetches': /^VACUUM \(ANALYZE\) (public\.)?readings;$/,
  'lossy-bitmap': /^SET work_mem = '\d+MB';$/,
  'workers-not-launched': /max_parallel_workers.*max_worker_processes/,
};

for (const major of MAJORS) {
  for (const c of PLAN_CASES) {
    for (const ext of ['json', 'txt'] as const) {
      test(`pg${major} ${c.name}.${ext}`, () => {
        const found = insightsOf(major, c.name, ext);
        if (!c.expect) {
          // subplans: a filter on an InitPlan's result ($2) is estimated blind; a true miss.
          const tolerated = c.name === 'subplans' ? ['estimate-miss'] : [];
          assert.deepEqual(
            found.filter((i) => i.severity !== 'info' && !tolerated.includes(i.rule)).map((i) => i.title),
            [],
            'no warnings on a healthy plan',
          );
          return;
        }
        const hit = found.find((i) => i.rule === c.expect);
        assert.ok(hit, `${c.expect} among ${found.map((i) => i.rule).join(', ')}`);
        assert.equal(hit.severity, 'warning');
        assert.match(hit.action.text, ACTIONS[c.name]!);
        assert.ok(hit.why.length > 20 && !hit.why.slice(0, -1).includes('. '), 'one sentence of why');
        assert.equal(hit.id, `${hit.rule}:${hit.nodeId}`);
      });
    }
  }
}

test('work_mem suggestions come from the figures', () => {
  const sort = insightsOf(16, 'sort-spill', 'json').find((i) => i.rule === 'sort-spill')!;
  const plan = parsePlan(readFileSync(join(DIR, 'pg16', 'sort-spill.json'), 'utf8'));
  const kb = plan.nodes[sort.nodeId]!.sortSpaceKb!;
  const mb = Number(/'(\d+)MB'/.exec(sort.action.text)![1]);
  assert.ok(mb * 1024 >= kb * 2 && mb * 1024 < kb * 4 + 4096, `${mb}MB for ${kb}kB on disk`);
});

test('filter columns: simple comparisons only, equality first, qualifiers kept', () => {
  assert.deepEqual(
    filterColumns("((price > '90'::numeric) AND (category = 42))").map((c) => c.column),
    ['category', 'price'],
  );
  assert.deepEqual(filterColumns('(r."Check In" >= \'2025-01-01\'::date)'), [{ qualifier: 'r', column: 'Check In', equality: false }]);
  assert.deepEqual(filterColumns("(lower((email)::text) = 'x'::text)"), []);
  assert.deepEqual(filterColumns('(a.x = b.y)'), []);
  assert.deepEqual(
    filterColumns('(status IS NULL)').map((c) => c.column),
    ['status'],
  );
});

test('identifiers are quoted as quote_ident does', () => {
  assert.equal(readableIdent('reservations'), 'reservations');
  assert.equal(readableIdent('Check In'), '"Check In"');
  assert.equal(readableIdent('user'), '"user"');
  assert.equal(readableIdent('a"b'), '"a""b"');
});

test('filter expressions: what is compared with a constant and is no plain column, as EXPLAIN prints it', () => {
  assert.deepEqual(filterExpressions("(lower(email) = 'x'::text)"), ['lower(email)']);
  assert.deepEqual(filterExpressions("(lower((email)::text) = 'x'::text)"), ['lower((email)::text)']);
  assert.deepEqual(filterExpressions("((lower(email) = 'a'::text) AND (status = 1))"), ['lower(email)']);
  assert.deepEqual(filterExpressions("(date_trunc('day'::text, created) = '2024-01-01 00:00:00'::timestamp without time zone)"), [
    "date_trunc('day'::text, created)",
  ]);
  assert.deepEqual(filterExpressions("(lower(u.email) = 'it''s (odd) AND x'::text)"), ['lower(u.email)']);
  assert.deepEqual(filterExpressions('((x + y) > 10)'), ['x + y']);
  // Plain or cast columns are filterColumns' (a varchar compared with text); an expression of a parameter or of two tables is no index.
  assert.deepEqual(filterExpressions("((email)::text = 'x'::text)"), []);
  assert.deepEqual(filterColumns("((email)::text = 'x'::text)"), [{ qualifier: undefined, column: 'email', equality: true }]);
  assert.deepEqual(filterExpressions('(lower(email) = $1)'), ['lower(email)'], 'a parameter is a constant to an index');
  assert.deepEqual(filterExpressions('(lower(email) = $1) AND (f($2) = 1)'), ['lower(email)']);
  assert.deepEqual(filterExpressions('(a = $1)'), []);
  assert.deepEqual(filterExpressions('(lower(a.x) = lower(b.y))'), []);
  assert.deepEqual(filterExpressions(`(${'('.repeat(30000)}`), [], 'bounded');
  // A pasted plan is anyone's text: nothing that would end the suggested statement or comment it out.
  assert.deepEqual(filterExpressions('(f(x); DROP TABLE t; --) = 1)'), []);
  assert.deepEqual(filterExpressions('(f(x) /* y */ = 1)'), []);
  assert.deepEqual(filterExpressions("(f('a;b') = 1)"), ["f('a;b')"]);
  assert.deepEqual(filterExpressions(Array.from({ length: 500 }, (_, i) => `(f${i}(x) = 1)`).join(' AND ')).length, 64, 'at most 64 terms');
});

/** One seq scan node on users, as EXPLAIN (FORMAT JSON) prints it. */
function seqScan(filter: string, planRows: number, rows: number, removed: number, alias = 'users'): Insight[] {
  const node = {
    'Node Type': 'Seq Scan',
    'Relation Name': 'users',
    Alias: alias,
    'Startup Cost': 0,
    'Total Cost': 2000,
    'Plan Rows': planRows,
    'Plan Width': 40,
    'Actual Startup Time': 0,
    'Actual Total Time': 12,
    'Actual Rows': rows,
    'Actual Loops': 1,
    Filter: filter,
    'Rows Removed by Filter': removed,
  };
  return planInsights(parsePlan(JSON.stringify([{ Plan: node, 'Execution Time': 12 }])));
}

test('an expression filter: the seq scan and the estimate miss write the same expression index, then ANALYZE', () => {
  const found = seqScan("(lower(u.email) = 'guest42@example.com'::text)", 500, 1, 99_999, 'u');
  const seq = found.find((i) => i.rule === 'missing-index');
  const miss = found.find((i) => i.rule === 'estimate-miss');
  assert.equal(seq?.title, 'Missing expression index on users (lower(email))');
  assert.equal(miss?.action.text, 'CREATE INDEX users_lower_email_idx ON users (lower(email));\nANALYZE users;');
  assert.equal(seq?.action.text, miss?.action.text);
  const sum = seqScan('((x + y) > 10)', 500, 1, 99_999).find((i) => i.rule === 'missing-index');
  assert.equal(sum?.action.text, 'CREATE INDEX users_x_y_idx ON users ((x + y));\nANALYZE users;');
  // A plain column still gets ANALYZE for its estimate and a column index for its scan.
  const plain = seqScan("(status = 'x'::text)", 500, 1, 99_999);
  assert.equal(plain.find((i) => i.rule === 'estimate-miss')?.action.text, 'ANALYZE users;');
  assert.equal(plain.find((i) => i.rule === 'missing-index')?.action.text, 'CREATE INDEX users_status_idx ON users (status);');
});
