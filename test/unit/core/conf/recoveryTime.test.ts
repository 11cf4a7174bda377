// recovery_target_time: what pgdba decides (ISO 8601, text with no date), and what it leaves to the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recoveryTimeVerdict } from '../../../../src/core/conf/recoveryTime';

test('ISO 8601 is decided field by field', () => {
  for (const v of [
    '2024-02-29',
    '2024-1-1 9:00',
    '2024-01-01T12:00:00.123Z',
    '2024-01-01 24:00:00',
    '2024-01-01 23:59:60',
    '2024-01-01 12:00+0200',
    '2024-01-01 12:00 -15:59:59',
  ])
    assert.deepEqual(recoveryTimeVerdict(v), { ok: true }, v);
  for (const [v, why] of [
    ['2100-02-29', /day 29, which 2100-02/],
    ['2024-00-01', /month 0/],
    ['0000-06-01', /year 0/],
    ['2024-01-01 24:00:00.5', /past 24:00:00/],
    ['2024-01-01 12:61', /past 24:00:00/],
    ['2024-01-01 12:00+16', /offset beyond/],
    ['2024-01-01 12:00+02:60', /offset beyond/],
  ] as const) {
    const r = recoveryTimeVerdict(v);
    assert.ok(r !== 'undecided' && !r.ok && why.test(r.why), `${v}: ${JSON.stringify(r)}`);
  }
});

test('the relative words spelt exactly so, special values and text without a digit are refused', () => {
  for (const v of ['now', 'today', 'tomorrow', 'yesterday', 'epoch', '-Infinity', ' ', 'soon'])
    assert.equal((recoveryTimeVerdict(v) as { ok: boolean }).ok, false, v);
  assert.deepEqual(recoveryTimeVerdict(''), { ok: true });
});

test("what the server's DateStyle, abbreviations and zones decide is left undecided", () => {
  for (const v of [
    'NOW',
    'Today 12:00',
    '01/02/2024',
    'Jan 1 2024',
    '2024-01-01 12:00 EST',
    '2024-01-01 12:00 Europe/Paris',
    'J2451187',
    '20240101',
    '2024-01-01 23:59:60.5',
    '9'.repeat(300),
  ])
    assert.equal(recoveryTimeVerdict(v), 'undecided', v);
});
