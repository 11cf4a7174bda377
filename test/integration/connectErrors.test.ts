// Connect errors as a real server and a real network give them (wrong password 28P01, unknown
// database 3D000, unknown role, no password, ECONNREFUSED), explained once in core with
// each front end's advice; and the CLI commands saying so on stderr with exit 2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../../scripts/lib/pgServer';
import { errorText, explainConnectError, ConnectFailure } from '../../src/core/db/connectError';
import { parseConnectionUrl, withClient, withDatabase, type PgConnection } from '../../src/core/db/connection';
import { createPool } from '../../src/core/db/pool';
import { CLI_ADVICE } from '../../src/cli/connection';
import { VSCODE_ADVICE } from '../../src/vscode/connectAdvice';
import { getTestServer, type TestServer } from '../support/testServer';

let srv: TestServer;
let good: PgConnection;

before(async () => {
  srv = await getTestServer();
  good = parseConnectionUrl(srv.url);
});
after(() => srv.stop());

/** pg reads PGPASSWORD and ~/.pgpass itself when a password is missing: neither may answer here. */
const NO_LIBPQ_PASSWORD = { PGPASSWORD: undefined, PGPASSFILE: '/nonexistent' };

async function failureOf(c: PgConnection): Promise<ConnectFailure> {
  const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
  delete process.env.PGPASSWORD;
  process.env.PGPASSFILE = NO_LIBPQ_PASSWORD.PGPASSFILE;
  try {
    const e = await withClient(c, () => Promise.resolve()).then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.ok(e instanceof ConnectFailure, `expected a ConnectFailure, got ${String(e)}`);
    return e;
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

test('wrong password (28P01): both fronts say where to set it', async () => {
  const f = await failureOf({ ...good, password: 'wrong' });
  assert.equal((f.error as { code?: string }).code, '28P01');
  const where = `${good.host}:${good.port}`;
  assert.equal(
    errorText(f, VSCODE_ADVICE),
    `Password authentication failed for user "${good.user}" at ${where}: set it with the PostgreSQL DBA: Set Password command, or check ~/.pgpass.`,
  );
  assert.equal(
    errorText(f, CLI_ADVICE),
    `Password authentication failed for user "${good.user}" at ${where}: check PGPASSWORD or ~/.pgpass, or give it in --url.`,
  );
});

test('unknown database (3D000) and unknown role: the setting to check', async () => {
  const db = await failureOf(withDatabase(good, 'no_such_db'));
  assert.equal((db.error as { code?: string }).code, '3D000');
  assert.match(errorText(db, VSCODE_ADVICE), /^Database "no_such_db" does not exist on .*: check the profile's database \(pgdba\.connections setting\)\.$/);
  assert.match(errorText(db, CLI_ADVICE), /^Database "no_such_db" does not exist on .*: check the database in --url \(or PGDATABASE\)\.$/);
  const role = await failureOf({ ...good, user: 'no_such_role' });
  // Under SCRAM, PostgreSQL answers an unknown role as a failed password: it does not tell which roles exist.
  assert.equal((role.error as { code?: string }).code, '28P01');
  assert.match(errorText(role, CLI_ADVICE), /^Password authentication failed for user "no_such_role" at .*: check PGPASSWORD/);
});

const openSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

/** Waits (bounded) for the process's TCP sockets to fall back to `n`; returns how many are open. */
async function socketsSettle(n: number): Promise<number> {
  for (let i = 0; i < 50 && openSockets() > n; i++) await new Promise((r) => setTimeout(r, 100));
  return openSockets();
}

test('a login that fails for want of a password closes its socket: the server would hold it until authentication_timeout', async () => {
  const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
  delete process.env.PGPASSWORD;
  process.env.PGPASSFILE = NO_LIBPQ_PASSWORD.PGPASSFILE;
  const before = openSockets();
  const pool = createPool({ ...good, password: undefined }, { statementTimeoutMs: 1000 });
  try {
    for (const run of [() => pool.query('SELECT 1'), () => withClient({ ...good, password: undefined }, () => Promise.resolve())]) {
      const e = await run().then(
        () => undefined,
        (x: unknown) => x,
      );
      assert.ok(e, 'the login without a password succeeded: the test server must ask for one');
      // 5 s is far below the server's authentication_timeout (60 s), which would close it otherwise.
      assert.equal(await socketsSettle(before), before, 'the failed login left its socket open');
    }
  } finally {
    await pool.end();
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
});

test('no password at all, and no server at the port (ECONNREFUSED)', async () => {
  const none = await failureOf({ ...good, password: undefined });
  assert.match(
    errorText(none, VSCODE_ADVICE),
    new RegExp(`^No password for ${good.user}@${good.host}:${good.port}: set it with the PostgreSQL DBA: Set Password command`),
  );
  assert.match(errorText(none, CLI_ADVICE), /: check PGPASSWORD or ~\/\.pgpass, or give it in --url\.$/);
  const port = await freePort();
  const closed = { ...good, port };
  const refused = await failureOf(closed);
  assert.equal((refused.error as { code?: string }).code, 'ECONNREFUSED');
  assert.equal(
    errorText(refused, CLI_ADVICE),
    `No PostgreSQL server answers at ${good.host}:${port}: is it running, and is the port in --url (or PGPORT) right?`,
  );
  // A pool (the Connections path) fails with the raw pg error; the explainer reads it the same.
  const pool = createPool(closed, { statementTimeoutMs: 1000 });
  try {
    const raw = await pool.query('SELECT 1').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.equal(
      explainConnectError(raw, closed, VSCODE_ADVICE),
      `No PostgreSQL server answers at ${good.host}:${port}: is it running, and is the profile's port (pgdba.connections setting) right?`,
    );
  } finally {
    await pool.end();
  }
});

test('CLI: backup, verify --full, health and explain give the same words on stderr, exit 2; a non-postgres URL is refused alike', () => {
  const bad = new URL(srv.url);
  bad.password = 'wrong';
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../src/cli/main.ts'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: '', PGPASSFILE: '/nonexistent' },
    });
  const advice = /Password authentication failed for user "[^"]+" at [^:]+:\d+: check PGPASSWORD or ~\/\.pgpass, or give it in --url\./;
  for (const [cmd, args] of [
    ['backup', ['backup', '--db', 'postgres', '--dir', '/tmp/pgdba-never', '--url', bad.href]],
    ['health', ['health', '--url', bad.href, '--checks', 'daily']],
    ['explain', ['explain', '--url', bad.href, '--sql', 'SELECT 1']],
  ] as const) {
    const r = cli([...args]);
    assert.equal(r.status, 2, `${cmd}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^pgdba ${cmd}: `), cmd);
    assert.match(r.stderr, advice, cmd);
  }
  for (const cmd of ['backup --db x', 'restore f.dump --to x', 'health', 'explain --sql SELECT']) {
    const r = cli([...cmd.split(' '), '--url', 'mysql://u@h/d']);
    assert.equal(r.status, 2, cmd);
    assert.match(r.stderr, /--url must be a postgres:\/\/ URL \(postgres:\/\/user@host:port\/database\)/, cmd);
  }
});
