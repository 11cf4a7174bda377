// Replication slots' levels: an inactive slot warns, one whose WAL is gone or going is critical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slotLevel } from '../../../../src/core/health/replication';

test('slotLevel: active ok, inactive warning, unreserved or lost critical even while active', () => {
  assert.equal(slotLevel({ active: true, walStatus: 'reserved' }), 'ok');
  assert.equal(slotLevel({ active: true, walStatus: 'extended' }), 'ok');
  assert.equal(slotLevel({ active: false, walStatus: 'reserved' }), 'warning');
  assert.equal(slotLevel({ active: false, walStatus: null }), 'warning');
  assert.equal(slotLevel({ active: true, walStatus: 'unreserved' }), 'critical');
  assert.equal(slotLevel({ active: false, walStatus: 'lost' }), 'critical');
});
