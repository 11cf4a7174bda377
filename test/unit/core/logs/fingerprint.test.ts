import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fingerprinter, shapeKey } from '../../../../src/core/logs/fingerprint';
import { loadPgParser, MAX_PARSE_CHARS } from '../../../../src/core/sql/pgParser';

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

test('a statement past MAX_PARSE_CHARS is grouped by its text, never given to the parser', async () => {
  const fp = await Fingerprinter.create();
  const huge = `SELECT ${Array.from({ length: 30_000 }, (_, i) => `c${i}`).join(', ')} FROM t`;
  assert.ok(shapeKey(huge).length > MAX_PARSE_CHARS);
  const a = fp.shape(huge);
  assert.equal(fp.calls, 0);
  assert.equal(a.parsed, false);
  assert.match(a.id, /^text:[0-9a-f]{16}$/);
  assert.ok(a.normalized.length < 70_000, 'the kept text is cut');
  // Not cached (its key would hold the whole text), yet the same group each time.
  assert.equal(fp.shape(huge.replace('FROM t', 'FROM t ')).id, a.id);
  const other = fp.shape(huge.replace('c1,', 'd1,'));
  assert.notEqual(other.id, a.id);
});

test('the advisor and the log reports share one parser module', async () => {
  assert.equal(loadPgParser(), loadPgParser());
  const pg = await loadPgParser();
  assert.equal(pg.fingerprintSync('SELECT 1'), pg.fingerprintSync('SELECT 2'));
});

test("a utility statement's text keeps its own constants: the key's 0 and '' never show", async () => {
  const fp = await Fingerprinter.create();
  const ddl = fp.shape("CREATE TABLE bookings AS SELECT g % 5000 AS guest_id, 'x'   AS note\n  FROM generate_series(1, 200000) g");
  assert.equal(ddl.normalized, "CREATE TABLE bookings AS SELECT g % 5000 AS guest_id, 'x' AS note FROM generate_series(1, 200000) g");
  // A query's constants are the parser's $n, as before, whitespace made one space.
  assert.equal(fp.shape("SELECT *\n  FROM rooms WHERE id = 7 AND note = 'n'").normalized, 'SELECT * FROM rooms WHERE id = $1 AND note = $2');
});
