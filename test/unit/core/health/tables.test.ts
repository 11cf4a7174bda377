// Tables' pure parts: the per-table scale factor from the row count, the primary key's fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { primaryKeyFix, suggestedScaleFactor, TARGET_DEAD_ROWS } from '../../../../src/core/health/tables';

test('suggestedScaleFactor: a vacuum near 100,000 dead rows, one significant digit, never 0', () => {
  assert.equal(TARGET_DEAD_ROWS, 100_000);
  assert.equal(suggestedScaleFactor(1_000_000), 0.1);
  assert.equal(suggestedScaleFactor(1_100_000), 0.09);
  assert.equal(suggestedScaleFactor(37_000_000), 0.003);
  assert.equal(suggestedScaleFactor(100_000_000), 0.001);
  assert.equal(suggestedScaleFactor(1e12), 0.0001);
});

test('primaryKeyFix: the unique index made the key, or the ways to add one; names quoted', () => {
  assert.deepEqual(primaryKeyFix({ schema: 'public', table: 'Guests', candidateIndex: 'guests"email' }), {
    kind: 'sql',
    text: 'ALTER TABLE "public"."Guests" ADD PRIMARY KEY USING INDEX "guests""email";',
  });
  const note = primaryKeyFix({ schema: 'public', table: 'log', candidateIndex: null });
  assert.equal(note.kind, 'note');
  assert.match(note.text, /ALTER TABLE "public"\."log" ADD PRIMARY KEY \(…\)/);
  assert.match(note.text, /REPLICA IDENTITY FULL/);
});
