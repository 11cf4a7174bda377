// A role without privileges, and servers without pg_stat_statements: every query either works
// (with the holes named) or fails with a typed, explained StatsError; nothing crashes.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import * as S from '../../src/core/stats';
import { assertShape, connect } from './statsSupport';

let srv: TestServer;
let admin: pg.Pool;
let v: S.VersionArgs;
const pools: pg.Pool[] = [];

function plainUrl(db: string): string {
  const u = new URL(srv.urlFor(db));
  u.username = 'plain';
  u.password = 'plain pw';
  return u.toString();
}

function poolFor(url: string): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max: 2 });
  p.on('error', () => undefined);
  pools.push(p);
  return p;
}

before(async () => {
  srv = await getTestServer({ settings: { shared_preload_libraries: 'pg_stat_statements', autovacuum: 'off' } });
  admin = poolFor(srv.url);
  const r = await admin.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  v = { versionNum: Number(r.rows[0]?.v) };
  for (const stmt of [
    'CREATE EXTENSION pg_stat_statements',
    "CREATE ROLE plain LOGIN PASSWORD 'plain pw'",
    'CREATE TABLE public.t AS SELECT 1 AS x',
    'CREATE DATABASE nopss', // CREATE DATABASE refuses to run in a (multi-statement) transaction
    'CREATE DATABASE secret',
    'REVOKE CONNECT ON DATABASE secret FROM PUBLIC',
    'SELECT count(*) FROM public.t',
  ]) {
    await admin.query(stmt);
  }
});

after(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await srv?.stop();
});

test('a non-superuser: every query answers or fails with a typed reason; the holes are named', async () => {
  const plain = poolFor(plainUrl('postgres'));
  const busy = await connect(srv.url); // a superuser session whose query the plain role may not see
  try {
    await busy.query('BEGIN; SELECT 1');
    const access = await S.readAccess(plain, v);
    assert.equal(access?.isSuperuser, false);
    assert.equal(access?.readAllStats, false);
    const limits = S.accessLimitations(access);
    assert.ok(
      limits.some((l) => /GRANT pg_read_all_stats TO plain/.test(l)),
      limits.join('\n'),
    );
    assert.ok(limits.some((l) => /pg_read_all_settings/.test(l)));

    const o = await S.serverOverview(plain, v);
    assert.equal(o?.dataDirectory, null, 'hidden, not an error');
    assert.equal(o?.hbaFile, null);

    const files = await S.settle(S.fileSettings(plain, v));
    assert.equal(files.ok, false);
    if (!files.ok) {
      assert.ok(files.error instanceof S.StatsError);
      assert.equal(files.error.kind, 'permission');
      assert.match(files.error.message, /permission denied/);
    }

    const sessions = await S.listSessions(plain, v);
    const other = sessions.find((s) => s.user === 'postgres');
    assert.equal(other?.query, '<insufficient privilege>');
    assert.ok((await S.sessionStates(plain, v)).some((s) => s.state === 'hidden'));

    const dbs = await S.listDatabases(plain, v);
    assert.equal(dbs.find((d) => d.name === 'secret')?.bytes, null, 'no CONNECT: size withheld, no error');
    assert.ok((dbs.find((d) => d.name === 'postgres')?.bytes ?? 0) > 0);

    const status = await S.statementsStatus(plain, v);
    assert.equal(status.preloaded, null, 'shared_preload_libraries is hidden from this role');
    assert.equal(S.statementsReadiness(status).ready, true);
    const top = await S.topStatements(plain, { ...v, extVersion: status.installedVersion });
    assert.ok(
      top.some((t) => t.query === '<insufficient privilege>'),
      "other roles' statements are masked",
    );

    // Every other query runs for this role and keeps its shape.
    const defs: [S.QueryDef<never, unknown>, S.VersionArgs][] = [
      [S.replicationSlotsQuery, v],
      [S.standbysQuery, v],
      [S.settingCategoriesQuery, v],
      [S.settingsQuery, v],
      [S.schemasQuery, v],
      [S.tablesQuery, { ...v, schema: 'public' } as S.VersionArgs],
      [S.indexesQuery, { ...v, schema: 'public' } as S.VersionArgs],
      [S.locksQuery, v],
      [S.databaseCacheHitQuery, v],
      [S.indexCacheHitQuery, v],
      [S.indexUsageQuery, v],
      [S.seqScanTablesQuery, v],
      [S.tableSizesQuery, v],
      [S.tableBloatQuery, v],
      [S.checkpointsQuery, v],
      [S.walQuery, v],
      [S.vacuumProgressQuery, v],
      [S.autovacuumTablesQuery, v],
      [S.queryTimeByDatabaseQuery, v],
    ] as unknown as [S.QueryDef<never, unknown>, S.VersionArgs][];
    for (const [def, args] of defs) {
      const rows = await S.runQuery(plain, def, args);
      assertShape(def, rows);
    }
    const settings = await S.listSettings(plain, { ...v, nonDefaultOnly: true });
    assert.ok(
      settings.every((s) => s.sourcefile === null),
      'file and line are hidden without pg_read_all_settings',
    );

    const report = await S.collectAlerts(plain, v);
    assert.deepEqual(report.unavailable, []);
  } finally {
    await busy.end();
  }
});

test('pg_stat_statements not created in the database: a reason and the fix, and a typed error', async () => {
  const plain = poolFor(plainUrl('nopss'));
  const status = await S.statementsStatus(plain, v);
  assert.equal(status.installedVersion, null);
  assert.ok(status.availableVersion);
  const ready = S.statementsReadiness(status);
  assert.equal(ready.ready, false);
  assert.equal(ready.fixSql, S.CREATE_PG_STAT_STATEMENTS);
  assert.match(ready.reason ?? '', /superuser must run CREATE EXTENSION/);
  await assert.rejects(S.topStatements(plain, v), (e: unknown) => e instanceof S.StatsError && e.kind === 'extension-missing');
  const report = await S.collectAlerts(plain, v);
  assert.match(report.unavailable.find((u) => u.metric === 'avgQueryTime')?.reason ?? '', /not created/);
});

test('pg_stat_statements created but not preloaded: says why a restart is needed', async () => {
  const bare = await getTestServer({ settings: { autovacuum: 'off' } });
  const p = new pg.Pool({ connectionString: bare.url, max: 2 });
  p.on('error', () => undefined);
  try {
    await p.query('CREATE EXTENSION pg_stat_statements');
    const status = await S.statementsStatus(p, v);
    assert.equal(status.preloaded, false);
    const ready = S.statementsReadiness(status);
    assert.equal(ready.needsRestart, true);
    assert.equal(ready.fixSql, `ALTER SYSTEM SET "shared_preload_libraries" = 'pg_stat_statements'`);
    assert.match(ready.reason ?? '', /shared memory.*restart/s);
    await assert.rejects(S.topStatements(p, v), (e: unknown) => {
      assert.ok(e instanceof S.StatsError);
      assert.equal(e.kind, 'not-preloaded');
      assert.match(e.message, /shared_preload_libraries/);
      assert.match(e.message, /restart/);
      return true;
    });
    const report = await S.collectAlerts(p, v);
    assert.match(report.unavailable.find((u) => u.metric === 'avgQueryTime')?.reason ?? '', /restart/);
  } finally {
    await p.end();
    await bare.stop();
  }
});
