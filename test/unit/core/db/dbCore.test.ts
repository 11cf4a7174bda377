import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { lookupPgpass, parsePgpass } from '../../../../src/core/db/pgpass';
import { parseProfile, describeProfile } from '../../../../src/core/db/profile';
import { parseServerVersionNum } from '../../../../src/core/db/serverInfo';
import { resolvePassword } from '../../../../src/core/db/passwordSource';
import { parseServiceFile } from '../../../../src/core/db/pgService';
import { isPgbouncerStartupRejection, poolConfig } from '../../../../src/core/db/pool';
import { CLIENT_GRACE_MS, CONNECT_TIMEOUT_MS, QUERY_TIMEOUT_MS, clientConfig } from '../../../../src/core/db/connection';
import { explainConnectError } from '../../../../src/core/db/connectError';
import { VSCODE_ADVICE } from '../../../../src/vscode/connectAdvice';
import { tempDir } from '../../../support/tempDir';

test('server_version_num parses for 13–18 and rejects garbage', () => {
  assert.deepEqual(parseServerVersionNum('160009'), { num: 160009, major: 16, text: '16.9' });
  assert.deepEqual(parseServerVersionNum(130023), { num: 130023, major: 13, text: '13.23' });
  assert.equal(parseServerVersionNum('180000').major, 18);
  assert.throws(() => parseServerVersionNum('abc'), /not a server_version_num/);
});

test('.pgpass: escapes, wildcards, first match wins, localhost matches 127.0.0.1', () => {
  const entries = parsePgpass(
    ['# comment', 'db.example:5432:hotel:rhtsys_user:s3cr\\:et', '*:*:*:rhtsys_user:fallback', 'localhost:6432:*:app:pw\\\\x', 'short:line'].join('\n'),
  );
  assert.equal(entries.length, 3);
  assert.equal(lookupPgpass(entries, { host: 'db.example', port: 5432, database: 'hotel', user: 'rhtsys_user' }), 's3cr:et');
  assert.equal(lookupPgpass(entries, { host: 'other', port: 5432, database: 'hotel', user: 'rhtsys_user' }), 'fallback');
  assert.equal(lookupPgpass(entries, { host: '127.0.0.1', port: 6432, database: 'x', user: 'app' }), 'pw\\x');
  assert.equal(lookupPgpass(entries, { host: '127.0.0.1', port: 5432, database: 'x', user: 'app' }), undefined);
});

test('profiles: defaults, validation in words, no password in the description', () => {
  const { profile } = parseProfile({ name: 'hotel', host: 'db', port: 5433, database: 'hotel', user: 'rhtsys_user' });
  assert.ok(profile);
  assert.equal(describeProfile(profile), 'rhtsys_user@db:5433/hotel');
  assert.equal(parseProfile({ name: 'x', port: 70000 }).error, 'profile "x": port must be 1–65535');
  assert.match(parseProfile({ port: 1 }).error ?? '', /needs a "name"/);
  assert.match(parseProfile({ name: 'x', sslmode: 'maybe' }).error ?? '', /sslmode must be one of/);
});

test('password sources: secret store, then PGPASSWORD, then a 0600 .pgpass (a 0644 one is ignored, as libpq does)', async (t) => {
  const profile = { name: 'p', host: 'h', port: 5432, database: 'd', user: 'u' };
  const dir = tempDir('pgpass', t);
  const file = join(dir, 'pgpass');
  writeFileSync(file, 'h:5432:d:u:from-file\n');
  chmodSync(file, 0o600);
  const store = { get: (k: string) => Promise.resolve(k === 'pgdba.password.p' ? 'from-store' : undefined) };
  assert.deepEqual(await resolvePassword(profile, store, { PGPASSFILE: file }), { password: 'from-store', origin: 'secret-storage' });
  assert.deepEqual(await resolvePassword(profile, undefined, { PGPASSFILE: file, PGPASSWORD: 'env' }), { password: 'env', origin: 'environment' });
  assert.deepEqual(await resolvePassword(profile, undefined, { PGPASSFILE: file }), { password: 'from-file', origin: 'pgpass' });
  chmodSync(file, 0o644);
  assert.deepEqual(await resolvePassword(profile, undefined, { PGPASSFILE: file }), { origin: 'none' });
});

test('connection errors become sentences a person can act on', () => {
  const p = { name: 'p', host: 'db', port: 5432, database: 'hotel', user: 'u' };
  assert.match(explainConnectError({ code: 'ECONNREFUSED' }, p, VSCODE_ADVICE), /No PostgreSQL server answers at db:5432/);
  assert.match(explainConnectError({ code: '28P01' }, p, VSCODE_ADVICE), /Password authentication failed for user "u"/);
  assert.match(explainConnectError({ code: '3D000' }, p, VSCODE_ADVICE), /Database "hotel" does not exist/);
});

test('pool config: statement_timeout as a startup parameter, or client-side behind PgBouncer', () => {
  const p = { name: 'p', host: 'h', port: 6432, database: 'd', user: 'u' };
  const direct = poolConfig(p, { statementTimeoutMs: 1500 });
  assert.equal(direct.statement_timeout, 1500);
  assert.equal(direct.application_name, 'pgdba');
  const bounced = poolConfig(p, { statementTimeoutMs: 1500, pgbouncerCompatible: true });
  assert.equal(bounced.statement_timeout, undefined);
  assert.equal(bounced.query_timeout, 1500);
  assert.equal(poolConfig({ ...p, port: 5432, pgbouncerPort: 6432 }, { statementTimeoutMs: 1, viaPgbouncer: true }).port, 6432);
  // A stalled server never sends statement_timeout's error: the client has its own deadline, a little later.
  assert.equal(direct.query_timeout, 1500 + CLIENT_GRACE_MS);
  assert.equal(direct.connectionTimeoutMillis, 5000);
  assert.equal(poolConfig(p, { statementTimeoutMs: 1500, connectTimeoutMs: 700 }).connectionTimeoutMillis, 700);
  assert.ok(isPgbouncerStartupRejection(new Error('unsupported startup parameter: statement_timeout')));
});

test("client config: every connection has a connect and a query deadline, defaults or the caller's", () => {
  const p = { name: 'p', host: 'h', port: 5432, database: 'd', user: 'u' };
  assert.equal(clientConfig(p).connectionTimeoutMillis, CONNECT_TIMEOUT_MS);
  assert.equal(clientConfig(p).query_timeout, QUERY_TIMEOUT_MS);
  assert.equal(clientConfig(p, { connectMs: 1, queryMs: 2 }).connectionTimeoutMillis, 1);
  assert.equal(clientConfig(p, { connectMs: 1, queryMs: 2 }).query_timeout, 2);
});

test('pg_service.conf: the user file before the system one; its password comes before PGPASSWORD, as in libpq', async (t) => {
  const dir = tempDir('svc', t);
  const userFile = join(dir, 'user.conf');
  writeFileSync(userFile, '# hotels\n[hotel]\nhost=db\npassword=from-user-file\n\n[other]\nuser=x\n');
  const sysDir = join(dir, 'sys');
  mkdirSync(sysDir);
  writeFileSync(join(sysDir, 'pg_service.conf'), '[hotel]\npassword=from-system\n[reports]\npassword=system-only\n');
  assert.deepEqual(parseServiceFile('[a]\nk = v\nnot a line\n[b]\n').get('a'), { k: 'v' });
  const env = { PGSERVICEFILE: userFile, PGSYSCONFDIR: sysDir, PGPASSWORD: 'env', PGPASSFILE: join(dir, 'none') };
  const base = { name: 'p', host: 'db', port: 5432, database: 'd', user: 'u' };
  assert.deepEqual(await resolvePassword({ ...base, service: 'hotel' }, undefined, env), { password: 'from-user-file', origin: 'pg_service.conf' });
  assert.deepEqual(await resolvePassword({ ...base, service: 'reports' }, undefined, env), { password: 'system-only', origin: 'pg_service.conf' });
  assert.deepEqual(await resolvePassword({ ...base, service: 'other' }, undefined, env), { password: 'env', origin: 'environment' });
  assert.deepEqual(await resolvePassword(base, undefined, { ...env, PGSERVICE: 'hotel' }), { password: 'from-user-file', origin: 'pg_service.conf' });
  assert.equal(parseProfile({ name: 'p', service: ' hotel ' }).profile?.service, 'hotel');
});
