// The one connection model: its conversions (pg config, libpq environment, URL), the --url
// parser every CLI command uses, and the connect-error explainer with each front end's advice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import pg from 'pg';
import {
  childEnv,
  clientConfig,
  connectionUrl,
  databaseArgs,
  parseConnectionUrl,
  sslConfig,
  URL_SCHEME_ERROR,
  withClient,
  type PgConnection,
} from '../../../../src/core/db/connection';
import { ConnectFailure, errorText, explainConnectError } from '../../../../src/core/db/connectError';
import { describeProfile } from '../../../../src/core/db/profile';
import { poolConfig } from '../../../../src/core/db/pool';
import { CLI_ADVICE, connectionFrom } from '../../../../src/cli/connection';
import { VSCODE_ADVICE } from '../../../../src/vscode/connectAdvice';

const conn: PgConnection = { name: 'hotel', host: 'db.example', port: 5433, database: 'hotel', user: 'rhtsys_user', sslmode: 'require', password: 's3cret' };

/** A pg error as node-postgres builds it from the server's ErrorResponse. */
function serverError(code: string, message: string): pg.DatabaseError {
  const e = new pg.DatabaseError(message, message.length, 'error');
  e.code = code;
  e.severity = 'FATAL';
  return e;
}

/** A real ECONNREFUSED: a port that was just free. */
async function refusedError(): Promise<{ error: unknown; port: number }> {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'u', database: 'd', password: 'x' });
  const error = await c.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, port };
}

test('one SSL mapping for pools and clients: prefer and disable are plain, verify-* check the certificate', () => {
  assert.equal(sslConfig(undefined, 'db.example'), false);
  assert.equal(sslConfig('prefer', 'db.example'), false);
  assert.deepEqual(sslConfig('require', 'db.example'), { rejectUnauthorized: false });
  // verify-full: the profile's host is the name checked and the SNI (never an IP address as SNI).
  assert.deepEqual(sslConfig('verify-full', 'db.example'), { rejectUnauthorized: true, host: 'db.example', servername: 'db.example' });
  assert.deepEqual(sslConfig('verify-full', '10.0.0.5'), { rejectUnauthorized: true, host: '10.0.0.5' });
  // verify-ca: the chain only, as libpq (node's default would also check the name).
  const ca = sslConfig('verify-ca', 'db.example') as { rejectUnauthorized: boolean; checkServerIdentity: () => Error | undefined };
  assert.equal(ca.rejectUnauthorized, true);
  assert.equal(ca.checkServerIdentity(), undefined);
  assert.deepEqual(clientConfig(conn).ssl, { rejectUnauthorized: false });
  assert.deepEqual(poolConfig(conn, { statementTimeoutMs: 1 }).ssl, clientConfig(conn).ssl);
  assert.equal(clientConfig(conn).password, 's3cret');
  assert.equal(clientConfig(conn).application_name, 'pgdba');
});

test('child processes get PG* variables and PGPASSWORD; the URL and the description never hold the password', () => {
  const env = childEnv(conn, { PATH: '/bin' });
  assert.deepEqual(
    [env.PGHOST, env.PGPORT, env.PGUSER, env.PGDATABASE, env.PGPASSWORD, env.PGSSLMODE, env.PGAPPNAME, env.PATH],
    ['db.example', '5433', 'rhtsys_user', 'hotel', 's3cret', 'require', 'pgdba', '/bin'],
  );
  assert.equal(childEnv({ ...conn, password: undefined }, {}).PGPASSWORD, undefined);
  assert.equal(connectionUrl(conn), 'postgres://rhtsys_user@db.example:5433/hotel?sslmode=require');
  assert.equal(describeProfile(conn), 'rhtsys_user@db.example:5433/hotel');
  const odd = { ...conn, user: 'a@b', database: 'my db/x', sslmode: undefined };
  assert.equal(connectionUrl(odd), 'postgres://a%40b@db.example:5433/my%20db%2Fx');
  const back = parseConnectionUrl(connectionUrl(odd));
  assert.deepEqual([back.user, back.database, back.host, back.port, back.password], ['a@b', 'my db/x', 'db.example', 5433, undefined]);
});

test('a database reaches libpq tools as a name: a URL with it percent-encoded, never a bare name libpq would parse', () => {
  const c: PgConnection = { name: 'x', host: 'db', port: 5433, user: 'ops', database: 'dbname=victim' };
  assert.deepEqual(databaseArgs(c, 'pg_restore'), ['--dbname=postgres://ops@db:5433/dbname%3Dvictim']);
  assert.deepEqual(databaseArgs(c, 'pgbench'), ['postgres://ops@db:5433/dbname%3Dvictim']);
  for (const database of ['-h', 'o\'q"uote', '100% sure', 'ünï ✓', 'postgres://x@y/victim']) {
    const withPassword: PgConnection = { ...c, database, password: 'secret' };
    const [arg] = databaseArgs(withPassword, 'pg_dump');
    assert.ok(arg!.startsWith('--dbname=postgres://ops@db:5433/') && !arg!.includes('secret'), arg);
    assert.equal(parseConnectionUrl(arg!.slice('--dbname='.length)).database, database, 'decodes to exactly the name');
  }
});

test('through an SSH tunnel libpq tools connect to its loopback end (hostaddr) and name the profile host, which a verify-full certificate names', () => {
  const c: PgConnection = {
    name: 'x',
    host: 'db.internal',
    port: 5432,
    user: 'ops',
    database: 'hotel',
    sslmode: 'verify-full',
    via: { host: '127.0.0.1', port: 40000 },
  };
  const env = childEnv(c, { PGHOSTADDR: '10.9.9.9' });
  assert.deepEqual([env.PGHOST, env.PGHOSTADDR, env.PGPORT], ['db.internal', '127.0.0.1', '40000']);
  assert.deepEqual(databaseArgs(c, 'pg_dump'), ['--dbname=postgres://ops@db.internal:40000/hotel?sslmode=verify-full&hostaddr=127.0.0.1']);
  // Without a tunnel, a PGHOSTADDR of the caller's environment would send libpq elsewhere: it is not passed on.
  assert.equal(childEnv({ ...c, via: undefined }, { PGHOSTADDR: '10.9.9.9' }).PGHOSTADDR, undefined);
  assert.equal(clientConfig(c).host, '127.0.0.1');
  assert.deepEqual(clientConfig(c).ssl, { rejectUnauthorized: true, host: 'db.internal', servername: 'db.internal' });
});

test('--url: defaults, percent-decoded parts and password, sslmode; every other scheme refused in the same words', () => {
  const c = parseConnectionUrl('postgresql://app:p%40ss%3Aword@10.0.0.5:6432/sales?sslmode=verify-full');
  assert.deepEqual(c, {
    name: 'app@10.0.0.5:6432/sales',
    host: '10.0.0.5',
    port: 6432,
    user: 'app',
    database: 'sales',
    sslmode: 'verify-full',
    password: 'p@ss:word',
  });
  assert.deepEqual(parseConnectionUrl('postgres://'), {
    name: 'postgres@localhost:5432/postgres',
    host: 'localhost',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });
  assert.equal(parseConnectionUrl('postgres://u@[::1]:5432/d').host, '::1');
  for (const bad of ['mysql://u@h/d', 'http://h/d', 'not a url', 'h:5432/d']) assert.throws(() => parseConnectionUrl(bad), { message: URL_SCHEME_ERROR });
  assert.throws(() => parseConnectionUrl('postgres://h/d?sslmode=maybe'), /sslmode must be one of disable, prefer/);
});

test('the CLI connection: --url over PG* variables, --db over both, the password from PGPASSWORD; a bad URL is a usage error', async () => {
  const env = { PGHOST: 'envhost', PGPORT: '5444', PGUSER: 'envuser', PGDATABASE: 'envdb', PGPASSWORD: 'envpw', PGPASSFILE: '/nonexistent' };
  assert.deepEqual(await connectionFrom(undefined, undefined, env), {
    name: 'envuser@envhost:5444/envdb',
    host: 'envhost',
    port: 5444,
    user: 'envuser',
    database: 'envdb',
    password: 'envpw',
  });
  const fromUrl = await connectionFrom('postgres://u:urlpw@h:1/a', 'b', env);
  assert.deepEqual([fromUrl.name, fromUrl.database, fromUrl.password], ['u@h:1/b', 'b', 'urlpw']);
  await assert.rejects(connectionFrom('https://h/d', undefined, env), { name: 'Error', message: URL_SCHEME_ERROR });
  await assert.rejects(connectionFrom(undefined, undefined, { ...env, PGPORT: 'x' }), /PGPORT is not a port number/);
});

test('connect errors: the same facts, each front end its own advice (pg error objects as the server sends them)', async () => {
  const p = { name: 'p', host: 'db', port: 5432, database: 'hotel', user: 'u' };
  const wrongPw = serverError('28P01', 'password authentication failed for user "u"');
  assert.equal(
    explainConnectError(wrongPw, p, VSCODE_ADVICE),
    'Password authentication failed for user "u" at db:5432: set it with the PostgreSQL DBA: Set Password command, or check ~/.pgpass.',
  );
  assert.equal(
    explainConnectError(wrongPw, p, CLI_ADVICE),
    'Password authentication failed for user "u" at db:5432: check PGPASSWORD or ~/.pgpass, or give it in --url.',
  );
  assert.equal(explainConnectError(wrongPw, p), 'Password authentication failed for user "u" at db:5432.');

  const noDb = serverError('3D000', 'database "hotel" does not exist');
  assert.equal(
    explainConnectError(noDb, p, VSCODE_ADVICE),
    'Database "hotel" does not exist on db:5432: check the profile\'s database (pgdba.connections setting).',
  );
  assert.equal(explainConnectError(noDb, p, CLI_ADVICE), 'Database "hotel" does not exist on db:5432: check the database in --url (or PGDATABASE).');

  const noRole = serverError('28000', 'role "u" does not exist');
  assert.equal(explainConnectError(noRole, p, CLI_ADVICE), 'Role "u" does not exist on db:5432: check the user in --url (or PGUSER).');
  const hba = serverError('28000', 'no pg_hba.conf entry for host "10.0.0.9", user "u", database "hotel", no encryption');
  assert.match(explainConnectError(hba, p, VSCODE_ADVICE), /^The server at db:5432 refused user "u" \(pg_hba\.conf has no line/);

  const noPw = new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string');
  assert.equal(
    explainConnectError(noPw, p, VSCODE_ADVICE),
    'No password for u@db:5432: set it with the PostgreSQL DBA: Set Password command, or check ~/.pgpass.',
  );
  assert.equal(explainConnectError(noPw, p, CLI_ADVICE), 'No password for u@db:5432: check PGPASSWORD or ~/.pgpass, or give it in --url.');

  const { error: refused, port } = await refusedError();
  assert.equal((refused as { code?: string }).code, 'ECONNREFUSED');
  const here = { ...p, host: '127.0.0.1', port };
  assert.equal(
    explainConnectError(refused, here, VSCODE_ADVICE),
    `No PostgreSQL server answers at 127.0.0.1:${port}: is it running, and is the profile's port (pgdba.connections setting) right?`,
  );
  assert.equal(
    explainConnectError(refused, here, CLI_ADVICE),
    `No PostgreSQL server answers at 127.0.0.1:${port}: is it running, and is the port in --url (or PGPORT) right?`,
  );

  const unknownHost = Object.assign(new Error('getaddrinfo ENOTFOUND nohost.invalid'), { code: 'ENOTFOUND' });
  assert.equal(
    explainConnectError(unknownHost, { ...p, host: 'nohost.invalid' }, VSCODE_ADVICE),
    'Host "nohost.invalid" is unknown: check the profile\'s host (pgdba.connections setting).',
  );
  assert.equal(explainConnectError(new Error('boom'), p, CLI_ADVICE), 'Cannot connect to u@db:5432/hotel: boom');
});

test('withClient: a failure to connect is a ConnectFailure that each front end explains; other errors pass as they are', async () => {
  const { port } = await refusedError();
  const c: PgConnection = { name: 'x', host: '127.0.0.1', port, database: 'd', user: 'u', password: 'pw' };
  const failure = await withClient(c, () => Promise.resolve(1)).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(failure instanceof ConnectFailure);
  assert.equal(failure.connection, c);
  assert.equal(failure.message, `No PostgreSQL server answers at 127.0.0.1:${port}: is it running, and is the port right?`);
  assert.match(errorText(failure, CLI_ADVICE), /is the port in --url \(or PGPORT\) right\?$/);
  assert.match(errorText(failure, VSCODE_ADVICE), /is the profile's port \(pgdba\.connections setting\) right\?$/);
  assert.equal(errorText(new Error('pg_restore failed (exit 1)'), CLI_ADVICE), 'pg_restore failed (exit 1)');
});
