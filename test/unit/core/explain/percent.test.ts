// Shares never round to 100% or 0% unless exact, in the formatter and in the insight that uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percent } from '../../../../src/core/explain/percent';
import { parsePlan } from '../../../../src/core/explain/parsePlan';
import { planInsights } from '../../../../src/core/explain/insights';

test('percent keeps one decimal, and more only where rounding would say 100% or 0%', () => {
  assert.equal(percent(199_960, 200_000), '99.98%');
  assert.equal(percent(40, 200_000), '0.02%');
  assert.equal(percent(1, 3), '33.3%');
  assert.equal(percent(95, 100), '95.0%');
  assert.equal(percent(999_999, 1_000_000), '> 99.99%');
  assert.equal(percent(1, 1_000_000), '< 0.01%');
  assert.equal(percent(0, 10), '0%');
  assert.equal(percent(10, 10), '100%');
  assert.equal(percent(1, 0), '–');
  assert.equal(percent(Number.NaN, 10), '–');
  assert.equal(percent(2, 3, 0), '67%');
  assert.equal(percent(1, 300, 0), '0.3%');
  assert.equal(percent(299, 300, 0), '99.7%');
});

test('the missing-index insight reads 99.98% for 40 rows kept of 200,000', () => {
  const plan = parsePlan(`Seq Scan on bookings  (cost=0.00..4000.00 rows=40 width=40) (actual time=0.020..25.000 rows=40 loops=1)
  Filter: (guest_id = 42)
  Rows Removed by Filter: 199960
Planning Time: 0.100 ms
Execution Time: 25.100 ms`);
  const found = planInsights(plan).find((i) => i.rule === 'missing-index');
  assert.ok(found);
  assert.match(found.why, /read 200,000 rows and kept 40 \(99\.98% filtered out\)/);
  assert.doesNotMatch(found.why, /100(\.0)?%/);
});
