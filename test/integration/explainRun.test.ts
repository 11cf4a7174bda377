// EXPLAIN ANALYZE through runExplain against a real server: each condition raises its insight,
// DML leaves every row as it was, refusals run nothing, errors carry the server's position, and
// a cancel, a timeout or a killed connection leave no transaction open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { PLAN_CASES, PLAN_SCHEMA } from '../support/planCases';
import { runExplain, type ExplainRun, type RunOptions } from '../../src/core/explain/run';
import { DEFAULT_OPTIONS } from '../../src/core/explain/explainOptions';
import { parsePlan } from '../../src/core/explain/parsePlan';
import { planInsights } from '../../src/core/explain/insights';

const APP = 'pgdba-explain-test';
let srv: TestServer;
let pool: pg.Pool;
let admin: pg.Client;

before(async () => {
  srv = await getTestServer();
  const boot = new pg.Client(srv.url);
  await boot.connect();
  await boot.query('DROP DATABASE IF EXISTS pgdba_explain');
  await boot.query('CREATE DATABASE pgdba_explain');
  await boot.end();
  admin = new pg.Client(srv.urlFor('pgdba_explain'));
  await admin.connect();
  await admin.query(PLAN_SCHEMA);
  pool = new pg.Pool({ connectionString: srv.urlFor('pgdba_explain'), application_name: APP, max: 3 });
  pool.on('error', () => undefined);
});

after(async () => {
  await pool?.end().catch(() => undefined);
  await admin?.end().catch(() => undefined);
  await srv?.stop();
});

const opts = (o: Partial<RunOptions> = {}): RunOptions => ({ ...DEFAULT_OPTIONS, timeoutMs: 30_000, ...o });

async function openTransactions(): Promise<number> {
  const r = await admin.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND (state LIKE 'idle in transaction%' OR xact_start IS NOT NULL AND state <> 'idle')",
    [APP],
  );
  return Number(r.rows[0]!.n);
}

const okRun = (r: ExplainRun) => {
  assert.ok(r.ok, r.ok ? '' : `${r.kind}: ${r.message}`);
  return r;
};

for (const c of PLAN_CASES.filter((x) => x.expect)) {
  test(`${c.name}: EXPLAIN ANALYZE raises ${c.expect}`, async () => {
    const r = okRun(await runExplain(pool, c.sql, opts({ session: c.settings, verbose: c.verbose ?? false })));
    const plan = parsePlan(r.planJson);
    const found = planInsights(plan);
    assert.ok(
      found.some((i) => i.rule === c.expect),
      `${c.expect} among ${found.map((i) => i.rule).join(', ')}`,
    );
    if (c.name === 'workers-not-launched') {
      const gather = plan.nodes.find((n) => n.workersPlanned !== undefined)!;
      assert.equal(gather.workersLaunched, 0);
      assert.ok(gather.workersPlanned! > 0);
    }
  });
}

async function fingerprint(table: string): Promise<{ n: string; sum: string }> {
  const r = await admin.query<{ n: string; sum: string }>(`SELECT count(*) AS n, md5(string_agg(t::text, ',' ORDER BY t::text)) AS sum FROM ${table} t`);
  return r.rows[0]!;
}

for (const c of PLAN_CASES.filter((x) => x.writes)) {
  test(`${c.name}: EXPLAIN ANALYZE leaves every row as it was`, async () => {
    const before = await fingerprint(c.writes!);
    const r = okRun(await runExplain(pool, c.sql, opts()));
    assert.equal(r.effect, 'writes');
    assert.ok(r.rolledBack);
    assert.match(r.notices[0]!, /BEGIN … ROLLBACK/);
    const plan = parsePlan(r.planJson);
    assert.equal(plan.nodes[0]!.nodeType, 'ModifyTable');
    assert.deepEqual(await fingerprint(c.writes!), before);
    assert.equal(await openTransactions(), 0);
  });
}

test('a data-modifying CTE is rolled back too', async () => {
  const before = await fingerprint('categories');
  const r = okRun(await runExplain(pool, 'WITH d AS (DELETE FROM categories RETURNING *) SELECT count(*) FROM d', opts()));
  assert.equal(r.effect, 'writes');
  assert.deepEqual(await fingerprint('categories'), before);
});

test('refused statements run nothing', async () => {
  for (const sql of ['VACUUM items', 'CREATE INDEX CONCURRENTLY x ON items (price)', 'COMMIT', 'CREATE DATABASE nope', 'ALTER SYSTEM SET work_mem = 1']) {
    const r = await runExplain(pool, sql, opts());
    assert.equal(r.ok, false, sql);
    if (!r.ok) {
      assert.equal(r.kind, 'refused', sql);
      assert.match(r.message, /^Not run: /);
    }
  }
  const idx = await admin.query("SELECT 1 FROM pg_class WHERE relname = 'x'");
  assert.equal(idx.rowCount, 0);
});

test("a syntax error returns the server's message and its position in the statement", async () => {
  const sql = 'SELECT *\nFORM items';
  const r = await runExplain(pool, sql, opts());
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.kind, 'sql-error');
  assert.match(r.message, /syntax error at or near "items"|syntax error at or near "FORM"/);
  assert.ok(
    r.position !== undefined && ['FORM', 'items'].includes(sql.slice(r.position, r.position + (sql[r.position] === 'F' ? 4 : 5))),
    `position ${r.position}`,
  );
  assert.equal(await openTransactions(), 0);
});

test('plain EXPLAIN does not execute', async () => {
  const before = await fingerprint('orders');
  const r = okRun(await runExplain(pool, 'DELETE FROM orders', opts({ analyze: false })));
  assert.equal(parsePlan(r.planJson).summary.analyzed, false);
  assert.deepEqual(await fingerprint('orders'), before);
});

test('statement_timeout stops the run and rolls it back', async () => {
  const r = await runExplain(pool, 'SELECT pg_sleep(5)', opts({ timeoutMs: 300 }));
  assert.equal(r.ok ? 'ok' : r.kind, 'timeout');
  assert.equal(await openTransactions(), 0);
});

test('Cancel sends a real cancel to the backend', async () => {
  const ac = new AbortController();
  const started = Date.now();
  setTimeout(() => ac.abort(), 500);
  const r = await runExplain(pool, 'SELECT pg_sleep(20)', opts({ signal: ac.signal }));
  assert.equal(r.ok ? 'ok' : r.kind, 'cancelled');
  assert.ok(Date.now() - started < 5000, 'cancelled long before the sleep ends');
  assert.equal(await openTransactions(), 0);
});

test('an abort while the run waits for a pooled connection still cancels it', async () => {
  // Under load a cold pool's connect can outlast the abort (the cancel test failed that way).
  const one = new pg.Pool({ connectionString: srv.urlFor('pgdba_explain'), application_name: APP, max: 1 });
  one.on('error', () => undefined);
  try {
    const held = await one.connect();
    const ac = new AbortController();
    const run = runExplain(one, 'SELECT pg_sleep(20)', opts({ signal: ac.signal }));
    ac.abort();
    held.release();
    const r = await run;
    assert.equal(r.ok ? 'ok' : r.kind, 'cancelled');
    assert.equal(await openTransactions(), 0);
  } finally {
    await one.end();
  }
});

test('a connection killed mid-run says so and leaves no open transaction', async () => {
  const run = runExplain(pool, 'UPDATE orders SET qty = qty + pg_sleep(20)::text::int * 0 WHERE id = 1', opts());
  let pid: number | undefined;
  for (let i = 0; i < 100 && pid === undefined; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const a = await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'EXPLAIN%pg_sleep%' AND state = 'active'",
      [APP],
    );
    pid = a.rows[0]?.pid;
  }
  assert.ok(pid, 'the run is on the server');
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  const r = await run;
  assert.equal(r.ok ? 'ok' : r.kind, 'connection-lost');
  assert.match(r.ok ? '' : r.message, /connection was lost/);
  assert.equal(await openTransactions(), 0);
  const locks = await admin.query("SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'orders'");
  assert.equal(locks.rowCount, 0, 'no lock left on orders');
  // The pool dropped the dead connection: the next run works.
  okRun(await runExplain(pool, 'SELECT 1', opts()));
});

test('a what-if value is a literal whatever standard_conforming_strings is: a backslash and a quote stay in the value', async () => {
  // With standard_conforming_strings off, '\'' ends no literal: a value quoted by doubling quotes
  // alone let the rest of it run as SQL. Values go through quoteLiteral (E'' with doubled backslashes).
  await admin.query('CREATE TABLE whatif_victim (id int)');
  const legacy = new pg.Pool({ connectionString: srv.urlFor('pgdba_explain'), application_name: APP, max: 1, options: '-c standard_conforming_strings=off' });
  try {
    const value = "\\'; COMMIT; DROP TABLE whatif_victim; --";
    okRun(await runExplain(legacy, "SELECT current_setting('application_name')", opts({ session: { application_name: value } })));
    const t = await admin.query("SELECT 1 FROM pg_class WHERE relname = 'whatif_victim'");
    assert.equal(t.rowCount, 1, 'the table is still there');
    assert.equal(await openTransactions(), 0);
  } finally {
    await legacy.end();
    await admin.query('DROP TABLE IF EXISTS whatif_victim');
  }
});
