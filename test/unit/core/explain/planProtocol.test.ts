// The plan panel's protocol and the save/reopen round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWebviewMessage } from '../../../../src/core/explain/planProtocol';
import { answer, wireMessage } from '../../../../src/vscode/explain/planContent';
import { fig, reviveColumns } from '../../../../src/core/explain/planWire';
import { toExplainJson } from '../../../../src/core/explain/planJson';
import { parsePlan } from '../../../../src/core/explain/parsePlan';
import { planDocFromText, planDocOf } from '../../../../src/core/explain/planDoc';

const PLANS = join(__dirname, '..', '..', '..', 'fixtures', 'plans', 'pg16');

test('only known, well-formed messages from the webview get through', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'save', extra: 1 }), { type: 'save' });
  assert.deepEqual(parseWebviewMessage({ type: 'copy', text: 'ANALYZE t;' }), { type: 'copy', text: 'ANALYZE t;' });
  assert.deepEqual(parseWebviewMessage({ type: 'node', side: 1, id: 3, requestId: 7 }), { type: 'node', side: 1, id: 3, requestId: 7 });
  assert.deepEqual(parseWebviewMessage({ type: 'raw', side: 0, requestId: 0 }), { type: 'raw', side: 0, requestId: 0 });
  for (const bad of [
    null,
    'ready',
    42,
    {},
    { type: 'runSql', sql: 'DROP TABLE t' },
    { type: 'copy' },
    { type: 'copy', text: 7 },
    { type: 'copy', text: 'x'.repeat(1_000_001) },
    { type: 'node', side: 2, id: 1, requestId: 1 },
    { type: 'node', side: 0, id: -1, requestId: 1 },
    { type: 'node', side: 0, id: 1.5, requestId: 1 },
    { type: 'node', side: 0, id: '1', requestId: 1 },
    { type: 'raw', requestId: 1 },
    // A request without its id, or with one that is not a whole number, gets no answer.
    { type: 'node', side: 0, id: 1 },
    { type: 'raw', side: 0 },
    { type: 'raw', side: 0, requestId: -1 },
    { type: 'raw', side: 0, requestId: '1' },
    { type: 'node', side: 0, id: 1, requestId: 0.5 },
  ]) {
    assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 40));
  }
});

test('a text plan saved as .json reopens to the same tree, with its query', () => {
  for (const name of ['subplans', 'parallel', 'insert-fk', 'hash-spill']) {
    const fromText = parsePlan(readFileSync(join(PLANS, `${name}.txt`), 'utf8'));
    const saved = JSON.stringify(toExplainJson(fromText, 'SELECT 1'));
    const reopened = planDocOf(saved, `${name}.json`);
    assert.equal(reopened.query, 'SELECT 1');
    assert.deepEqual(
      reopened.plan.nodes.map((n) => [n.label, n.parentId, n.actualRows, n.actualLoops, n.exclusiveMs, n.buffers]),
      fromText.nodes.map((n) => [n.label, n.parentId, n.actualRows, n.actualLoops, n.exclusiveMs, n.buffers]),
      name,
    );
    assert.equal(reopened.plan.summary.executionMs, fromText.summary.executionMs);
    assert.deepEqual(reopened.plan.summary.triggers, fromText.summary.triggers);
  }
});

test('the tree goes as columns; a node and the raw plan go when asked for', () => {
  const doc = planDocOf(readFileSync(join(PLANS, 'subplans.json'), 'utf8'), 'subplans.json');
  const after = planDocOf(readFileSync(join(PLANS, 'missing-index.json'), 'utf8'), 'after.json');
  const m = wireMessage({ type: 'show', doc });
  assert.equal(m.type, 'show');
  if (m.type !== 'show') return;
  const c = m.doc.nodes;
  assert.ok(c.exclusiveMs instanceof Float64Array && c.depth instanceof Int32Array);
  doc.plan.nodes.forEach((n, i) => {
    assert.equal(c.label[i], n.label);
    assert.equal(c.subplan[i], n.subplanName ?? '');
    assert.equal(c.depth[i], n.depth);
    assert.equal(c.parent[i], n.parentId ?? -1);
    assert.equal(c.childCount[i], n.children.length);
    assert.equal(c.exclusiveMs[i], n.exclusiveMs);
    assert.equal(fig(c.actualRows[i]!), n.actualRows);
    assert.equal(fig(c.loops[i]!), n.actualLoops);
    assert.equal(fig(c.estimateFactor[i]!), n.estimateFactor);
    assert.equal(c.under[i], n.estimateDirection === 'under' ? 1 : 0);
    assert.equal(c.temp[i], n.buffers.tempRead + n.buffers.tempWritten);
  });
  assert.deepEqual(m.doc.insights, doc.insights);
  // Columns that crossed a transport as JSON (NaN → null, typed arrays → objects) come back.
  const viaJson = reviveColumns(JSON.parse(JSON.stringify(c)) as typeof c);
  assert.ok(viaJson.exclusiveMs instanceof Float64Array);
  assert.deepEqual([...viaJson.exclusiveMs], [...c.exclusiveMs]);
  assert.deepEqual([...viaJson.loops].map(fig), [...c.loops].map(fig));
  const both = { type: 'compare' as const, left: doc, right: after };
  assert.deepEqual(answer(both, { type: 'node', side: 1, id: 0, requestId: 1 }), { type: 'node', side: 1, node: after.plan.nodes[0] });
  assert.deepEqual(answer(both, { type: 'node', side: 0, id: 3, requestId: 2 }), { type: 'node', side: 0, node: doc.plan.nodes[3] });
  assert.equal(answer(both, { type: 'node', side: 0, id: 10_000, requestId: 3 }), undefined);
  assert.deepEqual(answer(both, { type: 'raw', side: 1, requestId: 4 }), { type: 'raw', side: 1, text: after.raw });
  // The detail carries the server's properties, not the children.
  assert.equal(doc.plan.nodes[0]!.props.Plans, undefined);
  assert.equal(typeof doc.plan.nodes[0]!.props['Node Type'], 'string');
});

test('a file that is not a plan says so, by its name, in one sentence', () => {
  assert.throws(() => planDocFromText('{"rows": [1, 2, 3]}', 'export.json'), {
    message: 'export.json is not a PostgreSQL plan: no "Plan" object at the top (expected the output of EXPLAIN (FORMAT JSON))',
  });
  assert.throws(
    () => planDocFromText('SELECT * FROM items WHERE id = 1;', 'query.sql'),
    /^Error: query\.sql is not a PostgreSQL plan: line 1 is not a plan node/,
  );
  assert.throws(() => planDocFromText('', 'empty.txt'), { message: 'empty.txt is not a PostgreSQL plan: the text is empty' });
  assert.equal(planDocFromText(readFileSync(join(PLANS, 'plain.txt'), 'utf8'), 'plain.txt').plan.nodes[0]!.nodeType.length > 0, true);
});
