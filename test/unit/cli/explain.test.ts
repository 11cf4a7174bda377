// `pgdba explain` as a person runs it: a real process on stored plans; exit codes and formats.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildCliBundle } from '../../support/cliBundle';
import { tempDir } from '../../support/tempDir';

const ROOT = resolve(__dirname, '..', '..', '..');
const PLANS = join(ROOT, 'test', 'fixtures', 'plans', 'pg16');
const dir = tempDir('explain-cli');
const CLI = join(dir, 'cli.js');
before(() => buildCliBundle(CLI));
writeFileSync(join(dir, 'x.json'), '{"rows": [1, 2]}');

function pgdba(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, 'explain', ...args], { cwd: dir }, (e, out, err) => done({ code: e ? (e.code as number) : 0, out, err }));
  });
}

test('a plan with a missing index: text report, exit 1', async () => {
  const r = await pgdba(join(PLANS, 'missing-index.txt'));
  assert.equal(r.code, 1);
  assert.match(r.out, /WARNING #0 Missing index on items \(category, price\)/);
  assert.match(r.out, /> CREATE INDEX items_category_price_idx ON items \(category, price\);/);
});

test('JSON output: {summary, nodes, insights}', async () => {
  const r = await pgdba(join(PLANS, 'heap-fetches.json'), '--format', 'json');
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.out) as { summary: { nodeCount: number }; nodes: unknown[]; insights: { rule: string }[] };
  assert.equal(doc.nodes.length, doc.summary.nodeCount);
  assert.deepEqual(
    doc.insights.map((i) => i.rule),
    ['heap-fetches'],
  );
});

test('a healthy plan exits 0', async () => {
  const r = await pgdba(join(PLANS, 'plain.json'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /EXPLAIN \(estimates only\)/);
});

test('bad input: one clear line, exit 2', async () => {
  const notPlan = await pgdba('x.json');
  assert.equal(notPlan.code, 2);
  assert.equal(notPlan.err, 'pgdba explain: x.json is not a PostgreSQL plan: no "Plan" object at the top (expected the output of EXPLAIN (FORMAT JSON))\n');
  const missing = await pgdba('nope.json');
  assert.deepEqual([missing.code, missing.err], [2, 'pgdba explain: cannot read nope.json: no such file\n']);
  const usage = await pgdba('--format', 'xml', 'a.json');
  assert.equal(usage.code, 2);
  assert.match(usage.err, /--format must be text or json/);
  const refused = await pgdba('--url', 'postgres://127.0.0.1:1/x', '--sql', 'VACUUM t');
  assert.equal(refused.code, 2);
  assert.match(refused.err, /Not run: VACUUM cannot run inside a transaction block/);
});

test('a paste reads as a plan: psql unicode table, a log of auto_explain plans (the first, or --plan N)', async () => {
  const PASTES = join(ROOT, 'test', 'fixtures', 'pastes', 'pg16');
  const table = await pgdba(join(PASTES, 'psql-unicode-border2.txt'), '--format', 'json');
  assert.equal((JSON.parse(table.out) as { summary: { nodeCount: number } }).summary.nodeCount, 10, table.err);
  const first = await pgdba(join(PASTES, 'auto_explain-text.log'), '--format', 'json');
  const doc = JSON.parse(first.out) as { summary: { nodeCount: number }; notices: string[] };
  assert.equal(doc.summary.nodeCount, 10, first.err);
  assert.deepEqual(doc.notices, [`${join(PASTES, 'auto_explain-text.log')} holds 2 plans: this is plan 1.`]);
  const second = await pgdba(join(PASTES, 'auto_explain-text.log'), '--plan', '2', '--format', 'json');
  assert.ok((JSON.parse(second.out) as { summary: { nodeCount: number } }).summary.nodeCount < 10, second.err);
  const none = await pgdba(join(PASTES, 'auto_explain-text.log'), '--plan', '3');
  assert.deepEqual(
    [none.code, none.err],
    [2, `pgdba explain: ${join(PASTES, 'auto_explain-text.log')} is not a PostgreSQL plan: the log holds 2 plans: plan 3 does not exist\n`],
  );
  const usage = await pgdba(join(PASTES, 'plan.json'), '--plan', '0');
  assert.equal(usage.code, 2);
  assert.match(usage.err, /^pgdba explain: --plan must be a plan number: 1, 2, …\n/);
});

test("terminal escapes in a plan's Relation Name are printed escaped; JSON keeps the exact name", async () => {
  const hostile = '\u001b]0;PWNED\u0007\u001b[2J\u202e\u009b';
  const plan = JSON.parse(readFileSync(join(PLANS, 'heap-fetches.json'), 'utf8')) as [{ Plan: Record<string, unknown> }];
  plan[0].Plan['Relation Name'] = hostile;
  writeFileSync(join(dir, 'hostile.json'), JSON.stringify(plan));
  const text = await pgdba(join(dir, 'hostile.json'));
  assert.doesNotMatch(text.out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  assert.match(text.out, /\\x1b\]0;PWNED\\x07\\x1b\[2J\\u202e\\x9b/);
  const json = await pgdba(join(dir, 'hostile.json'), '--format', 'json');
  assert.doesNotMatch(json.out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  const doc = JSON.parse(json.out) as { nodes: { relation?: string }[] };
  assert.equal(doc.nodes[0]?.relation, hostile);
});

test('a plan file named like an option goes after --', async () => {
  writeFileSync(join(dir, '--plan'), readFileSync(join(PLANS, 'plain.json')));
  const r = await pgdba('--format', 'json', '--', '--plan');
  assert.equal(r.code, 0, r.err);
  assert.ok((JSON.parse(r.out) as { nodes: unknown[] }).nodes.length > 0);
  const two = await pgdba('--', '--plan', 'x.json');
  assert.equal(two.code, 2);
  assert.match(two.err, /^pgdba explain: give one plan file\n/);
});
