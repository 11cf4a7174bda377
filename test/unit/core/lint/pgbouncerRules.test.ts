import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { lintPgbouncer, resolveServer } from '../../../../src/core/lint/pgbouncerRules';
import { parseConnString, parsePgbouncerIni } from '../../../../src/core/conf/pgbouncerParser';
import { parseCInt } from '../../../../src/core/lint/pgbouncerSettings';
import { SEED_PGBOUNCER } from './lintSeeds';
import { tempDir } from '../../../support/tempDir';

const lint = (text: string, server = {}) => lintPgbouncer(text, { file: 'pgbouncer.ini', server });
const codes = (text: string, server = {}) => lint(text, server).map((f) => f.code);
const G = (body: string) => `[pgbouncer]\nauth_type = scram-sha-256\nauth_file = users.txt\n${body}\n`;

void test('the seed with the seed postgresql.conf (PG 16, max_connections 100): exactly the real findings', () => {
  const f = lint(SEED_PGBOUNCER, { major: 16, maxConnections: 100, source: 'postgresql.conf' });
  assert.deepEqual(
    f.map((x) => [x.code, x.severity, x.line]),
    [
      ['PGB023', 'info', 2],
      ['PGB030', 'warning', 7],
    ],
  );
  // auth_type md5 against PG16's default scram-sha-256, with a one-click fix of the value only.
  assert.match(f[1]?.message ?? '', /password_encryption = scram-sha-256 \(the PostgreSQL 16 default\)/);
  assert.deepEqual(f[1]?.fix, {
    title: 'Use auth_type = scram-sha-256 (auth_file must then hold SCRAM secrets or plain-text passwords)',
    range: { line: 7, column: 13, endLine: 7, endColumn: 16 },
    newText: 'scram-sha-256',
  });
  // 20 + 10 per pair, 50 per db, 50 per user: one db or one user stays within 97; 2 × 2 may reach 100.
  assert.match(
    f[0]?.message ?? '',
    /pool of 30 .* at most 50 per database .* at most 50 per user .* 2 databases used by 2 users may ask for 100, more than the 97 .*max_connections 100 − superuser_reserved_connections 3 = 97, from postgresql\.conf/,
  );
  // Nothing about max_db_connections 50 ≤ 97, nothing about max_client_conn.
  assert.ok(!f.some((x) => x.code === 'PGB021' || x.code === 'PGB020'));
});

void test('PG 13 (password_encryption md5 by default): md5 auth is consistent, no PGB030', () => {
  assert.ok(!codes(SEED_PGBOUNCER, { major: 13 }).includes('PGB030'));
  assert.deepEqual(codes(G(''), { major: 13 }), ['PGB030']);
  assert.deepEqual(codes(G(''), { passwordEncryption: 'scram-sha-256' }), []);
});

void test('parser: sections, comments only at line start, values to end of line, quoted keys, %include', () => {
  const ini = parsePgbouncerIni(
    '; c1\n# c2\n[databases]\n"my db" = host=x\n  foo.bar-1 =   host=y dbname=z   \n%include extra.ini\n[pgbouncer]\nlogfile = /x.log ; not a comment\n',
  );
  assert.deepEqual(
    ini.sections.map((s) => s.name),
    ['databases', 'pgbouncer'],
  );
  assert.deepEqual(
    ini.entries.map((e) => [e.section, e.key, e.value]),
    [
      ['databases', 'my db', 'host=x'],
      ['databases', 'foo.bar-1', 'host=y dbname=z'],
      ['pgbouncer', 'logfile', '/x.log ; not a comment'],
    ],
  );
  assert.deepEqual(ini.entries[1]?.valueRange, { line: 5, column: 17, endLine: 5, endColumn: 32 });
  assert.deepEqual(
    ini.includes.map((i) => i.path),
    ['extra.ini'],
  );
  assert.deepEqual(
    parsePgbouncerIni('[broken\n').problems.map((p) => p.code),
    ['PGB001'],
  );
  assert.deepEqual(
    parsePgbouncerIni('[pgbouncer]\njust words\n').problems.map((p) => p.code),
    ['PGB001'],
  );
});

void test('connection strings: pairs, quoted values, errors', () => {
  assert.deepEqual(
    parseConnString("host=a port=5 auth_query='SELECT a, b FROM t WHERE u=$1' x=''''").params.map((p) => [p.key, p.value]),
    [
      ['host', 'a'],
      ['port', '5'],
      ['auth_query', 'SELECT a, b FROM t WHERE u=$1'],
      ['x', "'"],
    ],
  );
  assert.ok(parseConnString("host='open").error);
  assert.ok(parseConnString('host').error);
});

void test('PGB002/003/004/005 what PgBouncer refuses to load', () => {
  assert.deepEqual(codes('[pgbouncr]\n'), ['PGB002']);
  assert.match(lint('[pgbouncr]\n')[0]?.message ?? '', /did you mean "pgbouncer"/);
  assert.deepEqual(codes('listen_port = 6432\n'), ['PGB003']);
  assert.deepEqual(codes(G('pool_size = 10')), ['PGB004']);
  assert.match(lint(G('defualt_pool_size = 10'))[0]?.message ?? '', /did you mean "default_pool_size"/);
  assert.deepEqual(codes(G('pool_mode = transactions')), ['PGB005']);
  assert.deepEqual(codes(G('pool_mode = Transaction')), []);
  assert.deepEqual(codes(G('default_pool_size = 20.5')), ['PGB005']);
  assert.deepEqual(codes(G('default_pool_size = 0x14')), []);
  assert.deepEqual(codes(G('max_client_conn = -1')), ['PGB012']); // PgBouncer loads it
  assert.equal(lint(G('max_client_conn = -1'))[0]?.severity, 'warning');
  assert.deepEqual(codes(G('syslog_facility = nonsense')), ['PGB012']);
  assert.deepEqual(codes(G('listen_port = 70000')), ['PGB012']);
  assert.deepEqual(codes(G('server_lifetime = 1h')), ['PGB005']);
  assert.deepEqual(codes(G('server_lifetime = 3600.0')), []);
  assert.deepEqual(codes(G('client_tls_sslmode = verify-full')), []);
  assert.deepEqual(codes('[pgbouncer]\nauth_type = sha256\nauth_file = u.txt\n'), ['PGB005']);
});

void test('PGB005/006 a value with an end-of-line comment', () => {
  const bad = lint(G('pool_mode = transaction ; pooled per transaction'));
  assert.equal(bad[0]?.code, 'PGB005');
  assert.match(bad[0]?.message ?? '', /no end-of-line comments/);
  const str = lint(G('logfile = /var/log/pgbouncer.log   # main log'));
  assert.deepEqual(
    str.map((x) => [x.code, x.column]),
    [['PGB006', 36]],
  );
});

void test('PGB007 duplicates name the overridden line', () => {
  const f = lint(G('default_pool_size = 10\ndefault_pool_size = 15'));
  assert.deepEqual(
    f.map((x) => [x.code, x.line]),
    [['PGB007', 4]],
  );
  assert.match(f[0]?.message ?? '', /last one wins/);
});

void test('PGB008/009/010 [databases], [users], [peers] entries', () => {
  assert.deepEqual(codes('[databases]\napp = host=db hots=x\n' + G('')), ['PGB008']);
  assert.deepEqual(codes('[databases]\napp = host=db pool_mode=txn\n' + G('')), ['PGB008']);
  assert.deepEqual(codes('[databases]\npgbouncer = host=db\n' + G('')), ['PGB008']);
  assert.deepEqual(codes('[databases]\napp = host=db dbname=app user=app pool_size=10 reserve_pool=2 max_db_connections=20\nforcedb =\n' + G('')), ['PGB023']);
  assert.deepEqual(codes('[users]\nbob = pool_mode=session max_user_connections=5\n' + G('')), []);
  assert.deepEqual(codes('[users]\nbob = pool_size=lots\n' + G('')), ['PGB012']); // atoi: read as 0
  assert.deepEqual(codes('[users]\nbob = colour=blue\n' + G('')), ['PGB009']);
  assert.deepEqual(codes('[peers]\n1 = host=/tmp/pgb1 port=6432\nx = host=y\n' + G('peer_id = 1')), ['PGB010']);
});

void test('PGB011 %include checked when a file system is given', (t) => {
  const dir = tempDir('pgb', t);
  const f = lintPgbouncer(`%include missing.ini\n${G('')}`, { file: join(dir, 'pgbouncer.ini'), fileExists: existsSync });
  assert.deepEqual(
    f.map((x) => x.code),
    ['PGB011'],
  );
});

void test('PGB020/021/022 pool arithmetic against max_connections − reserved', () => {
  const server = { maxConnections: 50, superuserReservedConnections: 3, source: 'postgresql.conf' };
  // one pool bigger than the server
  assert.deepEqual(codes('[databases]\napp = host=db user=app pool_size=60\n' + G(''), server), ['PGB020']);
  assert.deepEqual(codes('[databases]\napp = host=db user=app\n' + G('default_pool_size = 40\nreserve_pool_size = 10'), server), ['PGB020']);
  // caps that do not cap
  assert.deepEqual(codes('[databases]\napp = host=db user=app\n' + G('max_db_connections = 80'), server), ['PGB021']);
  // several forced-user databases: 3 × 20 = 60 > 47
  const three = '[databases]\na = host=db user=u1\nb = host=db user=u2\nc = host=db user=u3\n';
  const f = lint(three + G(''), server);
  assert.deepEqual(
    f.map((x) => [x.code, x.line]),
    [['PGB022', 1]],
  );
  assert.match(f[0]?.message ?? '', /3 databases listed here may open 60 .* 47/);
  // max_user_connections of the one forced user caps it again
  assert.deepEqual(codes('[databases]\na = host=db user=u\nb = host=db user=u\nc = host=db user=u\n' + G('max_user_connections = 40'), server), []);
  // PG 16 reserved_connections count; PG 15 has none
  assert.equal(resolveServer({ major: 16, reservedConnections: 5 }).reservedConnections, 5);
  assert.equal(resolveServer({ major: 15, reservedConnections: 5 }).reservedConnections, 0);
  assert.deepEqual(codes('[databases]\napp = host=db user=app pool_size=45\n' + G(''), { ...server, major: 16, reservedConnections: 0 }), []);
  assert.deepEqual(codes('[databases]\napp = host=db user=app pool_size=45\n' + G(''), { ...server, major: 16, reservedConnections: 5 }), ['PGB020']);
});

void test('PGB023 pools that multiply with the clients are information, not warnings', () => {
  const f = lint('[databases]\napp = host=db\n' + G(''), { maxConnections: 100 });
  assert.deepEqual(
    f.map((x) => [x.code, x.severity]),
    [['PGB023', 'info']],
  );
  assert.match(f[0]?.message ?? '', /5 users may ask for 100, more than the 97/);
  assert.deepEqual(codes('[databases]\napp = host=db max_db_connections=90\n' + G(''), { maxConnections: 100 }), []);
});

void test('PGB030/031/032 authentication', () => {
  assert.deepEqual(codes('[pgbouncer]\nauth_file = u.txt\n'), ['PGB030']); // default md5 vs scram
  assert.deepEqual(codes('[pgbouncer]\nauth_type = plain\nauth_file = u.txt\n'), ['PGB031']);
  assert.deepEqual(codes('[pgbouncer]\nauth_type = trust\nauth_file = u.txt\n'), ['PGB031']);
  assert.deepEqual(codes('[pgbouncer]\nauth_type = scram-sha-256\n'), ['PGB032']);
  assert.deepEqual(codes('[pgbouncer]\nauth_type = scram-sha-256\nauth_user = pgbouncer\n'), []);
  assert.deepEqual(codes('[pgbouncer]\nauth_type = hba\n'), ['PGB032']);
  assert.deepEqual(codes('[pgbouncer]\nauth_type = cert\n'), []);
});

void test('C integers as strtol(…, 0) reads them', () => {
  assert.equal(parseCInt('0777'), 511);
  assert.equal(parseCInt('0x1F'), 31);
  assert.equal(parseCInt(' 42'), 42);
  assert.equal(parseCInt('42 '), undefined);
  assert.equal(parseCInt('089'), undefined);
});
