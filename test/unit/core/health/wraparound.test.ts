// Wraparound's levels (a share of the freeze max age, critical from half the hard limit) and the
// statements that end what holds freezing back, quoted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveThresholds } from '../../../../src/core/stats/thresholds';
import { holderFix, wraparoundLevel } from '../../../../src/core/health/wraparound';

const t = resolveThresholds().thresholds.wraparoundPct;

test('wraparound levels: percent of autovacuum_freeze_max_age, strict limits, the hard limit whatever the setting', () => {
  assert.deepEqual(wraparoundLevel(200_000_000, 200_000_000, t), { level: 'ok', pct: 100, nearLimit: false });
  assert.deepEqual(wraparoundLevel(200_000_001, 200_000_000, t).level, 'warning');
  assert.equal(wraparoundLevel(200_000_001, 200_000_000, t).threshold, 100);
  assert.deepEqual(wraparoundLevel(800_000_001, 200_000_000, t), { level: 'critical', pct: 400.0000005, threshold: 400, nearLimit: false });
  // A freeze max age of 1.5 billion: 110% is past half of 2^31, critical though below 400%.
  assert.deepEqual(wraparoundLevel(1_650_000_000, 1_500_000_000, t), { level: 'critical', pct: 110, nearLimit: true });
  assert.equal(wraparoundLevel(150_000, 100_000, { warn: 200, crit: 300 }).level, 'ok', 'thresholds from pgdba.alerts.thresholds');
  assert.equal(wraparoundLevel(5, 0, t).pct, 0, 'a zero setting divides nothing');
});

test('what holds freezing back: each fix written out, names as literals', () => {
  assert.equal(holderFix({ kind: 'session', name: '4242' }).text.split(';')[0], 'SELECT pg_terminate_backend(4242)');
  assert.equal(holderFix({ kind: 'prepared', name: "it's'); DROP TABLE x; --" }).text.split('  --')[0], "ROLLBACK PREPARED 'it''s''); DROP TABLE x; --';");
  assert.equal(holderFix({ kind: 'slot-catalog', name: 'a\\b' }).text.split(';')[0], "SELECT pg_drop_replication_slot(E'a\\\\b')");
  assert.equal(holderFix({ kind: 'slot', name: 's' }).kind, 'sql');
  assert.deepEqual(holderFix({ kind: 'standby', name: 'replica1' }).kind, 'note');
  assert.match(holderFix({ kind: 'standby', name: 'replica1' }).text, /hot_standby_feedback/);
});
