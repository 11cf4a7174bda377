// PgBouncer's console, live: a real PgBouncer (Debian's) in transaction mode in front of a real
// server, configured like the seed's (max_client_conn 1000, default_pool_size 20, reserve 10,
// max_db_connections 50) with small pools of its own: clients made to wait, the reserve pool
// opened, PAUSE/RESUME seen from a client, a stats-only user refused, a console that is not there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildCliBundle } from '../support/cliBundle';
import { tempDir } from '../support/tempDir';
import { getTestServer, type TestServer } from '../support/testServer';
import { pgbouncerMissing, startPgbouncer, type Bouncer } from '../support/pgbouncer';
import { freePort } from '../../scripts/lib/pgServer';
import { BouncerConsole, CONSOLE_DATABASE, ConsoleError, consoleProfile, describeConsoleFailure, withConsole } from '../../src/core/bouncer/console';
import { readBouncerSnapshot } from '../../src/core/bouncer/snapshot';
import { bouncerFindings, type BouncerFinding } from '../../src/core/bouncer/findings';
import { readServerRoom } from '../../src/core/bouncer/serverRoom';
import { runAdmin } from '../../src/core/bouncer/admin';
import { runHealthCheck } from '../../src/core/health/run';
import { DashboardSampler } from '../../src/core/dashboard/sampler';
import { readBouncerSample } from '../../src/core/bouncer/snapshot';
import { resolveThresholds } from '../../src/core/stats/thresholds';
import { readServerVersion } from '../../src/core/db/serverInfo';
import type { PgConnection } from '../../src/core/db/connection';

const missing = pgbouncerMissing();
if (missing) console.log(`# PgBouncer console tests skipped: ${missing}`);

const DIR = tempDir('bouncer-live');
const CLI = join(DIR, 'cli.js');
let srv: TestServer;
let bouncer: Bouncer;
let server: PgConnection;
const ADMIN = 'pgdba_admin';
const STATS = 'pgdba_stats';
const T = resolveThresholds({ bouncerClientWaitSeconds: { warn: 1, crit: 60 }, bouncerMaxWaitSeconds: { warn: 1, crit: 60 } }).thresholds;

before(async () => {
  if (missing) return;
  await buildCliBundle(CLI);
  srv = await getTestServer({ settings: { max_connections: 20 } });
  const u = new URL(srv.url);
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  bouncer = await startPgbouncer({ host: u.hostname, port: Number(u.port), user, password }, 'transaction', {
    settings: {
      admin_users: ADMIN,
      stats_users: STATS,
      max_client_conn: '1000',
      default_pool_size: '20',
      reserve_pool_size: '10',
      reserve_pool_timeout: '1',
      max_db_connections: '50',
    },
    databases: {
      waitdb: 'dbname=postgres pool_size=1 reserve_pool=0',
      reservedb: 'dbname=postgres pool_size=1 reserve_pool=1',
      pausedb: 'dbname=postgres pool_size=2',
    },
    users: [ADMIN, STATS],
  });
  server = {
    name: 'live',
    host: '127.0.0.1',
    port: Number(u.port),
    database: 'postgres',
    user,
    password,
    pgbouncerPort: bouncer.port,
    pgbouncerAdminUser: ADMIN,
  };
});
after(async () => {
  await bouncer?.stop();
  await srv?.stop();
});

/** The console of the profile, as the tree and the CLI reach it. */
function admin(user = ADMIN): PgConnection {
  const p = consoleProfile({ ...server, pgbouncerAdminUser: user });
  assert.ok(p);
  return { ...p, password: '' };
}

/** A client of the bouncer, as an application is one. */
async function client(database: string): Promise<pg.Client> {
  const c = new pg.Client({ host: '127.0.0.1', port: bouncer.port, user: server.user, password: server.password, database });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

/** Queries that run while the test looks: settled, so that a failure shows as itself, never as an unhandled rejection. */
function sleepers(clients: pg.Client[], seconds: number): Promise<string[]> {
  return Promise.allSettled(clients.map((c) => c.query(`SELECT pg_sleep(${seconds})`))).then((r) =>
    r.map((x) => (x.status === 'fulfilled' ? 'done' : (x.reason as Error).message)),
  );
}

/** Reads snapshots until one has what wanted looks for (a deadline, not a timing assertion). */
async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await read();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function findings(): Promise<BouncerFinding[]> {
  const pool = new pg.Pool({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres', max: 1 });
  try {
    const room = await readServerRoom(pool, await readServerVersion(pool).then((v) => ({ versionNum: v.num })));
    return await withConsole(admin(), async (con) => bouncerFindings(await readBouncerSnapshot(con), T, room));
  } finally {
    await pool.end();
  }
}

test('the console speaks the simple protocol: every SHOW reads, by column name', { skip: missing }, async () => {
  await withConsole(admin(), async (con) => {
    const s = await readBouncerSnapshot(con);
    assert.match(s.version, /PgBouncer 1\.\d+/);
    assert.equal(s.config.get('pool_mode'), 'transaction');
    assert.equal(s.config.get('default_pool_size'), '20');
    assert.ok(s.lists.has('pools') && s.lists.has('used_clients'), [...s.lists.keys()].join(','));
    const wait = s.databases.find((d) => d.name === 'waitdb');
    assert.equal(wait?.poolSize, 1);
    assert.equal(wait?.database, 'postgres');
    assert.ok(
      s.clients.some((c) => c.user === ADMIN && c.database === CONSOLE_DATABASE),
      'the console sees itself as a client',
    );
    assert.ok(s.stats.some((r) => r.database === CONSOLE_DATABASE));
  });
});

test('two sessions in pg_sleep on a pool of one: the wait, maxwait and the full pool are found', { skip: missing }, async () => {
  const [a, b] = [await client('waitdb'), await client('waitdb')];
  try {
    const running = sleepers([a, b], 8);
    const got = await until('a waiting client over 1 s', async () => {
      const f = await findings();
      return f.some((x) => x.check === 'client-wait' && x.subject.startsWith('waitdb/')) ? f : undefined;
    });
    const wait = got.find((x) => x.check === 'client-wait' && x.subject === `waitdb/${server.user}`);
    assert.equal(wait?.level, 'warning');
    assert.match(wait?.message ?? '', /^1 client\(s\) of pool waitdb\/\S+ have waited more than 1 s/, 'the client that runs is not counted');
    assert.ok((wait?.value ?? 0) > 1);
    const maxwait = got.find((x) => x.check === 'maxwait' && x.subject === `waitdb/${server.user}`);
    assert.ok(maxwait, JSON.stringify(got));
    assert.ok((maxwait.value ?? 0) > 1);
    const full = got.find((x) => x.check === 'pool-full' && x.subject === `waitdb/${server.user}`);
    assert.match(full?.message ?? '', /at its size \(1 of 1 server connections\) with 1 client\(s\) waiting/);
    assert.deepEqual(await running, ['done', 'done']);
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
});

test('a pool past its size opens the reserve pool: found', { skip: missing }, async () => {
  const [a, b] = [await client('reservedb'), await client('reservedb')];
  try {
    const running = sleepers([a, b], 6);
    const f = await until('the reserve pool in use', async () => {
      const all = await findings();
      return all.find((x) => x.check === 'reserve-pool' && x.subject === `reservedb/${server.user}`);
    });
    assert.equal(f.value, 2);
    assert.equal(f.threshold, 1);
    assert.deepEqual(await running, ['done', 'done']);
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
});

test("the pools' ceiling against the server's free connections, live on both sides", { skip: missing }, async () => {
  const c = await client('postgres'); // a pool of 20 + 10 reserve, on a server of 20
  try {
    await c.query('SELECT 1');
    const room = await findings().then((all) => all.find((x) => x.check === 'server-room'));
    assert.equal(room?.level, 'warning');
    assert.match(room?.message ?? '', /max_connections 20 − 3 reserved − \d+ other backend\(s\)/);
    assert.ok((room?.value ?? 0) >= 30, room?.message);
  } finally {
    await c.end();
  }
});

test('the server side is read live: max_connections, reserved, backends, SCRAM passwords', { skip: missing }, async () => {
  const pool = new pg.Pool({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres', max: 1 });
  try {
    const { num } = await readServerVersion(pool);
    const room = await readServerRoom(pool, { versionNum: num });
    assert.equal(room.maxConnections, 20);
    assert.ok(room.clientBackends >= 1);
    assert.equal(room.passwordEncryption, 'scram-sha-256');
    assert.ok((room.scramRoles ?? 0) >= 1, 'the test role has a SCRAM password and the test user is a superuser');
  } finally {
    await pool.end();
  }
});

test('PAUSE holds a client of the database until RESUME', { skip: missing }, async () => {
  const c = await client('pausedb');
  try {
    await c.query('SELECT 1');
    await withConsole(admin(), (con) => runAdmin(con, { kind: 'pause', database: 'pausedb' }));
    let answered = false;
    const q = c.query<{ n: number }>('SELECT 42 AS n').then((r) => {
      answered = true;
      return r;
    });
    await until('the client waiting on the paused database', () =>
      withConsole(admin(), async (con) => {
        const s = await readBouncerSnapshot(con);
        const pool = s.pools.find((p) => p.database === 'pausedb');
        return s.databases.find((d) => d.name === 'pausedb')?.paused && pool && pool.clWaiting >= 1 ? true : undefined;
      }),
    );
    assert.equal(answered, false, 'the query waits while the database is paused');
    await withConsole(admin(), (con) => runAdmin(con, { kind: 'resume', database: 'pausedb' }));
    assert.equal((await q).rows[0]?.n, 42);
  } finally {
    await c.end();
  }
});

test('a stats_users-only user is refused PAUSE with the reason, and PgBouncer itself refuses it too', { skip: missing }, async () => {
  await withConsole(admin(STATS), async (con) => {
    const s = await readBouncerSnapshot(con); // SHOW works for a stats user
    assert.ok(s.pools.length > 0);
    await assert.rejects(runAdmin(con, { kind: 'pause', database: 'pausedb' }), (e: unknown) => {
      assert.ok(e instanceof ConsoleError);
      assert.match(e.message, /PAUSE pausedb refused: "pgdba_stats" is in PgBouncer's stats_users only/);
      assert.match(e.message, /admin_users \(pgdba_admin\)/);
      return true;
    });
    // Past pgdba's own check, the console says no as well: the reason holds.
    await assert.rejects(con.simple('PAUSE pausedb'), /admin access needed/);
  });
  await withConsole(admin(), async (con) => {
    const s = await readBouncerSnapshot(con);
    assert.equal(s.databases.find((d) => d.name === 'pausedb')?.paused, false, 'nothing was paused');
  });
});

test('RELOAD and RECONNECT run for an admin; a hostile database name stays a name', { skip: missing }, async () => {
  await withConsole(admin(), async (con) => {
    await runAdmin(con, { kind: 'reload' });
    await runAdmin(con, { kind: 'reconnect', database: 'pausedb' });
    // With "*" in [databases] the console would make any name a new database and KILL it: never sent.
    for (const name of ['x; SHUTDOWN', 'nosuch'])
      await assert.rejects(runAdmin(con, { kind: 'kill', database: name }), new RegExp(`not sent: PgBouncer has no database "${name.replace(/[;]/g, '.')}"`));
    const s = await readBouncerSnapshot(con);
    assert.deepEqual(
      s.databases.filter((d) => d.name === 'nosuch' || d.name.includes('SHUTDOWN')),
      [],
      'no database was made',
    );
  });
});

test('the console unreachable: a clear error that names the port setting', { skip: missing }, async () => {
  const port = await freePort();
  const p = consoleProfile({ ...server, pgbouncerPort: port });
  assert.ok(p);
  await assert.rejects(BouncerConsole.open({ ...p, password: '' }), (e: unknown) => {
    const words = describeConsoleFailure(e, p);
    assert.match(words, new RegExp(`PgBouncer's console at 127\\.0\\.0\\.1:${port} does not answer`));
    assert.match(words, /pgbouncerPort/);
    return true;
  });
});

/** The built CLI, run without blocking the event loop (the test's clients keep talking meanwhile). */
function pgdba(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PGPASSWORD: '' };
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => done({ code, out, err }));
  });
}

test('pgdba bouncer: JSON {version, pools, stats, findings}, exit 1 while clients wait, 0 when they do not', { skip: missing }, async () => {
  const url = `postgres://${ADMIN}@127.0.0.1:${bouncer.port}/pgbouncer`;
  const calm = await pgdba('bouncer', '--url', url, '--format', 'json');
  assert.equal(calm.code, 0, calm.err + calm.out);
  const report = JSON.parse(calm.out) as { version: string; pools: { database: string }[]; stats: unknown[]; findings: { level: string }[] };
  assert.match(report.version, /PgBouncer/);
  assert.ok(report.pools.some((p) => p.database === 'pgbouncer'));
  assert.ok(Array.isArray(report.stats) && report.stats.length > 0);
  assert.deepEqual(
    report.findings.filter((f) => f.level !== 'info'),
    [],
    'the idle reserve connections of an earlier test are worth knowing, no more',
  );

  const [a, b] = [await client('waitdb'), await client('waitdb')];
  try {
    const running = sleepers([a, b], 8);
    await until('a pool with a waiting client', () =>
      withConsole(admin(), async (con) =>
        (await readBouncerSnapshot(con)).pools.some((p) => p.database === 'waitdb' && p.maxwaitSeconds > 1.5) ? true : undefined,
      ),
    );
    const busy = await pgdba(
      'bouncer',
      '--url',
      url,
      '--server-url',
      `postgres://${server.user}:${encodeURIComponent(server.password ?? '')}@127.0.0.1:${server.port}/postgres`,
    );
    assert.equal(busy.code, 1, busy.err);
    assert.match(busy.out, /^\| waitdb\/\S+ \| transaction \| 1 \| 1 \|/m);
    assert.match(busy.out, /warning: pool waitdb\/\S+: maxwait [\d.]+ s is above the warning threshold of 1 s/);
    assert.match(busy.out, /warning: PgBouncer's pools may open \d+ server connections; the server has room for/);
    assert.deepEqual(await running, ['done', 'done']);
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
});

test('pgdba bouncer: the console unreachable, or a user it does not admit → exit 2 and what to check', { skip: missing }, async () => {
  const port = await freePort();
  const gone = await pgdba('bouncer', '--url', `postgres://${ADMIN}@127.0.0.1:${port}/pgbouncer`);
  assert.equal(gone.code, 2);
  assert.equal(gone.out, '');
  assert.match(gone.err, new RegExp(`PgBouncer's console at 127\\.0\\.0\\.1:${port} does not answer: is PgBouncer running, and is the port in --url right\\?`));
  const stranger = await pgdba('bouncer', '--url', `postgres://${server.user}@127.0.0.1:${bouncer.port}/pgbouncer`);
  assert.equal(stranger.code, 2);
  assert.match(stranger.err, /refused "[^"]+": the console admits only users of admin_users and stats_users/);
});

test("the health report's PgBouncer section: saturation over the samples, the pool arithmetic, the console away", { skip: missing }, async () => {
  const [a, b, big] = [await client('waitdb'), await client('waitdb'), await client('postgres')];
  const pool = new pg.Pool({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres', max: 2 });
  try {
    await big.query('SELECT 1'); // the pool of 20 + 10 that does not fit a server of 20
    const running = sleepers([a, b], 15);
    await until('a client waiting on waitdb', () =>
      withConsole(admin(), async (con) => ((await readBouncerSnapshot(con)).pools.some((p) => p.database === 'waitdb' && p.clWaiting > 0) ? true : undefined)),
    );
    const report = await runHealthCheck({
      server: { name: 'live', target: 'live' },
      pool,
      host: server.host,
      schedules: ['daily'],
      bouncer: { console: admin(), samples: 3, intervalMs: 300 },
    });
    const section = report.findings.filter((f) => f.check === 'pgbouncer');
    const saturated = section.find((f) => f.subject === `waitdb/${server.user}` && /^saturated in/.test(f.observed));
    assert.match(saturated?.observed ?? JSON.stringify(section), /^saturated in [1-3] of 3 samples; up to 1 client\(s\) waiting/);
    assert.ok(
      section.some((f) => f.subject === 'server' && /may open \d+ server connections; the server has room for/.test(f.why)),
      JSON.stringify(section),
    );
    assert.deepEqual(await running, ['done', 'done']);

    const gone = await runHealthCheck({
      server: { name: 'live', target: 'live' },
      pool,
      host: server.host,
      schedules: ['daily'],
      bouncer: { console: { ...admin(), port: await freePort() }, samples: 1 },
    });
    const away = gone.findings.filter((f) => f.check === 'pgbouncer');
    assert.equal(away.length, 1);
    assert.equal(away[0]?.level, 'info');
    assert.equal(away[0]?.observed, 'console not read');
  } finally {
    await Promise.all([a.end(), b.end(), big.end(), pool.end()]);
  }
});

test(
  'a dashboard tick with the PgBouncer group: pools summed, TPS from SHOW STATS deltas, the console away leaves the group empty',
  { skip: missing },
  async () => {
    const pool = new pg.Pool({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres', max: 1 });
    const con = await BouncerConsole.open(admin());
    const app = await client('postgres');
    try {
      const { num: versionNum } = await readServerVersion(pool);
      const sampler = new DashboardSampler(100, T);
      const first = await sampler.tick(pool, versionNum, { bouncer: () => readBouncerSample(con) });
      assert.equal(first.bouncerError, undefined);
      assert.ok(first.point.bouncerClActive !== null && first.point.bouncerClActive >= 1, 'the application client is active in its pool');
      assert.equal(first.point.bouncerClWaiting, 0);
      for (let i = 0; i < 25; i++) await app.query('SELECT 1');
      const second = await sampler.tick(pool, versionNum, { bouncer: () => readBouncerSample(con) });
      assert.ok((second.point.bouncerTps ?? 0) > 0, `25 transactions between the ticks: ${second.point.bouncerTps}`);
      assert.ok(second.point.bouncerSvIdle !== null && second.point.bouncerSvActive !== null);

      const away = await sampler.tick(pool, versionNum, { bouncer: () => Promise.reject(new Error('console gone')) });
      assert.equal((away.bouncerError as Error).message, 'console gone');
      assert.equal(away.point.bouncerClActive, null);
      assert.ok(away.point.active >= 1, "the server's group is drawn all the same");
    } finally {
      await Promise.all([con.close(), app.end(), pool.end()]);
    }
  },
);
