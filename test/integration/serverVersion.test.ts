import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { getTestServer, testMajor, type TestServer } from '../support/testServer';
import { readServerVersion } from '../../src/core/db/serverInfo';
import { createPool } from '../../src/core/db/pool';

let srv: TestServer;
before(async () => {
  srv = await getTestServer();
});
after(async () => {
  await srv?.stop();
});

test('reads server_version_num from a real server', async () => {
  const client = new pg.Client(srv.url);
  await client.connect();
  try {
    const v = await readServerVersion(client);
    assert.equal(v.major, process.env.PGDBA_TEST_URL ? srv.major : testMajor());
    assert.ok(v.num >= v.major * 10000 && v.num < (v.major + 1) * 10000, `num ${v.num} fits major ${v.major}`);
  } finally {
    await client.end();
  }
});

test('pgdba pools name themselves and carry a statement_timeout', async () => {
  const u = new URL(srv.url);
  const pool = createPool(
    {
      name: 't',
      host: u.hostname,
      port: Number(u.port),
      database: u.pathname.slice(1),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
    },
    { statementTimeoutMs: 1234 },
  );
  try {
    const r = await pool.query<{ app: string; st: string }>("SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS st");
    assert.deepEqual(r.rows[0], { app: 'pgdba', st: '1234ms' });
    await assert.rejects(pool.query('SELECT pg_sleep(5)'), /statement timeout/);
  } finally {
    await pool.end();
  }
});
