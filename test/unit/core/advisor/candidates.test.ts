// Candidates from PostgreSQL's own parse tree: equality before range columns, expressions,
// joins, ORDER BY, aliases and CTEs resolved; columns already leading an index left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement } from '../../../../src/core/advisor/sqlParser';
import { statementShape, type TableRef } from '../../../../src/core/advisor/predicates';
import { statementCandidates, type RelationInfo } from '../../../../src/core/advisor/candidates';
import { indexName, indexSteps, stepsSql } from '../../../../src/core/advisor/indexDdl';

const rel = (name: string, columns: string[], indexKeys: string[][] = [], leaves: string[] = []): RelationInfo => ({
  schema: 'public',
  name,
  partitioned: leaves.length > 0,
  columns,
  leaves: leaves.map((l) => ({ schema: 'public', name: l })),
  indexKeys,
});
const CATALOG: Record<string, RelationInfo> = {
  reservations: rel(
    'reservations',
    ['id', 'client_id', 'hotel_id', 'check_in_date', 'check_out_date', 'status', 'created_at'],
    [['id', 'check_in_date']],
    ['reservations_2025_q1'],
  ),
  clients: rel('clients', ['id', 'email', 'full_name'], [['id']]),
  hotels: rel('hotels', ['id', 'name', 'city'], [['id']]),
};
const lookup = (t: TableRef) => CATALOG[t.name];

async function ids(sql: string, which: 'primary' | 'variants' = 'primary'): Promise<string[]> {
  return statementCandidates(statementShape(await parseStatement(sql)), lookup)[which].map((c) => c.id);
}

test('equality columns lead, then the range columns (the seed stay query)', async () => {
  assert.deepEqual(await ids('SELECT * FROM reservations WHERE check_out_date <= $3 AND hotel_id = $1 AND check_in_date BETWEEN $2 AND $4'), [
    'public.reservations (hotel_id, check_out_date, check_in_date)',
  ]);
  assert.deepEqual(await ids('SELECT * FROM reservations WHERE check_in_date BETWEEN $1 AND $2 AND check_out_date <= $3', 'variants'), [
    'public.reservations (check_in_date, check_out_date)',
    'public.reservations (check_in_date)',
    'public.reservations (check_out_date)',
  ]);
});

test('an expression is a key of its own: lower(email), quoted in the statement', async () => {
  const shape = statementShape(await parseStatement("SELECT * FROM clients c WHERE lower(c.email) = 'a@b.c'"));
  const c = statementCandidates(shape, lookup).primary[0];
  assert.ok(c);
  assert.equal(c.id, 'public.clients (lower(email))');
  assert.equal(stepsSql(indexSteps(c.relation, c.keys)), 'CREATE INDEX CONCURRENTLY "clients_email_idx" ON "public"."clients" (("lower"("email")));');
});

test('LIKE with a fixed prefix: a range through text_pattern_ops; a leading wildcard or a parameter is none', async () => {
  const shape = statementShape(await parseStatement("SELECT * FROM clients WHERE email LIKE 'ann%'"));
  const c = statementCandidates(shape, lookup).primary[0];
  assert.equal(c?.id, 'public.clients (email text_pattern_ops)');
  assert.equal(stepsSql(indexSteps(c.relation, c.keys)), 'CREATE INDEX CONCURRENTLY "clients_email_idx" ON "public"."clients" ("email" text_pattern_ops);');
  assert.deepEqual(await ids("SELECT * FROM clients WHERE email LIKE '%ann'"), []);
  assert.deepEqual(await ids('SELECT * FROM clients WHERE email LIKE $1'), []);
  const served = { ...CATALOG.clients!, indexKeys: [['email text_pattern_ops']] };
  assert.deepEqual(statementCandidates(shape, () => served).primary, [], 'a pattern index on it serves it');
});

test('joins resolve aliases and unqualified columns; a column already leading an index is served', async () => {
  const got = await ids(
    'SELECT r.id FROM reservations r JOIN clients c ON c.id = r.client_id JOIN hotels h ON h.id = r.hotel_id WHERE city = $1 ORDER BY r.created_at',
  );
  assert.deepEqual(got.sort(), ['public.hotels (city)', 'public.reservations (client_id)', 'public.reservations (hotel_id)'].sort());
  assert.deepEqual(await ids('SELECT * FROM clients WHERE id = $1'), [], 'the primary key serves it');
  assert.deepEqual(await ids('SELECT * FROM reservations WHERE id = $1'), [], 'the leading column of (id, check_in_date)');
});

test('ORDER BY after equality when there is no range; OR, same-table comparisons and CTE names give nothing', async () => {
  assert.deepEqual(await ids('SELECT * FROM reservations WHERE status = $1 ORDER BY created_at DESC LIMIT 10'), ['public.reservations (status, created_at)']);
  assert.deepEqual(await ids('SELECT * FROM reservations WHERE status = $1 OR hotel_id = $2'), []);
  assert.deepEqual(await ids('SELECT * FROM reservations WHERE check_in_date = check_out_date'), []);
  assert.deepEqual(await ids('WITH clients AS (SELECT 1 AS email) SELECT * FROM clients WHERE email = $1'), []);
});

test('subqueries, UPDATE and DELETE are levels of their own; parameters counted', async () => {
  const sql = 'UPDATE reservations SET status = $1 WHERE client_id IN (SELECT id FROM clients WHERE email = $2)';
  const shape = statementShape(await parseStatement(sql));
  assert.equal(shape.params, 2);
  assert.deepEqual(
    statementCandidates(shape, lookup)
      .primary.map((c) => c.id)
      .sort(),
    ['public.clients (email)', 'public.reservations (client_id)'],
  );
  assert.deepEqual(await ids('DELETE FROM reservations WHERE created_at < $1'), ['public.reservations (created_at)']);
});

test('a partitioned table: ON ONLY the parent, each partition CONCURRENTLY and attached; names within 63 bytes', async () => {
  const [c] = statementCandidates(statementShape(await parseStatement('SELECT * FROM reservations WHERE created_at > $1')), lookup).primary;
  assert.deepEqual(
    indexSteps(c!.relation, c!.keys).map((s) => s.sql),
    [
      'CREATE INDEX "reservations_created_at_idx" ON ONLY "public"."reservations" ("created_at")',
      'CREATE INDEX CONCURRENTLY "reservations_2025_q1_created_at_idx" ON "public"."reservations_2025_q1" ("created_at")',
      'ALTER INDEX "public"."reservations_created_at_idx" ATTACH PARTITION "public"."reservations_2025_q1_created_at_idx"',
    ],
  );
  const long = indexName('ä'.repeat(40), [{ columns: ['b'.repeat(40)] }]);
  assert.ok(Buffer.byteLength(long) <= 63 && long.endsWith('_idx'), long);
});

test('a hostile name stays data: quoted identifiers in every statement', async () => {
  const evil = rel('t"; DROP TABLE x; --', ['a"b']);
  const shape = statementShape(await parseStatement('SELECT * FROM "t""; DROP TABLE x; --" WHERE "a""b" = $1'));
  const [c] = statementCandidates(shape, () => evil).primary;
  assert.equal(
    indexSteps(c!.relation, c!.keys)[0]!.sql,
    'CREATE INDEX CONCURRENTLY "t""; DROP TABLE x; --_a""b_idx" ON "public"."t""; DROP TABLE x; --" ("a""b")',
  );
});

test('a statement of deeply nested expressions is read iteratively, within bounds', async () => {
  const deep = `SELECT * FROM clients WHERE ${Array.from({ length: 500 }, (_, i) => `email = $${i + 1}`).join(' AND ')}`;
  assert.deepEqual(await ids(deep), ['public.clients (email)']);
  await assert.rejects(parseStatement(`SELECT ${'x,'.repeat(60_000)}1`), /longer than/);
});
