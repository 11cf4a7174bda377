import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, splitStatements, statementAt } from '../../../../src/core/explain/sqlLexer';
import { checkStatement } from '../../../../src/core/explain/safety';
import { explainOptionList } from '../../../../src/core/explain/explainOptions';

test('the lexer skips comments, strings, quoted identifiers and dollar quotes', () => {
  const words = lex(`SELECT 'DELETE;' AS "x;y", $f$ UPDATE t; $f$ -- INSERT;\n/* a /* nested */ MERGE; */ FROM t;`)
    .filter((t) => t.kind === 'word')
    .map((t) => t.value);
  assert.deepEqual(words, ['SELECT', 'AS', 'FROM', 'T']);
});

test('statement boundaries and the statement under the cursor', () => {
  const doc =
    "SELECT 1;\n\n-- two\nSELECT ';' FROM t;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;\nSELECT 3";
  const all = splitStatements(doc);
  assert.deepEqual(
    all.map((s) => s.text.slice(0, 14)),
    ['SELECT 1', "SELECT ';' FRO", 'CREATE FUNCTIO', 'SELECT 3'],
  );
  assert.equal(statementAt(doc, doc.indexOf("';'"))?.text, "SELECT ';' FROM t");
  assert.equal(statementAt(doc, doc.indexOf('SELECT 1;') + 9)?.text, 'SELECT 1', 'just after the semicolon');
  assert.equal(statementAt(doc, doc.length)?.text, 'SELECT 3');
});

test('reads, writes and maybe-writes', () => {
  const effect = (sql: string) => {
    const s = checkStatement(sql);
    return s.ok ? s.effect : `refused: ${s.reason}`;
  };
  assert.equal(effect('SELECT count(*) FROM t WHERE lower(x) = $1'), 'read');
  assert.equal(effect('UPDATE t SET a = 1'), 'writes');
  assert.equal(effect('WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d'), 'writes');
  assert.equal(effect('MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE'), 'writes');
  assert.equal(effect('SELECT * FROM t FOR UPDATE'), 'locks');
  assert.equal(effect('SELECT my_func(1)'), 'may-write');
  assert.equal(effect('SELECT app.archive_old()'), 'may-write');
  assert.equal(effect('CREATE TABLE x AS SELECT 1'), 'writes');
  assert.equal(effect("SELECT 'DELETE FROM t'"), 'read');
  assert.ok(checkStatement("SELECT nextval('s')").ok);
  const nv = checkStatement("SELECT nextval('s')");
  assert.ok(nv.ok && nv.notes[0]?.includes('ROLLBACK does not undo'));
});

test('refused, with a reason', () => {
  for (const [sql, why] of [
    ['VACUUM t', /VACUUM cannot run inside a transaction/],
    ['CREATE INDEX CONCURRENTLY i ON t (a)', /CONCURRENTLY cannot run inside a transaction/],
    ['REINDEX TABLE CONCURRENTLY t', /CONCURRENTLY/],
    ['COMMIT', /transaction control/],
    ['ROLLBACK', /transaction control/],
    ['CREATE DATABASE x', /CREATE DATABASE cannot run inside a transaction/],
    ['ALTER SYSTEM SET work_mem = 1', /ALTER SYSTEM/],
    ['DROP TABLE t', /EXPLAIN shows SELECT/],
    ['SELECT 1; SELECT 2', /2 statements/],
    ['EXPLAIN SELECT 1', /already an EXPLAIN/],
    ['SELECT pg_terminate_backend(123)', /ROLLBACK cannot undo/],
    ['  -- nothing\n', /no SQL statement/],
  ] as const) {
    const s = checkStatement(sql);
    assert.equal(s.ok, false, sql);
    if (!s.ok) assert.match(s.reason, why, sql);
  }
});

test('EXPLAIN options by server version', () => {
  const all = { analyze: true, buffers: true, verbose: true, settings: true, wal: true, serialize: true, memory: true };
  assert.deepEqual(explainOptionList(all, 13), ['ANALYZE', 'VERBOSE', 'BUFFERS', 'SETTINGS', 'WAL', 'FORMAT JSON']);
  assert.deepEqual(explainOptionList(all, 17), ['ANALYZE', 'VERBOSE', 'BUFFERS', 'SETTINGS', 'WAL', 'SERIALIZE', 'MEMORY', 'FORMAT JSON']);
  assert.deepEqual(explainOptionList({ ...all, analyze: false }, 16), ['VERBOSE', 'BUFFERS', 'SETTINGS', 'FORMAT JSON']);
});
