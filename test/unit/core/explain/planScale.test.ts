// Deep and long plans (issue #12 item 12): every parser and every walk of its output is iterative
// and linear. Before the fix a 10,000-deep JSON plan overflowed the stack in the parser and a
// 3,000-deep text plan spent minutes in a regular expression retried from every blank of its
// indentation; here both open, and everything the CLI does with them runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlan } from '../../../../src/core/explain/parsePlan';
import { planInsights } from '../../../../src/core/explain/insights';
import { nodeColumns } from '../../../../src/core/explain/planWire';
import { stripPsqlDecoration } from '../../../../src/core/explain/planPaste';
import { formatPlanReport } from '../../../../src/core/explain/planReport';

const FIGS = '"Startup Cost":0,"Total Cost":1,"Plan Rows":1,"Plan Width":4,"Actual Startup Time":0.1,"Actual Total Time":1,"Actual Rows":1,"Actual Loops":1';

/** A chain of `depth` Limit nodes over a Seq Scan, written out as text (JSON.stringify would recurse). */
export function deepJsonPlan(depth: number): string {
  const leaf = `{"Node Type":"Seq Scan","Relation Name":"t",${FIGS}}`;
  return `[{"Plan":${`{"Node Type":"Limit",${FIGS},"Plans":[`.repeat(depth)}${leaf}${']}'.repeat(depth)},"Execution Time":1}]`;
}

export function deepTextPlan(depth: number): string {
  const node = 'Limit  (cost=0.00..1.00 rows=1 width=4) (actual time=0.100..1.000 rows=1 loops=1)';
  const lines = [node];
  for (let i = 1; i < depth; i++) lines.push(`${' '.repeat(2 + 6 * (i - 1))}->  ${node}`);
  lines.push('Planning Time: 0.100 ms', 'Execution Time: 1.000 ms');
  return lines.join('\n');
}

test('a 20,000-deep JSON plan parses, gets insights, goes over the wire and prints in the CLI', () => {
  const plan = parsePlan(deepJsonPlan(20_000));
  assert.equal(plan.nodes.length, 20_001);
  assert.equal(plan.nodes[20_000]?.depth, 20_000);
  assert.equal(plan.nodes[20_000]?.relation, 't');
  assert.ok(Array.isArray(planInsights(plan)));
  assert.equal(nodeColumns(plan.nodes).childCount.length, 20_001);
  assert.match(formatPlanReport(plan, planInsights(plan), 'text'), /20001 nodes/);
  assert.equal((JSON.parse(formatPlanReport(plan, [], 'json')) as { nodes: unknown[] }).nodes.length, 20_001);
});

test('a 3,000-deep text plan parses (was minutes: /\\s+$/ over 18,000 blanks per line)', () => {
  const plan = parsePlan(deepTextPlan(3_000));
  assert.equal(plan.nodes.length, 3_000);
  assert.equal(plan.nodes[2_999]?.depth, 2_999);
  assert.equal(plan.summary.executionMs, 1);
});

test("psql's decoration is still taken off: trailing blanks and the ' +' continuation mark", () => {
  assert.deepEqual(stripPsqlDecoration('  QUERY PLAN  \n-----\n [ +\n   {  \t\n "a": 1 +\n ] \n(4 rows)\n'), [' [', '   {', ' "a": 1', ' ]']);
  assert.deepEqual(stripPsqlDecoration('x+\ny +  \n'), ['x+', 'y +'], "a '+' not after a blank, or not last, stays");
});
