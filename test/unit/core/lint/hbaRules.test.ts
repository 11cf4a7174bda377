import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { lintHba, hbaOpenToWorld } from '../../../../src/core/lint/hbaRules';
import { parseHba } from '../../../../src/core/conf/hbaParser';
import { SEED_HBA } from './lintSeeds';
import { tempDir } from '../../../support/tempDir';

const lint = (text: string, major = 16) => lintHba(text, { file: 'pg_hba.conf', major });
const codes = (text: string, major = 16) => lint(text, major).map((f) => f.code);

void test('the seed pg_hba.conf has no findings and nothing open to the world', () => {
  assert.deepEqual(lint(SEED_HBA), []);
  for (const major of [13, 14, 15, 17, 18]) assert.deepEqual(lint(SEED_HBA, major), []);
  assert.deepEqual(hbaOpenToWorld(parseHba(SEED_HBA), 'pg_hba.conf'), []);
});

void test('HBA020 trust on host lines, not on local', () => {
  assert.deepEqual(codes('host all all 10.0.0.0/8 trust'), ['HBA020']);
  assert.deepEqual(codes('local all all trust'), []);
});

void test('HBA021 password: warning in clear text, info inside TLS', () => {
  const f = lint('host all all 10.0.0.0/8 password');
  assert.equal(f[0]?.code, 'HBA021');
  assert.equal(f[0]?.severity, 'warning');
  assert.equal(f[0]?.fix?.newText, 'scram-sha-256');
  assert.equal(lint('hostssl all all 10.0.0.0/8 password')[0]?.severity, 'info');
  assert.deepEqual(codes('local all all password'), []);
});

void test('HBA022 md5: the fix rewrites only the method token and keeps the comment', () => {
  const text = 'host    all    all    10.0.0.0/8    md5    # office\n';
  const f = lint(text);
  assert.equal(f.length, 1);
  assert.equal(f[0]?.code, 'HBA022');
  const fix = f[0]?.fix;
  assert.ok(fix);
  const line = text.split('\n')[0] ?? '';
  const fixed = line.slice(0, fix.range.column - 1) + fix.newText + line.slice(fix.range.endColumn - 1);
  assert.equal(fixed, 'host    all    all    10.0.0.0/8    scram-sha-256    # office');
  assert.deepEqual(lintHba(fixed, { file: 'x' }), []);
  assert.match(lint('local all all md5', 18)[0]?.message ?? '', /deprecated in PostgreSQL 18/);
});

void test('HBA023 0.0.0.0/0, ::/0, all and a zero mask with anything but reject', () => {
  assert.deepEqual(codes('host all all 0.0.0.0/0 scram-sha-256'), ['HBA023']);
  assert.deepEqual(codes('hostssl all all ::/0 scram-sha-256'), ['HBA023']);
  assert.deepEqual(codes('host all all all scram-sha-256'), ['HBA023']);
  assert.deepEqual(codes('host all all 0.0.0.0 0.0.0.0 scram-sha-256'), ['HBA023']);
  assert.deepEqual(codes('host all all 0.0.0.0/0 reject'), []);
  const open = hbaOpenToWorld(
    parseHba('host all all 10.0.0.0/8 md5\nhost all all 0.0.0.0/0 scram-sha-256 # anywhere\nhost all all ::/0 reject\n'),
    'pg_hba.conf',
  );
  assert.deepEqual(open, [{ file: 'pg_hba.conf', line: 2, text: 'host all all 0.0.0.0/0 scram-sha-256', method: 'scram-sha-256' }]);
});

void test('HBA024 a line an earlier line already covers names that line', () => {
  const f = lint('host all all 10.0.0.0/8 scram-sha-256\nhost sales bob 10.1.2.0/24 reject\n');
  assert.equal(f.length, 1);
  assert.equal(f[0]?.code, 'HBA024');
  assert.equal(f[0]?.line, 2);
  assert.match(f[0]?.message ?? '', /line 1 \(host all all 10\.0\.0\.0\/8 scram-sha-256\)/);
});

void test('HBA024 stays silent whenever some connection could still reach the line', () => {
  const ok = (text: string) => assert.deepEqual(codes(text), [], text);
  ok('host all all 10.1.0.0/16 reject\nhost all all 10.0.0.0/8 scram-sha-256'); // narrower first
  ok('hostssl all all 10.0.0.0/8 scram-sha-256\nhost all all 10.0.0.0/8 reject'); // non-SSL still reaches
  ok('host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256'); // other family
  ok('host all all 10.0.0.0/8 scram-sha-256\nhost replication all 10.0.0.0/8 scram-sha-256'); // all excludes replication
  ok('host sales all 10.0.0.0/8 scram-sha-256\nhost sales,hr all 10.0.0.0/8 reject'); // hr not covered
  ok('host all +admins 10.0.0.0/8 scram-sha-256\nhost all bob 10.0.0.0/8 reject'); // membership unknown
  ok('host all all samehost scram-sha-256\nhost all all samenet reject');
  ok('host all all 10.0.0.0/8 scram-sha-256\nhost all all db.example.com reject');
  ok('local all postgres peer\nlocal all all peer'); // the seed's pattern
  ok('host "all" all 10.0.0.0/8 scram-sha-256\nhost all all 10.0.0.0/8 reject'); // quoted all is a name
});

void test('HBA024 catches covering connection types, keywords and addresses', () => {
  const shadowed = (text: string) => assert.deepEqual(codes(text), ['HBA024'], text);
  shadowed('host all all 10.0.0.0/8 scram-sha-256\nhostssl all all 10.2.0.0/16 reject');
  shadowed('hostnossl all all 10.0.0.0/8 scram-sha-256\nhostgssenc all all 10.0.0.0/8 reject');
  shadowed('host all all all reject\nhost db u db.example.com scram-sha-256');
  shadowed('host all all samenet scram-sha-256\nhost all all samehost reject');
  shadowed('host all all .example.com scram-sha-256\nhost all all db.example.com reject');
  shadowed('local replication,all all peer\nlocal replication postgres peer');
  shadowed('host all all 192.168.0.0 255.255.0.0 scram-sha-256\nhost all all 192.168.4.0/24 reject');
  shadowed('local sameuser all peer\nlocal sameuser bob peer');
  shadowed('local all +admins peer\nlocal db1,db2 +admins peer');
});

void test('HBA009 include and @file names are checked when a file system is given', (t) => {
  const dir = tempDir('hba', t);
  writeFileSync(join(dir, 'users.txt'), 'alice\n');
  const text = 'include missing.conf\ninclude_if_exists also-missing.conf\nlocal all @users.txt,@nobody.txt peer\n';
  const f = lintHba(text, { file: join(dir, 'pg_hba.conf'), fileExists: existsSync });
  assert.deepEqual(
    f.map((x) => [x.code, x.line, x.severity]),
    [
      ['HBA009', 1, 'error'],
      ['HBA009', 3, 'error'],
    ],
  );
  assert.match(f[1]?.message ?? '', /nobody\.txt/);
  const old = lintHba('local all @nobody.txt peer', { file: join(dir, 'pg_hba.conf'), major: 15, fileExists: existsSync });
  assert.equal(old[0]?.severity, 'warning');
});

void test('HBA010 a file without entries; HBA014 regex before 16', () => {
  assert.deepEqual(codes('# nothing here\n'), ['HBA010']);
  assert.deepEqual(codes('local /^app all peer', 15), ['HBA014']);
  assert.deepEqual(codes('local /^app all peer', 16), []);
});

void test('findings are sorted, one-based, with an exclusive end column', () => {
  const f = lint('host all all 0.0.0.0/0 trust');
  assert.deepEqual(
    f.map((x) => [x.code, x.line, x.column, x.endColumn]),
    [
      ['HBA023', 1, 14, 23],
      ['HBA020', 1, 24, 29],
    ],
  );
  assert.ok(f.every((x) => x.file === 'pg_hba.conf'));
});

void test('clientcert by major and method, as the servers say (hbaTruth generated options)', () => {
  const line = (method: string, value: string) => `hostssl all all 10.0.0.0/8 ${method} clientcert=${value}`;
  const refused = (method: string, value: string, major: number) => codes(line(method, value), major).includes('HBA008');
  // 13 took 1 as verify-ca, 0 and no-verify as off; with cert, 1 and verify-ca too (not 0 or no-verify)
  for (const v of ['1', '0', 'no-verify', 'verify-ca', 'verify-full']) assert.ok(!refused('md5', v, 13), `13 md5 ${v}`);
  for (const v of ['1', 'verify-ca', 'verify-full']) assert.ok(!refused('cert', v, 13), `13 cert ${v}`);
  for (const v of ['0', 'no-verify', 'bogus']) assert.ok(refused('cert', v, 13), `13 cert ${v}`);
  // 14+ only verify-ca and verify-full; with cert only verify-full
  for (const major of [14, 16, 18]) {
    for (const v of ['1', '0', 'no-verify', 'bogus']) assert.ok(refused('md5', v, major), `${major} md5 ${v}`);
    assert.ok(!refused('md5', 'verify-ca', major) && refused('cert', 'verify-ca', major), `${major} verify-ca`);
  }
});

void test('a regex bound a comma cut open is refused as the server refuses it (16+)', () => {
  // "/x{2,1}" is two tokens, "/x{2" and "1}": ARE says braces {} not balanced; JavaScript reads "{2" as text
  const errors = (text: string) => lint(text).filter((f) => f.severity === 'error');
  assert.match(errors('host all /x{2,1} 10.0.0.0/8 scram-sha-256')[0]?.message ?? '', /braces \{\} not balanced/);
  assert.deepEqual(errors('host all /^x{2}$ 10.0.0.0/8 scram-sha-256'), [], 'a bound without a comma stays whole');
});
