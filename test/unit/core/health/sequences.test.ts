// Sequences near their limit: the share used against the sequence's range or its column's type,
// and the statements that move it to bigint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sequenceUsedPct, type SequenceRow } from '../../../../src/core/stats/sequences';
import { sequenceFix } from '../../../../src/core/health/sequences';

const INT4 = 2147483647;
const INT8 = 9223372036854775807;
const row = (o: Partial<SequenceRow>): SequenceRow => ({
  schema: 'public',
  sequence: 'reservations_id_seq',
  sequenceType: 'integer',
  lastValue: 1,
  minValue: 1,
  maxValue: INT4,
  increment: 1,
  tableSchema: 'public',
  table: 'reservations',
  column: 'id',
  columnType: 'integer',
  columnMax: INT4,
  identity: '',
  ...o,
});

test("used share: the lower of the sequence's and the column's limit; descending sequences toward their minimum", () => {
  assert.equal(sequenceUsedPct(row({ lastValue: 1 })), 0);
  assert.equal(Math.round(sequenceUsedPct(row({ lastValue: INT4 * 0.95 }))), 95);
  assert.equal(Math.round(sequenceUsedPct(row({ sequenceType: 'bigint', maxValue: INT8, lastValue: INT4 * 0.8 }))), 80, 'bigint sequence, int4 column');
  assert.equal(Math.round(sequenceUsedPct(row({ columnType: 'bigint', columnMax: INT8, sequenceType: 'integer', lastValue: INT4 * 0.8 }))), 80);
  assert.ok(
    sequenceUsedPct(row({ table: null, column: null, columnType: null, columnMax: null, sequenceType: 'bigint', maxValue: INT8, lastValue: INT4 })) < 0.001,
  );
  const desc = row({ increment: -1, minValue: -INT4 - 1, maxValue: -1, lastValue: -INT4 * 0.9 });
  assert.equal(Math.round(sequenceUsedPct(desc)), 90);
  assert.equal(sequenceUsedPct(row({ minValue: 5, maxValue: 5, lastValue: 5 })), 100, 'an empty range is used up');
});

test('the fix: ALTER TABLE … TYPE bigint with its cost, ALTER SEQUENCE unless identity, quoted names', () => {
  const serial = sequenceFix(row({ table: 'Reservations"x', sequence: 'r_seq' })).text.split('\n');
  assert.equal(serial.length, 2);
  assert.match(
    serial[0]!,
    /^ALTER TABLE "public"\."Reservations""x" ALTER COLUMN "id" TYPE bigint;  -- rewrites the whole table and its indexes under an ACCESS EXCLUSIVE lock/,
  );
  assert.equal(serial[1], 'ALTER SEQUENCE "public"."r_seq" AS bigint;  -- quick: no rewrite');
  assert.equal(sequenceFix(row({ identity: 'd' })).text.split('\n').length, 1, "an identity's sequence follows its column");
  assert.equal(
    sequenceFix(row({ columnType: 'bigint', columnMax: INT8 })).text,
    'ALTER SEQUENCE "public"."reservations_id_seq" AS bigint;  -- quick: no rewrite',
  );
  const big = sequenceFix(row({ sequenceType: 'bigint', maxValue: INT8, columnType: 'bigint', columnMax: INT8 }));
  assert.equal(big.kind, 'note');
  assert.match(big.text, /already bigint/);
});
