// The explorer's queries through a real PgBouncer in transaction mode, configured as the seed's
// (no ignore_startup_parameters): the pool must connect (PgBouncer refuses statement_timeout as
// a startup parameter) and every query must run on whatever server connection it is given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestServer, type TestServer } from '../support/testServer';
import { pgbouncerMissing, startPgbouncer, type Bouncer } from '../support/pgbouncer';
import { createPool, isPgbouncerStartupRejection } from '../../src/core/db/pool';
import { readServerVersion } from '../../src/core/db/serverInfo';
import {
  serverOverview,
  settingCategories,
  listSettings,
  listDatabases,
  listSchemas,
  listTables,
  sessionStates,
  listLocks,
  databaseCacheHit,
  collectAlerts,
  listIndexes,
} from '../../src/core/stats';
import type { ConnectionProfile } from '../../src/core/db/profile';

const missing = pgbouncerMissing();
if (missing) console.log(`# pgbouncer tests skipped: ${missing}`);

let srv: TestServer;
let bouncer: Bouncer;
let profile: ConnectionProfile;
let password: string;

before(async () => {
  if (missing) return;
  srv = await getTestServer();
  const u = new URL(srv.url);
  password = decodeURIComponent(u.password);
  bouncer = await startPgbouncer({ host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username), password }, 'transaction', {
    ignoreStartupParameters: false,
  });
  profile = { name: 'via bouncer', host: '127.0.0.1', port: bouncer.port, database: u.pathname.slice(1) || 'postgres', user: decodeURIComponent(u.username) };
  const c = createPool({ ...profile, password }, { statementTimeoutMs: 5000, pgbouncerCompatible: true });
  await c.query('CREATE TABLE IF NOT EXISTS bounced (id int PRIMARY KEY, v text)');
  await c.query("INSERT INTO bounced SELECT g, 'v' || g FROM generate_series(1, 100) g ON CONFLICT DO NOTHING");
  await c.end();
});
after(async () => {
  await bouncer?.stop();
  await srv?.stop();
});

test('a plain pool is refused by the seed-style PgBouncer, and pgdba recognises the refusal', { skip: missing }, async () => {
  const pool = createPool({ ...profile, password }, { statementTimeoutMs: 5000 });
  try {
    await assert.rejects(pool.query('SELECT 1'), (e: unknown) => isPgbouncerStartupRejection(e));
  } finally {
    await pool.end();
  }
});

test('every top-level explorer query runs through PgBouncer in transaction mode, many times over', { skip: missing }, async () => {
  const pool = createPool({ ...profile, password }, { statementTimeoutMs: 5000, pgbouncerCompatible: true, max: 8 });
  try {
    const { num: versionNum } = await readServerVersion(pool);
    const v = { versionNum };
    const once = async () => {
      const [overview, cats, settings, dbs, schemas, tables, states, locks, cache, idx] = await Promise.all([
        serverOverview(pool, v),
        settingCategories(pool, v),
        listSettings(pool, { ...v, category: 'Autovacuum' }),
        listDatabases(pool, v),
        listSchemas(pool, v),
        listTables(pool, { ...v, schema: 'public' }),
        sessionStates(pool, v),
        listLocks(pool, v),
        databaseCacheHit(pool, v),
        listIndexes(pool, { ...v, schema: 'public', table: 'bounced' }),
      ]);
      assert.ok(overview && overview.maxConnections > 0);
      assert.ok(cats.length > 10);
      assert.ok(settings.some((s) => s.name === 'autovacuum'));
      assert.ok(dbs.some((d) => d.name === profile.database));
      assert.ok(schemas.some((s) => s.name === 'public'));
      assert.ok(tables.rows.some((t) => t.name === 'bounced'));
      assert.ok(states.length >= 1);
      assert.ok(Array.isArray(locks));
      assert.ok(cache.length >= 1);
      assert.equal(idx.rows[0]?.name, 'bounced_pkey');
    };
    // 3 rounds × 10 parallel queries over 4 server connections: statements land on connections
    // other clients used before; a named prepared statement would fail here.
    for (let i = 0; i < 3; i++) await once();
    const report = await collectAlerts(pool, v);
    assert.ok(Array.isArray(report.alerts));
    // The client-side timeout stands in for statement_timeout.
    await assert.rejects(pool.query('SELECT pg_sleep(10)'), /timeout/i);
  } finally {
    await pool.end();
  }
});
