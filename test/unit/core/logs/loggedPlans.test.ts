// auto_explain's plans from a real PostgreSQL 16 log (test/fixtures/logs/, written by
// scripts/genLogFixtures.ts: one plan in text format, one in JSON, beside their statements), the
// minute buckets, and the worst sample's parameters written in as literals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Fingerprinter, LogAnalyzer, bindParameters, hostFileSource, parseLoggedParameters, planPasteText, readLogs } from '../../../../src/core/logs';
import { localHost } from '../../../../src/core/host/localHost';
import { planDocFromText } from '../../../../src/core/explain/planDoc';

const FIXTURE = join(__dirname, '..', '..', '..', 'fixtures', 'logs', 'auto_explain-pg16.log');

async function fixtureReport() {
  const a = new LogAnalyzer(await Fingerprinter.create());
  const { reads } = await readLogs([hostFileSource(localHost, FIXTURE)], a);
  return a.report(reads);
}

test('auto_explain: both formats are kept with their query, slowest first, not counted as statements', async () => {
  const r = await fixtureReport();
  assert.equal(r.planCount, 2);
  assert.deepEqual(
    r.plans.map((p) => [p.format, p.durationMs, p.line, p.database]),
    [
      ['text', 60.482, 19, 'hotel'],
      ['json', 60.17, 28, 'hotel'],
    ],
  );
  assert.equal(r.plans[0]!.query, 'SELECT count(*), pg_sleep(0.06) FROM rooms WHERE floor = $1');
  assert.equal(r.plans[1]!.query, 'SELECT r.id, pg_sleep(0.06) FROM rooms r WHERE r.id = $1 AND r.note IS NULL');
  // The two "execute <unnamed>" durations are the statements; the plans' durations are not.
  assert.equal(r.summary.statements, 2);
});

test('auto_explain: each kept plan opens in the plan reader (text: its Seq Scan and filter; JSON: its Index Scan)', async () => {
  const r = await fixtureReport();
  const text = planDocFromText(planPasteText(r.plans[0]!), 'text plan');
  const json = planDocFromText(planPasteText(r.plans[1]!), 'json plan');
  const types = (d: typeof text) => d.plan.nodes.map((n) => n.nodeType);
  assert.deepEqual(types(text), ['Aggregate', 'Seq Scan']);
  assert.deepEqual(types(json), ['Index Scan']);
  assert.equal(text.query, 'SELECT count(*), pg_sleep(0.06) FROM rooms WHERE floor = $1');
});

test('minute buckets count what the hourly ones count', async () => {
  const r = await fixtureReport();
  const sum = (rows: { statements: number; errors: number; connections: number; disconnections: number }[]) =>
    rows.reduce((s, b) => [s[0]! + b.statements, s[1]! + b.errors, s[2]! + b.connections, s[3]! + b.disconnections], [0, 0, 0, 0]);
  assert.deepEqual(sum(r.minutely), sum(r.hourly));
  assert.deepEqual(sum(r.minutely), [2, 1, 3, 3]);
  assert.ok(r.minutely.every((m) => m.minute.endsWith(':00.000Z')));
});

test('logged parameters: quotes doubled, NULL, backslashes and $n inside strings stay data', () => {
  const values = parseLoggedParameters("$1 = 'it''s', $2 = NULL, $3 = 'a\\b', $4 = '$1'");
  assert.deepEqual(values, ["it's", null, 'a\\b', '$1']);
  const sql = bindParameters("SELECT $1, $2, $3, '$1', $4 /* $2 */ FROM t WHERE x = $10", [...values, '', '', '', '', '', '7']);
  assert.equal(sql, "SELECT 'it''s', NULL, E'a\\\\b', '$1', '$1' /* $2 */ FROM t WHERE x = '7'");
});

test('logged parameters: a cut or malformed list is refused in words, a missing $n too', () => {
  assert.throws(() => parseLoggedParameters("$1 = 'abc"), /quote never closes/);
  assert.throws(() => parseLoggedParameters("$2 = '1'"), /expected \$1/);
  assert.throws(() => parseLoggedParameters('$1 = 1'), /quoted value or NULL/);
  assert.throws(() => bindParameters('SELECT $2', ['a']), /uses \$2, but the log gives 1 parameter/);
});
