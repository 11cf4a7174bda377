// Every insight's advice changes the figure it is about, on a real server: build the case,
// EXPLAIN ANALYZE, apply what the insight writes out (run its SQL, or SET its setting for the
// run), EXPLAIN ANALYZE again: the insight is gone. Each case gets its own copy of the schema.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { PLAN_CASES, PLAN_SCHEMA, type PlanCase } from '../support/planCases';
import { runExplain, type RunOptions } from '../../src/core/explain/run';
import { DEFAULT_OPTIONS } from '../../src/core/explain/explainOptions';
import { parsePlan } from '../../src/core/explain/parsePlan';
import { planInsights } from '../../src/core/explain/insights';
import type { Insight } from '../../src/core/explain/insightTypes';

const TEMPLATE = 'pgdba_insight_tpl';
/** A lookup on an expression: no statistics on lower(email) until an expression index is ANALYZEd. */
const USERS = `CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL) WITH (autovacuum_enabled = off);
INSERT INTO users SELECT g, 'Guest' || g || '@Example.com' FROM generate_series(1, 100000) g;
ANALYZE users;`;
const EXPRESSION: PlanCase = {
  name: 'expression-filter',
  settings: { max_parallel_workers_per_gather: '0' },
  sql: "SELECT * FROM users WHERE lower(email) = 'guest4242@example.com'",
};

/** 95% of the rows share one tag: "tag <> 'none'" keeps 5%, which no B-tree on tag can serve. */
const TAGS = `CREATE TABLE tags (id int PRIMARY KEY, tag text NOT NULL) WITH (autovacuum_enabled = off);
INSERT INTO tags SELECT g, CASE WHEN g % 20 = 0 THEN 'tag' || g ELSE 'none' END FROM generate_series(1, 100000) g;
ANALYZE tags;`;
/** Filters whose columns an index cannot all serve, and the index the insight must write (or none). */
const OPERATOR_CASES: { name: string; sql: string; index?: string }[] = [
  {
    name: 'not-equal-beside-equality',
    sql: "SELECT * FROM items WHERE note <> 'x' AND category = 42",
    index: 'CREATE INDEX items_category_idx ON items (category);',
  },
  {
    name: 'not-like-beside-range',
    sql: "SELECT * FROM items WHERE note NOT LIKE 'a%' AND price > 99.5",
    index: 'CREATE INDEX items_price_idx ON items (price);',
  },
  { name: 'like-prefix', sql: "SELECT * FROM items WHERE note LIKE 'ab%'", index: 'CREATE INDEX items_note_idx ON items (note text_pattern_ops);' },
  { name: 'not-equal-alone', sql: "SELECT * FROM tags WHERE tag <> 'none'" },
  { name: 'leading-wildcard', sql: "SELECT * FROM items WHERE note LIKE '%ab'" },
  { name: 'ilike', sql: "SELECT * FROM items WHERE note ILIKE 'ab%'" },
  { name: 'not-in', sql: "SELECT * FROM tags WHERE tag NOT IN ('none', 'other')" },
];

let srv: TestServer;
let boot: pg.Client;

before(async () => {
  srv = await getTestServer();
  boot = new pg.Client(srv.url);
  await boot.connect();
  await boot.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
  await boot.query(`CREATE DATABASE ${TEMPLATE}`);
  const tpl = new pg.Client(srv.urlFor(TEMPLATE));
  await tpl.connect();
  await tpl.query(PLAN_SCHEMA + USERS + TAGS);
  await tpl.end();
});

after(async () => {
  await boot?.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`).catch(() => undefined);
  await boot?.end().catch(() => undefined);
  await srv?.stop();
});

/** A fresh copy of the schema for one case, with a pool and an admin connection on it. */
async function withCopy<T>(name: string, fn: (pool: pg.Pool, admin: pg.Client) => Promise<T>): Promise<T> {
  const db = `pgdba_fix_${name.replace(/-/g, '_')}`;
  await boot.query(`DROP DATABASE IF EXISTS ${db}`);
  await boot.query(`CREATE DATABASE ${db} TEMPLATE ${TEMPLATE}`);
  const pool = new pg.Pool({ connectionString: srv.urlFor(db), max: 2 });
  pool.on('error', () => undefined);
  const admin = new pg.Client(srv.urlFor(db));
  await admin.connect();
  try {
    return await fn(pool, admin);
  } finally {
    await admin.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await boot.query(`DROP DATABASE IF EXISTS ${db}`);
  }
}

async function insightsOf(pool: pg.Pool, c: PlanCase, session: Record<string, string>): Promise<Insight[]> {
  const opts: RunOptions = { ...DEFAULT_OPTIONS, timeoutMs: 60_000, session, verbose: c.verbose ?? false };
  const r = await runExplain(pool, c.sql, opts);
  assert.ok(r.ok, r.ok ? '' : `${r.kind}: ${r.message}`);
  return planInsights(parsePlan(r.planJson));
}

/** Applies an insight's action: SQL runs statement by statement (VACUUM refuses a multi-statement string), a setting is SET for the next run. */
async function apply(i: Insight, admin: pg.Client, session: Record<string, string>): Promise<void> {
  if (i.action.kind === 'note') assert.fail(`${i.rule} gives only a note, nothing to apply: ${i.action.text}`);
  if (i.action.kind === 'sql') {
    for (const stmt of i.action.text.split(/;\n/)) await admin.query(stmt);
    return;
  }
  const set = /^SET (\w+) = '([^']*)';/.exec(i.action.text);
  assert.ok(set, `a setting to apply: ${i.action.text}`);
  session[set[1]!] = set[2]!;
}

for (const c of PLAN_CASES.filter((x) => x.expect)) {
  test(`${c.name}: applying what ${c.expect} writes out makes it go`, () =>
    withCopy(c.name, async (pool, admin) => {
      const session = { ...c.settings };
      const hit = (await insightsOf(pool, c, session)).find((i) => i.rule === c.expect);
      assert.ok(hit, `${c.expect} raised`);
      await apply(hit, admin, session);
      const again = await insightsOf(pool, c, session);
      assert.deepEqual(
        again.filter((i) => i.rule === c.expect).map((i) => i.title),
        [],
        `after ${hit.action.text}`,
      );
    }));
}

test('a filter on lower(email): the seq scan and the estimate miss both write the expression index, and it ends both', () =>
  withCopy(EXPRESSION.name, async (pool, admin) => {
    const session = { ...EXPRESSION.settings };
    const found = await insightsOf(pool, EXPRESSION, session);
    const seq = found.find((i) => i.rule === 'missing-index');
    const miss = found.find((i) => i.rule === 'estimate-miss');
    assert.ok(seq && miss, found.map((i) => i.rule).join(', '));
    assert.equal(miss.action.text, 'CREATE INDEX users_lower_email_idx ON users (lower(email));\nANALYZE users;', 'not ANALYZE alone, which cannot help');
    assert.equal(seq.action.text, miss.action.text);
    await apply(miss, admin, session);
    assert.deepEqual(
      (await insightsOf(pool, EXPRESSION, session)).map((i) => i.title),
      [],
    );
  }));

for (const c of OPERATOR_CASES) {
  const what = c.index ? `writes ${c.index}, and it ends the scan` : 'writes no index, which could not serve it';
  test(`a seq scan filtered by ${c.name}: the missing-index insight ${what}`, () =>
    withCopy(c.name, async (pool, admin) => {
      const run: PlanCase = { name: c.name, settings: { max_parallel_workers_per_gather: '0' }, sql: c.sql };
      const session = { ...run.settings };
      const hit = (await insightsOf(pool, run, session)).find((i) => i.rule === 'missing-index');
      assert.ok(hit, 'missing-index raised');
      if (!c.index) {
        assert.equal(hit.action.kind, 'note', `no index to create: ${hit.action.text}`);
        return;
      }
      assert.equal(hit.action.text, c.index);
      await apply(hit, admin, session);
      assert.deepEqual(
        (await insightsOf(pool, run, session)).filter((i) => i.rule === 'missing-index').map((i) => i.title),
        [],
        `after ${hit.action.text}`,
      );
    }));
}
