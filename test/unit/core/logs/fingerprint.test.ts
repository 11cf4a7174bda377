import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fingerprinter, shapeKey } from '../../../../src/core/logs/fingerprint';

test('the shape key takes constants out and keeps the fingerprint the real parser gives', async () => {
  const fp = await Fingerprinter.create();
  const cases = [
    ["SELECT * FROM rooms WHERE id = 1 AND note = 'it''s'", 'SELECT * FROM rooms WHERE id = 42 AND note = $1'],
    ["select E'a\\'b', $$x$$, $t$ y $t$, \"col 1\", 1.5e3 from t1", "select 'z', 'q', 'r', \"col 1\", 7 from t1"],
    ['SELECT pg_sleep($1::float8),\n\t$2::text AS guest', 'SELECT pg_sleep(0.5::float8), $2::text AS guest'],
  ] as const;
  for (const [a, b] of cases) {
    assert.equal(fp.shape(a).id, fp.shape(b).id, `${a} ~ ${b}`);
  }
  assert.notEqual(fp.shape('SELECT a FROM t').id, fp.shape('SELECT b FROM t').id);
  // Identifiers with digits stay (t1 is not t0), quoted identifiers stay whole.
  assert.equal(shapeKey('select "a 1", t1.c2 from t1 where x = 5'), 'select "a 1", t1.c2 from t1 where x = 0');
  assert.equal(fp.shape('SELECT * FROM rooms WHERE id = 7').normalized, 'SELECT * FROM rooms WHERE id = $1');
});

test('one parser call per shape, and a text the parser refuses is its own group', async () => {
  const fp = await Fingerprinter.create();
  for (let i = 0; i < 1000; i++) fp.shape(`SELECT * FROM rooms WHERE id = ${i} AND note = 'n${i}'`);
  assert.equal(fp.calls, 1);
  const cut = fp.shape('SELECT * FROM rooms WHERE (id = ');
  assert.equal(cut.parsed, false);
  assert.match(cut.id, /^text:[0-9a-f]{16}$/);
  assert.equal(fp.shape('SELECT * FROM rooms WHERE (id = ').id, cut.id);
});
