// Every insight on the stored plans of real servers 13–18, in both formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan } from '../../../../src/core/explain/parsePlan';
import { planInsights } from '../../../../src/core/explain/insights';
import type { Insight } from '../../../../src/core/explain/insightTypes';
import { filterColumns } from '../../../../src/core/explain/filterColumns';
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
