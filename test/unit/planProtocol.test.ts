// The plan panel's protocol and the save/reopen round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeProps, packDoc, parseWebviewMessage } from '../../src/core/explain/planProtocol';
import { toExplainJson } from '../../src/core/explain/planJson';
import { parsePlan } from '../../src/core/explain/parsePlan';
import { planDocOf } from '../../src/core/explain/planDoc';

const PLANS = join(__dirname, '..', 'fixtures', 'plans', 'pg16');

test('only known, well-formed messages from the webview get through', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'save', extra: 1 }), { type: 'save' });
  assert.deepEqual(parseWebviewMessage({ type: 'copy', text: 'ANALYZE t;' }), { type: 'copy', text: 'ANALYZE t;' });
  for (const bad of [null, 'ready', 42, {}, { type: 'runSql', sql: 'DROP TABLE t' }, { type: 'copy' }, { type: 'copy', text: 7 }, { type: 'copy', text: 'x'.repeat(1_000_001) }]) {
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

test('a packed doc carries the same props, as one string', () => {
  const doc = planDocOf(readFileSync(join(PLANS, 'subplans.json'), 'utf8'), 'subplans.json');
  const packed = JSON.parse(JSON.stringify(packDoc(doc))) as typeof doc;
  assert.ok(packed.plan.nodes.every((n) => Object.keys(n.props).length === 0));
  doc.plan.nodes.forEach((n) => assert.deepEqual(nodeProps(packed, n.id), n.props));
  assert.deepEqual(nodeProps(doc, 3), doc.plan.nodes[3]!.props);
});
