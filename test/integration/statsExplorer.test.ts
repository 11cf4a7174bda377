// The explorer's queries against a real server: every query runs and every row has the declared
// shape; tables and indexes page by name; settings edits go through ALTER SYSTEM as quoted.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import * as S from '../../src/core/stats';
import { assertShape, waitFor } from './statsSupport';

let srv: TestServer;
let pool: pg.Pool;
let v: S.VersionArgs;

before(async () => {
  srv = await getTestServer({ settings: { shared_preload_libraries: 'pg_stat_statements', autovacuum: 'off' } });
  pool = new pg.Pool({ connectionString: srv.url, max: 4 });
  pool.on('error', () => undefined); // an idle client cut by the server's shutdown is not a failure
  const r = await pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  v = { versionNum: Number(r.rows[0]?.v) };
  // A schema of 250 tables with two indexes each (one unique), made server-side in one statement.
  await pool.query(`CREATE SCHEMA many;
DO $$ BEGIN FOR i IN 1..250 LOOP
  EXECUTE format('CREATE TABLE many.%I (id int PRIMARY KEY, v int)', 't' || lpad(i::text, 4, '0'));
  EXECUTE format('CREATE INDEX %I ON many.%I (v)', 'v_' || lpad(i::text, 4, '0'), 't' || lpad(i::text, 4, '0'));
END LOOP; END $$;
INSERT INTO many.t0001 SELECT g, g FROM generate_series(1, 5000) g;
ANALYZE many.t0001;
CREATE EXTENSION pg_stat_statements;
SELECT pg_create_physical_replication_slot('pgdba_test_slot', true);`);
});

after(async () => {
  await pool?.end();
  await srv?.stop();
});

test('every explorer and statistics query runs and returns rows of the declared shape', async () => {
  const status = await S.statementsStatus(pool, v);
  const checks: [S.QueryDef<never, unknown>, unknown[], boolean][] = [];
  const add = async <A extends S.VersionArgs, R>(def: S.QueryDef<A, R>, args: A, mustHaveRows = true) => {
    const rows = await S.runQuery(pool, def, args);
    checks.push([def, rows, mustHaveRows]);
  };
  await add(S.accessQuery, v);
  await add(S.serverOverviewQuery, v);
  await add(S.replicationSlotsQuery, v);
  await add(S.standbysQuery, v, false); // no standby here: the shape is checked when rows exist
  await add(S.settingCategoriesQuery, v);
  await add(S.settingsQuery, v);
  await add(S.settingsQuery, { ...v, nonDefaultOnly: true });
  await add(S.runningValuesQuery, v);
  await add(S.fileSettingsQuery, { ...v, problemsOnly: false });
  await add(S.databasesQuery, v);
  await add(S.schemasQuery, { ...v, includeSystem: true });
  await add(S.tablesQuery, { ...v, schema: 'many', limit: 10 });
  await add(S.indexesQuery, { ...v, schema: 'many', limit: 10 });
  await add(S.sessionStatesQuery, v);
  await add(S.sessionsQuery, v, false);
  await add(S.locksQuery, v, false);
  await add(S.databaseCacheHitQuery, v);
  await add(S.indexCacheHitQuery, { ...v, minBlocksRead: 0 });
  await add(S.indexUsageQuery, v);
  await add(S.seqScanTablesQuery, { ...v, minSeqScans: 0 }, false);
  await add(S.tableSizesQuery, v);
  await add(S.tableBloatQuery, { ...v, minBytes: 0 });
  await add(S.checkpointsQuery, v);
  await add(S.walQuery, v);
  await add(S.vacuumProgressQuery, v, false);
  await add(S.autovacuumTablesQuery, v);
  await add(S.statementsStatusQuery, v);
  await add(S.topStatementsQuery, { ...v, schema: status.schema ?? 'public', extVersion: status.installedVersion });
  await add(S.queryTimeByDatabaseQuery, { ...v, schema: status.schema ?? 'public', extVersion: status.installedVersion });
  for (const [def, rows, must] of checks) {
    if (must) assert.ok(rows.length > 0, `${def.id} returned no row`);
    assertShape(def, rows);
  }
  const overview = await S.serverOverview(pool, v);
  assert.equal(overview?.versionNum, v.versionNum);
  assert.equal(overview?.isReplica, false);
  assert.ok(overview?.dataDirectory && overview.configFile?.endsWith('postgresql.conf') && overview.hbaFile?.endsWith('pg_hba.conf'));
  const ck = await S.checkpoints(pool, v);
  assert.equal(ck?.done === null, v.versionNum < 180000, 'num_done only from 18');
  assert.equal(ck?.buffersBackend === null, v.versionNum >= 170000, 'buffers_backend gone in 17');
  const w = await S.wal(pool, v);
  assert.equal(w?.records === null, v.versionNum < 140000, 'pg_stat_wal from 14');
  const slots = await S.replicationSlots(pool, v);
  assert.equal(slots.find((s) => s.slotName === 'pgdba_test_slot')?.slotType, 'physical');
  assert.deepEqual(S.statementsReadiness(status), { ready: true, needsRestart: false });
});

test('tables and indexes page by name: every name once, in order, and the last page says so', async () => {
  const names: string[] = [];
  let after: string | null = '';
  let pages = 0;
  while (after !== null) {
    const page: S.Page<S.TableRow> = await S.listTables(pool, { ...v, schema: 'many', after, limit: 100 });
    names.push(...page.rows.map((r) => r.name));
    after = page.nextAfter;
    pages++;
  }
  assert.equal(pages, 3);
  assert.equal(names.length, 250);
  assert.deepEqual(names, [...names].sort());
  assert.equal(new Set(names).size, 250);

  // Counters reach readers when the writing session flushes them (up to a second later on 15+).
  const first = await waitFor('t0001 live tuples', async () => {
    const row = (await S.listTables(pool, { ...v, schema: 'many', limit: 1 })).rows[0];
    return row?.liveTuples === 5000 ? row : undefined;
  });
  assert.equal(first.name, 't0001');
  assert.equal(first.estimatedRows, 5000);

  const idx = await S.listIndexes(pool, { ...v, schema: 'many', limit: 1000 });
  assert.equal(idx.rows.length, 500);
  assert.equal(idx.nextAfter, null);
  const ofTable = await S.listIndexes(pool, { ...v, schema: 'many', table: 't0002' });
  assert.deepEqual(ofTable.rows.map((r) => r.name).sort(), ['t0002_pkey', 'v_0002']);
  const pkey = ofTable.rows.find((r) => r.name === 't0002_pkey');
  const plain = ofTable.rows.find((r) => r.name === 'v_0002');
  assert.equal(pkey?.unused, false, 'a primary key is never "unused"');
  assert.equal(plain?.unused, true);
  assert.equal(plain?.usage, 'unused');
  assert.ok(
    (await S.listDatabases(pool, { ...v, sizes: false })).every((d) => d.bytes === null),
    'sizes: false skips pg_database_size',
  );
  const schemas = await S.listSchemas(pool, v);
  assert.deepEqual(
    schemas.find((s) => s.name === 'many'),
    { name: 'many', owner: 'postgres', tables: 250, indexes: 500 },
  );
});

test('copy SQL: the inlined statement runs as-is and returns the same rows', async () => {
  const args = { ...v, schema: 'many', after: 't0100', limit: 5 };
  const viaParams = await S.runQuery(pool, S.tablesQuery, args);
  const inlined = S.inlineSql(S.tablesQuery.build(args));
  assert.doesNotMatch(inlined, /\$\d/);
  const bare = await pool.query<S.TableRow>(inlined);
  assert.deepEqual(
    bare.rows.map((r) => r.name),
    viaParams.map((r) => r.name),
  );
  assert.equal(viaParams[0]?.name, 't0101');
});

test('settings: ALTER SYSTEM with quoted values, sourcefile:sourceline, pending_restart, reset', async () => {
  const prefix = "%m [%p] it's \\ here ";
  await pool.query(S.alterSystemSet('log_line_prefix', prefix).text);
  await pool.query(S.alterSystemSet('shared_buffers', '4MB').text);
  await pool.query(S.alterSystemSet('shared_preload_libraries', 'pg_stat_statements, auto_explain').text);
  await pool.query(S.RELOAD_CONF.text);
  // pg_reload_conf() only signals the postmaster: sessions pick the file up a moment later.
  const llp = await waitFor('the reload', async () => (await S.listSettings(pool, { ...v, name: 'log_line_prefix' })).find((r) => r.setting === prefix));
  assert.equal(llp.setting, prefix, 'the value came back byte for byte');
  assert.match(S.settingOrigin(llp), /postgresql\.auto\.conf:\d+$/);
  assert.equal(llp.isDefault, false);
  assert.equal(S.changeEffect(llp.context).effect, 'live');
  await waitFor('shared_buffers pending a restart', async () =>
    (await S.listSettings(pool, { ...v, pendingRestartOnly: true })).find((s) => s.name === 'shared_buffers'),
  );
  const [sb] = await S.listSettings(pool, { ...v, name: 'shared_buffers' });
  assert.equal(S.changeEffect(sb!.context).effect, 'restart');
  const files = await S.fileSettings(pool, { ...v, problemsOnly: false });
  const spl = files.filter((f) => f.name === 'shared_preload_libraries').at(-1);
  assert.equal(spl?.setting, 'pg_stat_statements, auto_explain', 'two libraries, not one named "a, b"');

  for (const name of ['log_line_prefix', 'shared_buffers', 'shared_preload_libraries']) await pool.query(S.alterSystemReset(name).text);
  await pool.query(S.RELOAD_CONF.text);
  await waitFor('the reset', async () => (await S.listSettings(pool, { ...v, name: 'log_line_prefix' })).find((r) => r.setting !== prefix));
  assert.equal((await S.listSettings(pool, { ...v, name: 'datestyle' }))[0]?.name, 'DateStyle', 'names match whatever their case');
  const cats = await S.settingCategories(pool, v);
  const all = await S.listSettings(pool, v);
  assert.equal(S.groupByCategory(all).size, cats.length);
});

test('pg_file_settings errors are reported with file and line', async (t) => {
  if (!srv.server) return t.skip('needs a server this run started (it writes to postgresql.conf)');
  const conf = join(srv.server.dataDir, 'postgresql.conf');
  appendFileSync(conf, "\nwork_mem = 'banana'\n");
  const errs = await S.fileSettings(pool, v);
  const bad = errs.find((e) => e.name === 'work_mem');
  assert.ok(bad?.error, 'the bad line is reported');
  assert.equal(bad?.sourcefile, conf);
  assert.ok((bad?.sourceline ?? 0) > 0);
});
