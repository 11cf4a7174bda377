import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authFindings, bouncerFindings, poolSizeFindings, serverRoomFindings } from '../../../../src/core/bouncer/findings';
import { poolRows, databaseRows, clientRows, statsRows } from '../../../../src/core/bouncer/showRows';
import type { BouncerSnapshot } from '../../../../src/core/bouncer/snapshot';
import { bouncerRates } from '../../../../src/core/bouncer/rates';
import { adminRefusal, adminStatement, consoleName } from '../../../../src/core/bouncer/admin';
import { consoleProfile } from '../../../../src/core/bouncer/console';
import { configDrift } from '../../../../src/core/bouncer/configDrift';
import { bouncerFields } from '../../../../src/core/dashboard/rates';
import { resolveThresholds } from '../../../../src/core/stats/thresholds';

const T = resolveThresholds().thresholds;

function snapshot(over: Partial<BouncerSnapshot> = {}): BouncerSnapshot {
  return {
    version: 'PgBouncer 1.18.0',
    pools: [],
    stats: [],
    databases: [],
    clients: [],
    servers: [],
    config: new Map([
      ['default_pool_size', '20'],
      ['reserve_pool_size', '10'],
    ]),
    lists: new Map(),
    takenAt: 0,
    ...over,
  };
}

// As PgBouncer 1.18 sends them, plus a column a newer version adds: read by name, the new one ignored.
const POOL = {
  database: 'hotel',
  user: 'app',
  cl_active: 20,
  cl_waiting: 3,
  sv_active: 20,
  sv_idle: 0,
  sv_used: 0,
  sv_tested: 0,
  sv_login: 0,
  maxwait: 2,
  maxwait_us: 500000,
  pool_mode: 'transaction',
  sv_future_column: 7,
};
const DB = {
  name: 'hotel',
  host: 'db',
  port: 5432,
  database: 'hotel',
  force_user: null,
  pool_size: 20,
  reserve_pool: 10,
  pool_mode: null,
  max_connections: 0,
  current_connections: 20,
  paused: 0,
  disabled: 0,
};

test('SHOW rows read by name: maxwait with its microseconds, missing columns as 0, new ones ignored', () => {
  const [p] = poolRows([POOL]);
  assert.equal(p?.maxwaitSeconds, 2.5);
  assert.equal(p?.clWaiting, 3);
  const [old] = poolRows([{ database: 'x', user: 'y', cl_active: '1', maxwait: '4' }]); // an older PgBouncer, int8 as text
  assert.equal(old?.maxwaitSeconds, 4);
  assert.equal(old?.svUsed, 0);
  assert.equal(clientRows([{ user: 'u', database: 'd', state: 'waiting', wait: 3, wait_us: 250000 }])[0]?.waitSeconds, 3.25);
});

test('a full pool with waiters, maxwait over the threshold; the console pool is left out', () => {
  const s = snapshot({
    pools: poolRows([POOL, { ...POOL, database: 'pgbouncer', user: 'pgbouncer', cl_waiting: 9, maxwait: 99 }]),
    databases: databaseRows([DB]),
  });
  const f = bouncerFindings(s, T);
  assert.deepEqual(
    f.map((x) => [x.check, x.level, x.subject]),
    [
      ['maxwait', 'warning', 'hotel/app'],
      ['pool-full', 'warning', 'hotel/app'],
    ],
  );
  assert.equal(bouncerFindings(snapshot({ pools: poolRows([{ ...POOL, maxwait: 6 }]), databases: databaseRows([DB]) }), T)[0]?.level, 'critical');
});

test('the reserve pool in use: more server connections than pool_size', () => {
  const f = poolSizeFindings(snapshot({ pools: poolRows([{ ...POOL, cl_waiting: 0, sv_active: 22 }]), databases: databaseRows([DB]) }));
  assert.deepEqual(
    f.map((x) => [x.check, x.value, x.threshold]),
    [['reserve-pool', 22, 20]],
  );
  assert.equal(f[0]?.level, 'warning');
  const idle = poolSizeFindings(snapshot({ pools: poolRows([{ ...POOL, cl_waiting: 0, sv_active: 2, sv_idle: 21 }]), databases: databaseRows([DB]) }));
  assert.deepEqual(
    idle.map((x) => [x.check, x.level]),
    [['reserve-pool', 'info']],
    'opened at a peak, idle now',
  );
});

test("pool arithmetic: the ceiling against the server's free connections, capped by max_db_connections", () => {
  const s = snapshot({ pools: poolRows([{ ...POOL, cl_waiting: 0, sv_active: 5 }]), databases: databaseRows([DB]) });
  const room = { maxConnections: 30, reserved: 3, clientBackends: 10, passwordEncryption: 'scram-sha-256' };
  const [w] = serverRoomFindings(s, room);
  // 5 of the 10 backends are PgBouncer's: free = 30 − 3 − 5 = 22 < 30 (20 + 10 reserve).
  assert.equal(w?.level, 'warning');
  assert.equal(w?.value, 30);
  assert.equal(w?.threshold, 22);
  const capped = snapshot({ pools: s.pools, databases: databaseRows([{ ...DB, max_connections: 20 }]) });
  assert.deepEqual(serverRoomFindings(capped, room), [], 'max_db_connections 20 fits 22 free');
  const full = serverRoomFindings(snapshot({ pools: poolRows([{ ...POOL, sv_active: 22 }]), databases: databaseRows([DB]) }), { ...room, clientBackends: 27 });
  assert.equal(full[0]?.level, 'critical');
});

test('auth_type md5 against SCRAM passwords: from pg_authid when readable, else password_encryption', () => {
  const md5 = snapshot({ config: new Map([['auth_type', 'md5']]) });
  assert.equal(authFindings(md5, { maxConnections: 1, reserved: 0, clientBackends: 0, passwordEncryption: 'scram-sha-256' })[0]?.check, 'auth-type');
  assert.deepEqual(
    authFindings(md5, { maxConnections: 1, reserved: 0, clientBackends: 0, passwordEncryption: 'scram-sha-256', scramRoles: 0, md5Roles: 3 }),
    [],
  );
  assert.deepEqual(
    authFindings(snapshot({ config: new Map([['auth_type', 'scram-sha-256']]) }), {
      maxConnections: 1,
      reserved: 0,
      clientBackends: 0,
      passwordEncryption: 'scram-sha-256',
    }),
    [],
  );
});

test('SHOW STATS deltas: TPS, average query and wait time; a restart falls back to the console averages', () => {
  const row = (x: number, q: number, qt: number, wt: number) =>
    statsRows([
      {
        database: 'hotel',
        total_xact_count: String(x),
        total_query_count: String(q),
        total_query_time: String(qt),
        total_wait_time: String(wt),
        avg_xact_count: '7',
        avg_query_count: '14',
        avg_query_time: '2000',
        avg_wait_time: '0',
      },
    ]);
  const r = bouncerRates({ stats: row(1100, 2200, 4_200_000, 100_000), takenAt: 12_000 }, { stats: row(100, 200, 200_000, 0), takenAt: 2_000 });
  assert.deepEqual(r, { tps: 100, queriesPerSecond: 200, avgQueryMs: 2, avgWaitMs: 0.1, source: 'delta' });
  const restarted = bouncerRates({ stats: row(5, 5, 0, 0), takenAt: 12_000 }, { stats: row(100, 200, 0, 0), takenAt: 2_000 });
  assert.deepEqual(restarted, { tps: 7, queriesPerSecond: 14, avgQueryMs: 2, avgWaitMs: 0, source: 'console' });
});

test("admin statements: a name is the console's WORD, bare or quoted, never a second command", () => {
  assert.equal(adminStatement({ kind: 'pause', database: 'hotel_1' }), 'PAUSE hotel_1');
  assert.equal(adminStatement({ kind: 'kill', database: 'Hotel' }), 'KILL "Hotel"');
  assert.equal(adminStatement({ kind: 'resume', database: 'a"; SHUTDOWN; --' }), 'RESUME "a""; SHUTDOWN; --"');
  assert.equal(adminStatement({ kind: 'reconnect' }), 'RECONNECT');
  assert.throws(() => consoleName('a\nSHUTDOWN'), /control characters/);
  assert.throws(() => consoleName(''), /name is needed/);
});

test('a stats_users-only user is refused with the reason; an admin is not', () => {
  const config = new Map([
    ['admin_users', 'dba, ops'],
    ['stats_users', 'monitor,dba'],
  ]);
  assert.match(adminRefusal(config, 'monitor') ?? '', /stats_users only.*admin_users \(dba, ops\)/);
  assert.equal(adminRefusal(config, 'dba'), undefined);
  assert.equal(adminRefusal(config, 'ops'), undefined);
});

test("the console's profile: pgbouncerPort, the admin user, database pgbouncer, no service", () => {
  assert.equal(consoleProfile({ name: 'h', host: 'db', port: 5432, database: 'hotel', user: 'app' }), undefined);
  assert.deepEqual(
    consoleProfile({
      name: 'h',
      host: 'db',
      port: 5432,
      database: 'hotel',
      user: 'app',
      pgbouncerPort: 6432,
      pgbouncerAdminUser: 'dba',
      service: 's',
      ssh: 'jump',
    }),
    {
      name: 'h (PgBouncer)',
      host: 'db',
      port: 6432,
      database: 'pgbouncer',
      user: 'dba',
      ssh: 'jump',
    },
  );
});

test('the running config against pgbouncer.ini: changed values found, numbers and booleans by meaning, the last line of a key wins', () => {
  const running = new Map([
    ['default_pool_size', '20'],
    ['pool_mode', 'transaction'],
    ['server_reset_query_always', '0'],
    ['max_client_conn', '1000'],
  ]);
  const ini = `[databases]\ndefault_pool_size = 99\n[pgbouncer]\npool_mode = session\ndefault_pool_size = 020\nserver_reset_query_always = no\nmax_client_conn = 500\nmax_client_conn = 1000\nunknown_key = 1\n`;
  assert.deepEqual(configDrift(running, ini), [{ key: 'pool_mode', running: 'transaction', inFile: 'session', line: 4 }]);
});

test("the dashboard's PgBouncer group: the server's pools summed, the console's left out; no PgBouncer: every field a gap", () => {
  const cur = {
    pools: poolRows([
      POOL,
      { ...POOL, user: 'report', cl_active: 1, cl_waiting: 0, sv_active: 1, maxwait: 0, maxwait_us: 0 },
      { ...POOL, database: 'pgbouncer', cl_active: 50 },
    ]),
    stats: [],
    takenAt: 1000,
  };
  const f = bouncerFields(cur);
  assert.equal(f.bouncerClActive, 21);
  assert.equal(f.bouncerClWaiting, 3);
  assert.equal(f.bouncerSvActive, 21);
  assert.equal(f.bouncerMaxWaitSeconds, 2.5);
  assert.ok(Object.values(bouncerFields()).every((v) => v === null));
});
