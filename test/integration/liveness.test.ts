// A server that stalls: through a proxy that forwards the login to a real server and then goes
// silent (test/support/stallProxy.ts). pgdba gives up on its own deadline, says why, reports the
// healthy servers all the same, and closes the stalled connection (the proxy counts its sockets).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { buildCliBundle } from '../support/cliBundle';
import { getTestServer, type TestServer } from '../support/testServer';
import { startStallProxy, type StallProxy } from '../support/stallProxy';
import { tempDir } from '../support/tempDir';
import { parseConnectionUrl, withClient } from '../../src/core/db/connection';
import { errorText, explainConnectError, isQueryTimeout } from '../../src/core/db/connectError';
import { toStatsError } from '../../src/core/stats/errors';
import { createPool } from '../../src/core/db/pool';
import { runExplain } from '../../src/core/explain/run';
import { DEFAULT_OPTIONS } from '../../src/core/explain/explainOptions';
import { runHealthCheck, runMany, type MultiHealthReport } from '../../src/core/health';
import { CLI_ADVICE } from '../../src/cli/connection';

const CLI = join(tempDir('liveness-cli'), 'cli.js');
let srv: TestServer;
let stalled: StallProxy;
let target: { host: string; port: number };

before(async () => {
  await buildCliBundle(CLI);
  srv = await getTestServer();
  const u = new URL(srv.url);
  target = { host: u.hostname, port: Number(u.port) };
  stalled = await startStallProxy(target);
});

after(async () => {
  await stalled?.close();
  await srv?.stop();
});

/** The CLI as a person runs it; a run that outlives the kill deadline is a hang, and fails. */
function pgdba(args: string[]): Promise<{ code: number | null; out: string; err: string; killed: boolean }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (e, out, err) =>
      done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, out, err, killed: e?.killed ?? false }),
    );
  });
}

test('health over two servers, one stalled after login: the healthy one is reported, the stalled one is a row with its reason, exit 2', async () => {
  const r = await pgdba(['health', '--url', srv.url, '--url', stalled.url(srv.url), '--checks', 'daily', '--format', 'json', '--timeout', '2000']);
  assert.equal(r.killed, false, 'pgdba health hung');
  assert.equal(r.code, 2, r.err);
  const doc = JSON.parse(r.out) as MultiHealthReport;
  assert.equal(doc.servers.length, 2);
  const [healthy, bad] = doc.servers;
  assert.ok(healthy?.ok, 'the healthy server has its report');
  assert.ok(healthy.report.findings.length > 0);
  assert.ok(bad && !bad.ok);
  assert.match(bad.server.name, new RegExp(`:${stalled.port}/`));
  assert.match(bad.error, /did not answer a query before the deadline: it may be stalled/);
  assert.match(r.err, /did not answer a query before the deadline/);
  // The Markdown rendering has the row too.
  const md = await pgdba(['health', '--url', srv.url, '--url', stalled.url(srv.url), '--checks', 'daily', '--timeout', '2000']);
  assert.equal(md.code, 2, md.err);
  assert.match(md.out, /\| UNREACHABLE \|/);
  assert.match(md.out, /## Health report: /);
});

test('explain --timeout 3000 against a stalled server: ends with words, exit 2', async () => {
  const r = await pgdba(['explain', '--url', stalled.url(srv.url), '--sql', 'SELECT 1', '--timeout', '3000']);
  assert.equal(r.killed, false, 'pgdba explain hung');
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /did not answer within 3000 ms/);
  assert.match(r.err, /nothing was kept/);
});

test('a pool query on a stalled server rejects on its deadline, and the client is destroyed (no pool client, no socket left)', async () => {
  const c = parseConnectionUrl(stalled.url(srv.url));
  const pool = createPool(c, { statementTimeoutMs: 500 });
  try {
    const e = await pool.query('SELECT 1').then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(isQueryTimeout(e), String(e));
    assert.equal(pool.totalCount, 0, 'the timed-out client left the pool');
    await stalled.allClosed();
    assert.equal(stalled.openClients(), 0);
    // The words each front end shows: the CLI, a tree node's error (toStatsError), the dashboard's status (errorText).
    assert.match(explainConnectError(e, c, CLI_ADVICE), /did not answer a query before the deadline/);
    const node = toStatsError(e, 'Tables');
    assert.equal(node.kind, 'timeout');
    assert.match(node.message, /^Tables: the server did not answer before the query's deadline: it may be stalled/);
    assert.match(errorText(e, CLI_ADVICE), /did not answer a query before the deadline/);
  } finally {
    await pool.end();
  }
});

test('runExplain on a stalled server: a timeout failure, the connection destroyed, nothing left open', async () => {
  const pool = createPool(parseConnectionUrl(stalled.url(srv.url)), { statementTimeoutMs: 500, max: 2 });
  try {
    const run = await runExplain(pool, 'SELECT 1', { ...DEFAULT_OPTIONS, timeoutMs: 500 });
    assert.equal(run.ok, false);
    assert.ok(!run.ok && run.kind === 'timeout', JSON.stringify(run));
    assert.equal(pool.totalCount, 0);
    await stalled.allClosed();
  } finally {
    await pool.end();
  }
});

test('withClient: a query deadline, then the socket is destroyed', async () => {
  const c = parseConnectionUrl(stalled.url(srv.url));
  await assert.rejects(
    withClient(c, (client) => client.query('SELECT 1'), { queryMs: 500 }),
    (e: unknown) => isQueryTimeout(e),
  );
  await stalled.allClosed();
});

test('a server that accepts TCP and never logs in: the connect deadline, in words', async () => {
  const mute = await startStallProxy(target, { stallLogin: true });
  const c = parseConnectionUrl(mute.url(srv.url));
  const pool = createPool(c, { statementTimeoutMs: 500, connectTimeoutMs: 500 });
  try {
    const e = await pool.query('SELECT 1').then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(e, 'the query failed');
    assert.match(explainConnectError(e, c, CLI_ADVICE), /did not complete the login before the deadline/);
    await mute.allClosed();
  } finally {
    await pool.end();
    await mute.close();
  }
});

test('runMany: a server that has not finished by its deadline is a row with the reason; the healthy one is reported', async () => {
  // The stalled server's query deadline (1.5 s + grace) is set after its deadline (1 s) started, so the deadline is what ends it.
  const healthyPool = createPool(parseConnectionUrl(srv.url), { statementTimeoutMs: 5000, max: 2 });
  const stallPool = createPool(parseConnectionUrl(stalled.url(srv.url)), { statementTimeoutMs: 1500, max: 2 });
  let aborted = false;
  try {
    const m = await runMany(
      [
        {
          server: { name: 'hotel-01', target: 'a' },
          run: (signal) => runHealthCheck({ server: { name: 'hotel-01', target: 'a' }, pool: healthyPool, host: '127.0.0.1', schedules: ['daily'], signal }),
        },
        {
          server: { name: 'hotel-02', target: 'b' },
          run: (signal) => {
            signal.addEventListener('abort', () => (aborted = true));
            return runHealthCheck({ server: { name: 'hotel-02', target: 'b' }, pool: stallPool, host: '127.0.0.1', signal });
          },
        },
      ],
      4,
      undefined,
      1000,
    );
    assert.ok(m.servers[0]?.ok, 'hotel-01 reported');
    const bad = m.servers[1];
    assert.ok(bad && !bad.ok);
    assert.match(bad.error, /^no complete report within 1 s: the server may be stalled/);
    assert.equal(aborted, true, "the stalled server's checks were told to stop");
  } finally {
    await healthyPool.end();
    await stallPool.end(); // returns once the stalled query's own deadline destroyed its client
    await stalled.allClosed();
  }
});
