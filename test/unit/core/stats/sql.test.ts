// Quoting and the SQL builders: what ends up in ALTER SYSTEM, copy-SQL and cancel statements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alterSystemReset,
  alterSystemSet,
  cancelBackendSql,
  changeEffect,
  inlineSql,
  isListSetting,
  literalOf,
  quoteLiteral,
  quoteSettingName,
  splitListValue,
  sql,
  terminateBackendSql,
  tablesQuery,
  checkpointsQuery,
  walQuery,
  topStatementsQuery,
  indexesQuery,
  replicationSlotsQuery,
  locksQuery,
  copySql,
} from '../../../../src/core/stats';
import { quoteIdent } from '../../../../src/core/db/sqlIdent';

test('quoteIdent doubles quotes and refuses NUL', () => {
  assert.equal(quoteIdent('plain'), '"plain"');
  assert.equal(quoteIdent('We"ird name'), '"We""ird name"');
  assert.throws(() => quoteIdent('a\0b'), /NUL/);
});

test('quoteLiteral: doubled quotes; E-string with doubled backslashes when there is one', () => {
  assert.equal(quoteLiteral("it's"), "'it''s'");
  assert.equal(quoteLiteral('C:\\dir'), "E'C:\\\\dir'");
  assert.equal(quoteLiteral("a\\'b"), "E'a\\\\''b'");
  assert.equal(quoteLiteral(''), "''");
  assert.throws(() => quoteLiteral('\0'), /NUL/);
});

test('literalOf: numbers and booleans bare, NULL, no NaN', () => {
  assert.equal(literalOf(12), '12');
  assert.equal(literalOf(true), 'true');
  assert.equal(literalOf(null), 'NULL');
  assert.equal(literalOf("x'"), "'x'''");
  assert.throws(() => literalOf(Number.NaN));
});

test('inlineSql replaces $10 before $1', () => {
  const values = Array.from({ length: 10 }, (_, i) => i + 1);
  const q = sql('SELECT $1, $10, $2', values);
  assert.equal(inlineSql(q), 'SELECT 1, 10, 2');
  assert.equal(inlineSql(sql('WHERE n = $1', ["o'hara"])), "WHERE n = 'o''hara'");
});

test('setting names: each dotted part quoted; anything else refused', () => {
  assert.equal(quoteSettingName('work_mem'), '"work_mem"');
  assert.equal(quoteSettingName('pg_stat_statements.max'), '"pg_stat_statements"."max"');
  for (const bad of ['work_mem; DROP TABLE x', 'a..b', '', '1abc', 'x"y', 'a.b.']) assert.throws(() => quoteSettingName(bad), /not a valid setting name/, bad);
});

test('ALTER SYSTEM SET / RESET text', () => {
  assert.equal(alterSystemSet('work_mem', '64MB').text, `ALTER SYSTEM SET "work_mem" = '64MB'`);
  assert.equal(alterSystemSet('log_line_prefix', "%m it's \\").text, `ALTER SYSTEM SET "log_line_prefix" = E'%m it''s \\\\'`);
  assert.deepEqual(alterSystemSet('work_mem', '1').values, []);
  assert.equal(alterSystemReset('pg_stat_statements.track').text, 'ALTER SYSTEM RESET "pg_stat_statements"."track"');
  assert.throws(() => alterSystemSet("work_mem = '1'; --", '1'));
});

test('list settings: each item its own literal, so two libraries stay two', () => {
  assert.ok(isListSetting('Shared_Preload_Libraries'));
  assert.ok(!isListSetting('listen_addresses'));
  assert.equal(
    alterSystemSet('shared_preload_libraries', 'pg_stat_statements, auto_explain').text,
    `ALTER SYSTEM SET "shared_preload_libraries" = 'pg_stat_statements', 'auto_explain'`,
  );
  assert.equal(alterSystemSet('search_path', ['"$user"', 'public']).text, `ALTER SYSTEM SET "search_path" = '"$user"', 'public'`);
  assert.equal(alterSystemSet('shared_preload_libraries', '').text, `ALTER SYSTEM SET "shared_preload_libraries" = ''`);
  assert.equal(alterSystemSet('listen_addresses', 'localhost, 10.0.0.1').text, `ALTER SYSTEM SET "listen_addresses" = 'localhost, 10.0.0.1'`);
  assert.deepEqual(splitListValue('a, "b,c" ,, d'), ['a', 'b,c', 'd']);
});

test('changeEffect by context', () => {
  const e = (c: string) => changeEffect(c).effect;
  assert.equal(e('postmaster'), 'restart');
  assert.equal(e('sighup'), 'live');
  assert.equal(e('user'), 'live');
  assert.equal(e('superuser'), 'live');
  assert.equal(e('backend'), 'new-sessions');
  assert.equal(e('superuser-backend'), 'new-sessions');
  assert.equal(e('internal'), 'read-only');
  assert.equal(changeEffect('postmaster').needsReload, false);
  assert.equal(changeEffect('sighup').needsReload, true);
  assert.match(changeEffect('postmaster', 'shared_buffers').message, /shared_buffers.*restart/);
});

test('cancel and terminate take the pid as a parameter, and only a pid', () => {
  assert.deepEqual(cancelBackendSql(42), { text: 'SELECT pg_cancel_backend($1) AS "signalled"', values: [42] });
  assert.deepEqual(terminateBackendSql(7).values, [7]);
  assert.throws(() => cancelBackendSql(-1));
  assert.throws(() => terminateBackendSql(1.5));
});

test('queries are chosen by server_version_num', () => {
  assert.match(checkpointsQuery.build({ versionNum: 160004 }).text, /pg_stat_bgwriter/);
  assert.doesNotMatch(checkpointsQuery.build({ versionNum: 160004 }).text, /pg_stat_checkpointer/);
  assert.match(checkpointsQuery.build({ versionNum: 170000 }).text, /pg_stat_checkpointer/);
  assert.doesNotMatch(checkpointsQuery.build({ versionNum: 170000 }).text, /num_done/);
  assert.match(checkpointsQuery.build({ versionNum: 180001 }).text, /num_done/);
  assert.doesNotMatch(walQuery.build({ versionNum: 130010 }).text, /pg_stat_wal/);
  assert.match(walQuery.build({ versionNum: 140000 }).text, /wal_write/);
  assert.doesNotMatch(walQuery.build({ versionNum: 180000 }).text, /wal_write\b/);
  assert.match(tablesQuery.build({ versionNum: 160000, schema: 's' }).text, /pg_stat_get_lastscan/);
  assert.doesNotMatch(tablesQuery.build({ versionNum: 150000, schema: 's' }).text, /pg_stat_get_lastscan/);
  assert.doesNotMatch(indexesQuery.build({ versionNum: 150000, schema: 's' }).text, /lastscan/);
  assert.match(replicationSlotsQuery.build({ versionNum: 170000 }).text, /invalidation_reason/);
  assert.doesNotMatch(replicationSlotsQuery.build({ versionNum: 160000 }).text, /invalidation_reason/);
  assert.match(locksQuery.build({ versionNum: 140000 }).text, /waitstart/);
  assert.doesNotMatch(locksQuery.build({ versionNum: 130000 }).text, /waitstart/);
});

test('pg_stat_statements columns follow the extension version; its schema is quoted', () => {
  const modern = topStatementsQuery.build({ versionNum: 130000, extVersion: '1.8' }).text;
  assert.match(modern, /total_exec_time/);
  const old = topStatementsQuery.build({ versionNum: 130000, extVersion: '1.7' }).text;
  assert.match(old, /s\.total_time/);
  assert.doesNotMatch(old, /exec_time/);
  assert.match(topStatementsQuery.build({ versionNum: 160000, schema: 'My"Ext' }).text, /FROM "My""Ext"\.pg_stat_statements/);
  assert.match(topStatementsQuery.build({ versionNum: 160000, orderBy: 'mean' }).text, /ORDER BY s\.mean_exec_time DESC/);
});

test('paged queries bind schema, cursor and limit as parameters', () => {
  const q = tablesQuery.build({ versionNum: 160000, schema: "x'; DROP", after: 'b', limit: 5 });
  assert.deepEqual(q.values, ["x'; DROP", 'b', 5]);
  assert.doesNotMatch(q.text, /DROP/);
  assert.deepEqual(indexesQuery.build({ versionNum: 160000, schema: 's', table: 't' }).values, ['s', '', 200, 't']);
});

test('copySql writes the parameters in', () => {
  assert.equal(
    copySql(tablesQuery, { versionNum: 160000, schema: "o'neil", after: 'b', limit: 3 }).split('\n').at(-3),
    "WHERE n.nspname = 'o''neil' AND c.relkind IN ('r', 'p', 'm', 'f') AND c.relname > 'b'::name",
  );
});
