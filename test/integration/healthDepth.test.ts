// Health in depth (#15, Checks) on one real server of PGDBA_TEST_MAJOR (16 by default), started
// with wal_level = logical, prepared transactions and autovacuum_freeze_max_age lowered to its
// minimum (100,000): first a clean database raises no alarm, then each condition is made for
// real — sequences near their limit, XID age past the freeze max age after burning transactions
// while a session, a prepared transaction and a logical slot hold freezing back — and found with
// its figure and its fix; the fixes written out are run and the finding goes away.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { runChecks, runHealthCheck, type Finding, type HealthReport, type Schedule } from '../../src/core/health';
import { createPool } from '../../src/core/db/pool';
import {
  freezeHoldersQuery,
  invalidIndexesQuery,
  redundantIndexesQuery,
  runQuery,
  sequencesQuery,
  longSessionsQuery,
  tablesWithoutKeyQuery,
  tableStatsAgeQuery,
  unindexedForeignKeysQuery,
  wraparoundDatabasesQuery,
  wraparoundTablesQuery,
} from '../../src/core/stats';
import type { PartialThresholds } from '../../src/core/stats/thresholds';
import { assertShape, connect, onSession, waitFor } from './statsSupport';
import { startStandby } from '../support/standby';
import { replayStatusQuery, standbysQuery } from '../../src/core/stats/server';

const FREEZE_MAX_AGE = 100_000;

let srv: TestServer;
let pool: pg.Pool;
const held: pg.Client[] = [];

function poolFor(url: string): pg.Pool {
  const u = new URL(url);
  return createPool(
    {
      name: 'test',
      host: u.hostname,
      port: Number(u.port),
      database: u.pathname.slice(1),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
    },
    { statementTimeoutMs: 120_000 },
  );
}

const check = (schedules: Schedule[], thresholds?: PartialThresholds): Promise<HealthReport> =>
  runHealthCheck({ server: { name: 'depth', target: 'x' }, pool, host: '127.0.0.1', schedules, ...(thresholds ? { thresholds } : {}) });
const of = (r: HealthReport, id: Finding['check']): Finding[] => r.findings.filter((f) => f.check === id);
const find = (r: HealthReport, id: Finding['check'], subject: string | RegExp): Finding | undefined =>
  of(r, id).find((f) => (typeof subject === 'string' ? f.subject === subject : subject.test(f.subject)));

before(async () => {
  srv = await getTestServer({
    settings: { wal_level: 'logical', max_prepared_transactions: 4, autovacuum_freeze_max_age: FREEZE_MAX_AGE, autovacuum_naptime: '1s' },
  });
  pool = poolFor(srv.url);
});

after(async () => {
  for (const c of held) await c.end().catch(() => undefined);
  await pool?.end().catch(() => undefined);
  await srv?.stop();
});

test('a clean database: every new check ok, the rows fit their declared shapes', async () => {
  await onSession(srv.url, [
    'CREATE TABLE clean (id serial PRIMARY KEY, note text, code int, grade int)',
    "INSERT INTO clean (note, code, grade) SELECT 'n' || g, g, g % 5 FROM generate_series(1, 100) g",
    // Not redundant: a unique index beside a wider one, a partial one, a descending one.
    'CREATE UNIQUE INDEX clean_code_key ON clean (code)',
    'CREATE INDEX clean_code_grade ON clean (code, grade)',
    'CREATE INDEX clean_grade_recent ON clean (grade) WHERE id > 50',
    'CREATE INDEX clean_grade_desc ON clean (grade DESC, note)',
    'CREATE INDEX clean_grade_note ON clean (grade, note)',
    // Foreign keys served: one column, and two columns by an index in the other order.
    'CREATE TABLE clean_child (id int PRIMARY KEY, clean_id int REFERENCES clean)',
    'CREATE INDEX ON clean_child (clean_id)',
    'CREATE TABLE clean_pair (a int, b int, PRIMARY KEY (a, b))',
    'CREATE TABLE clean_pair_ref (x int PRIMARY KEY, b int, a int, FOREIGN KEY (a, b) REFERENCES clean_pair)',
    'CREATE INDEX ON clean_pair_ref (b, a)',
  ]);
  const r = await check(['daily', 'weekly']);
  for (const id of [
    'invalid-indexes',
    'invalid-constraints',
    'redundant-indexes',
    'fk-indexes',
    'primary-keys',
    'table-statistics',
    'vacuum-scale',
    'replication',
  ] as const)
    assert.deepEqual(
      of(r, id).map((f) => f.level),
      ['ok'],
      JSON.stringify(of(r, id)),
    );
  const wrap = of(r, 'wraparound');
  assert.deepEqual(
    wrap.map((f) => f.level),
    ['ok'],
    JSON.stringify(wrap),
  );
  assert.match(wrap[0]!.observed, /^oldest XID age [\d,]+ \([\d.]+% of autovacuum_freeze_max_age\)/);
  const seq = of(r, 'sequences');
  assert.deepEqual(
    seq.map((f) => f.level),
    ['ok'],
    JSON.stringify(seq),
  );
  assert.match(seq[0]!.observed, /the most used public\.clean_id_seq at 0%/);
  const v = { versionNum: r.server.versionNum! };
  const seqRows = await runQuery(pool, sequencesQuery, v);
  assertShape(sequencesQuery, seqRows);
  const clean = seqRows.find((x) => x.sequence === 'clean_id_seq');
  assert.deepEqual([clean?.table, clean?.column, clean?.columnType, clean?.columnMax], ['clean', 'id', 'integer', 2147483647]);
  assertShape(wraparoundDatabasesQuery, await runQuery(pool, wraparoundDatabasesQuery, v));
  assertShape(wraparoundTablesQuery, await runQuery(pool, wraparoundTablesQuery, v));
  assertShape(freezeHoldersQuery, await runQuery(pool, freezeHoldersQuery, v));
  assertShape(invalidIndexesQuery, await runQuery(pool, invalidIndexesQuery, v));
  assertShape(redundantIndexesQuery, await runQuery(pool, redundantIndexesQuery, v));
  assertShape(unindexedForeignKeysQuery, await runQuery(pool, unindexedForeignKeysQuery, v));
  assertShape(tablesWithoutKeyQuery, await runQuery(pool, tablesWithoutKeyQuery, v));
  assertShape(tableStatsAgeQuery, await runQuery(pool, tableStatsAgeQuery, { ...v, order: 'stale' }));
  assertShape(longSessionsQuery, await runQuery(pool, longSessionsQuery, { ...v, minQuerySeconds: 0, minIdleSeconds: 0 }));
  assert.deepEqual(
    of(r, 'sessions').map((f) => f.level),
    ['ok'],
    JSON.stringify(of(r, 'sessions')),
  );
});

/** A fix's statements one by one (CONCURRENTLY refuses a multi-statement query), comments left out. */
async function runFix(f: Finding): Promise<void> {
  for (const line of f.fix!.text.split('\n')) if (!line.startsWith('--')) await pool.query(line);
}

test('indexes: invalid from a failed concurrent build, duplicate, redundant, a foreign key without one; the fixes clear them', async () => {
  await onSession(srv.url, [
    'CREATE TABLE rooms (id int PRIMARY KEY, code text, floor int)',
    "INSERT INTO rooms SELECT g, 'R' || (g % 50), g % 7 FROM generate_series(1, 200) g",
    'CREATE INDEX rooms_floor_a ON rooms (floor)',
    'CREATE INDEX rooms_floor_b ON rooms (floor)',
    'CREATE INDEX rooms_floor_code ON rooms (floor, code)',
    'CREATE INDEX rooms_id_floor ON rooms (id, floor)', // beside the primary key, which is never the one dropped
    'CREATE TABLE stays (id int PRIMARY KEY, "Room" int REFERENCES rooms)',
  ]);
  await assert.rejects(pool.query('CREATE UNIQUE INDEX CONCURRENTLY rooms_code_key ON rooms (code)'), /could not create unique index/);
  // A plain (not unique) index left invalid: its build divides by zero on the rows of floor 3.
  await assert.rejects(pool.query('CREATE INDEX CONCURRENTLY rooms_floor_inv ON rooms ((100 / (floor - 3)))'), /division by zero/);
  // A constraint added NOT VALID and never validated (pgHero's invalid constraints).
  await pool.query('ALTER TABLE rooms ADD CONSTRAINT rooms_floor_check CHECK (floor >= 0) NOT VALID');
  const r = await check(['weekly']);

  const invalid = find(r, 'invalid-indexes', 'public.rooms_code_key');
  assert.equal(invalid?.level, 'warning', JSON.stringify(of(r, 'invalid-indexes')));
  assert.match(invalid.observed, /^invalid, [\d.]+ k?B on rooms$/);
  assert.deepEqual(invalid.fix?.text.split('\n'), [
    'DROP INDEX CONCURRENTLY "public"."rooms_code_key";',
    '-- then, once what made the build fail is fixed (duplicate keys for a UNIQUE index, a deadlock, a cancel):',
    'CREATE UNIQUE INDEX CONCURRENTLY rooms_code_key ON public.rooms USING btree (code);',
  ]);

  const red = of(r, 'redundant-indexes');
  assert.deepEqual(
    red.map((f) => [f.subject, f.level, f.observed.replace(/, [\d.]+ kB on rooms$/, '')]),
    [
      ['public.rooms_floor_a', 'info', 'covered by public.rooms_floor_code'],
      ['public.rooms_floor_b', 'info', 'duplicate of public.rooms_floor_a'],
    ],
    JSON.stringify(red),
  );
  assert.equal(red[1]!.fix?.text, 'DROP INDEX CONCURRENTLY "public"."rooms_floor_b";');

  const fk = find(r, 'fk-indexes', 'public.stays.stays_Room_fkey');
  assert.equal(fk?.level, 'info', JSON.stringify(of(r, 'fk-indexes')));
  assert.match(fk.observed, /^\(Room\) → public\.rooms has no index; stays is [\d.]+ kB$/);
  assert.equal(fk.fix?.text, 'CREATE INDEX CONCURRENTLY ON "public"."stays" ("Room");');

  const unused = find(r, 'index-usage', 'public.rooms_floor_code');
  assert.match(unused?.observed ?? '', /^0 scans since (the statistics began|\d{4}-\d\d-\d\d \d\d:\d\d UTC \(statistics reset\)), /, JSON.stringify(unused));
  // Reported once, as invalid: never also as unused; the primary key is never unused.
  const plainInvalid = find(r, 'invalid-indexes', 'public.rooms_floor_inv');
  assert.equal(plainInvalid?.level, 'warning', JSON.stringify(of(r, 'invalid-indexes')));
  assert.equal(find(r, 'index-usage', 'public.rooms_floor_inv'), undefined, JSON.stringify(of(r, 'index-usage')));
  assert.equal(find(r, 'index-usage', 'public.rooms_code_key'), undefined);
  assert.equal(find(r, 'index-usage', 'public.rooms_pkey'), undefined, 'a primary key is never unused');

  const notValid = find(r, 'invalid-constraints', 'public.rooms.rooms_floor_check');
  assert.equal(notValid?.level, 'warning', JSON.stringify(of(r, 'invalid-constraints')));
  assert.equal(notValid.observed, 'CHECK ((floor >= 0)) NOT VALID');
  assert.equal(notValid.fix?.text, 'ALTER TABLE "public"."rooms" VALIDATE CONSTRAINT "rooms_floor_check";');

  await pool.query("UPDATE rooms SET code = 'R' || id"); // what made the unique build fail
  await pool.query('DROP INDEX CONCURRENTLY rooms_floor_inv');
  for (const f of [invalid, ...red, fk, notValid]) await runFix(f);
  const after = await check(['weekly']);
  for (const id of ['invalid-indexes', 'redundant-indexes', 'fk-indexes', 'invalid-constraints'] as const)
    assert.deepEqual(
      of(after, id).map((f) => f.level),
      ['ok'],
      JSON.stringify(of(after, id)),
    );
  const valid = await pool.query<{ indisvalid: boolean }>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'rooms_code_key'::regclass");
  assert.equal(valid.rows[0]?.indisvalid, true, 'rebuilt by the fix');
});

test('sequences near their limit: serial, identity, a bigint sequence behind an int4 column; the fixes clear them', async () => {
  await onSession(srv.url, [
    'CREATE TABLE "Bookings" (id serial PRIMARY KEY)',
    `SELECT setval('"Bookings_id_seq"', 2040109465)`, // 95% of int4
    'CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v int)',
    `SELECT setval(pg_get_serial_sequence('ident', 'id'), 1717986918)`, // 80%
    'CREATE TABLE narrow (id int PRIMARY KEY)',
    'CREATE SEQUENCE narrow_seq OWNED BY narrow.id', // bigint: its own limit is far, the column's is not
    "ALTER TABLE narrow ALTER COLUMN id SET DEFAULT nextval('narrow_seq')",
    `SELECT setval('narrow_seq', 2100000000)`,
  ]);
  const r = await check(['weekly']);
  const serial = find(r, 'sequences', 'public.Bookings.id');
  assert.equal(serial?.level, 'critical', JSON.stringify(of(r, 'sequences')));
  assert.equal(serial.value, 95);
  assert.equal(serial.threshold, 90);
  assert.match(serial.observed, /^95% used: 2,040,109,465 of 2,147,483,647 \(integer\), above 90%$/);
  assert.match(serial.why, /107,374,182 values left/);
  assert.equal(serial.fix?.kind, 'sql');
  const [alterTable, alterSeq] = serial.fix.text.split('\n');
  assert.match(alterTable ?? '', /^ALTER TABLE "public"\."Bookings" ALTER COLUMN "id" TYPE bigint;  -- rewrites the whole table/);
  assert.match(alterSeq ?? '', /^ALTER SEQUENCE "public"\."Bookings_id_seq" AS bigint;/);

  const ident = find(r, 'sequences', 'public.ident.id');
  assert.equal(ident?.level, 'warning');
  assert.doesNotMatch(ident.fix?.text ?? '', /ALTER SEQUENCE/, "an identity column's sequence follows its column");

  const narrow = find(r, 'sequences', 'public.narrow.id');
  assert.equal(narrow?.level, 'critical');
  assert.match(narrow.observed, /of 2,147,483,647 \(integer\)/, "the column's limit, not the bigint sequence's");
  assert.match(narrow.fix?.text ?? '', /^ALTER TABLE "public"\."narrow" ALTER COLUMN "id" TYPE bigint;[^\n]*$/, 'the sequence is already bigint');

  // The fixes as written run, and leave nothing to report.
  for (const f of [serial, ident, narrow]) await pool.query(f.fix!.text);
  const after = await check(['weekly']);
  assert.deepEqual(
    of(after, 'sequences').map((f) => f.level),
    ['ok'],
    JSON.stringify(of(after, 'sequences')),
  );
});

test('tables: no primary key, never analyzed, statistics behind, a large table on the global scale factor; the fixes clear them', async () => {
  await onSession(srv.url, [
    'CREATE TABLE guest_log (at timestamptz, note text)',
    'CREATE TABLE guest_keys (email text NOT NULL, name text)',
    'CREATE UNIQUE INDEX guest_keys_email ON guest_keys (email)',
    'CREATE TABLE audit_full (v int)',
    'ALTER TABLE audit_full REPLICA IDENTITY FULL',
    'CREATE TABLE unanalyzed (id int PRIMARY KEY) WITH (autovacuum_enabled = false)',
    'INSERT INTO unanalyzed SELECT generate_series(1, 5000)',
    'CREATE TABLE churned (id int PRIMARY KEY, v int) WITH (autovacuum_enabled = false)',
    'INSERT INTO churned SELECT g, 0 FROM generate_series(1, 10000) g',
    'ANALYZE churned',
    'UPDATE churned SET v = 1',
    'CREATE TABLE big (id int PRIMARY KEY)',
    'INSERT INTO big SELECT generate_series(1, 1100000)',
    'VACUUM (ANALYZE) big', // reltuples exactly 1,100,000
  ]);
  // The row counts reach pg_stat_user_tables once the session's statistics are flushed.
  const r = await waitFor('the tables in the statistics', async () => {
    const x = await check(['weekly']);
    return find(x, 'table-statistics', 'public.unanalyzed') && find(x, 'table-statistics', 'public.churned') ? x : undefined;
  });
  const log = find(r, 'primary-keys', 'public.guest_log');
  assert.equal(log?.level, 'warning', JSON.stringify(of(r, 'primary-keys')));
  assert.match(log.observed, /^no primary key, no replica identity; /);
  assert.equal(log.fix?.kind, 'note');
  assert.match(log.fix.text, /ALTER TABLE "public"\."guest_log" ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY \(rewrites the table\)/);
  const keys = find(r, 'primary-keys', 'public.guest_keys');
  assert.equal(keys?.level, 'warning');
  assert.equal(keys.fix?.text, 'ALTER TABLE "public"."guest_keys" ADD PRIMARY KEY USING INDEX "guest_keys_email";');
  assert.equal(find(r, 'primary-keys', 'public.audit_full')?.level, 'info', 'REPLICA IDENTITY FULL: replication works, rows still ambiguous');

  const never = find(r, 'table-statistics', 'public.unanalyzed')!;
  assert.equal(never.level, 'warning');
  assert.equal(never.observed, 'never analyzed, 5,000 live rows');
  assert.equal(never.fix?.text, 'ANALYZE "public"."unanalyzed";\nALTER TABLE "public"."unanalyzed" RESET (autovacuum_enabled);');
  const churned = find(r, 'table-statistics', 'public.churned')!;
  assert.equal(churned.level, 'warning');
  // The INSERT's counts may reach the statistics after the ANALYZE that follows it in the session: 10,000 or 20,000.
  assert.match(churned.observed, /^[12]0,000 rows changed since the last ANALYZE \(.+\), over 2× its analyze threshold of 1,050$/);
  assert.equal(churned.threshold, 1050);

  const big = find(r, 'vacuum-scale', 'public.big');
  assert.equal(big?.level, 'info', JSON.stringify(of(r, 'vacuum-scale')));
  assert.equal(big.observed, '1,100,000 rows: autovacuum_vacuum_scale_factor 0.2 waits for 220,050 dead rows');
  assert.equal(big.fix?.text, 'ALTER TABLE "public"."big" SET (autovacuum_vacuum_scale_factor = 0.09);');

  for (const f of [keys, never, churned, big]) await pool.query(f.fix!.text);
  await pool.query('DROP TABLE guest_log, audit_full');
  const after = await waitFor('the ANALYZEs in the statistics', async () => {
    const x = await check(['weekly']);
    return of(x, 'table-statistics').every((f) => f.level === 'ok') ? x : undefined;
  });
  for (const id of ['primary-keys', 'table-statistics', 'vacuum-scale'] as const)
    assert.deepEqual(
      of(after, id).map((f) => f.level),
      ['ok'],
      JSON.stringify(of(after, id)),
    );
});

test('sessions: a transaction left idle holding a lock and a long statement, past lowered thresholds; their fixes end them', async () => {
  const idle = await connect(srv.url);
  idle.on('error', () => undefined); // terminated below, by the fix
  held.push(idle);
  await idle.query('BEGIN');
  await idle.query('SELECT count(*) FROM clean');
  const idlePid = (await idle.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const busy = await connect(srv.url);
  held.push(busy);
  const busyPid = (await busy.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const sleeping = busy.query('SELECT pg_sleep(120)').then(
    () => 'finished',
    (e: Error) => e.message,
  );
  const t: PartialThresholds = { idleInTransactionSeconds: { warn: 1, crit: 3600 }, longQuerySeconds: { warn: 1, crit: 3600 } };
  // Past one second: waited for by polling, never by a timing assertion.
  const r = await waitFor('both sessions past their thresholds', async () => {
    const x = await check(['daily'], t);
    return find(x, 'sessions', `pid ${idlePid}`) && find(x, 'sessions', `pid ${busyPid}`) ? x : undefined;
  });
  const i = find(r, 'sessions', `pid ${idlePid}`)!;
  assert.equal(i.level, 'warning');
  assert.match(i.observed, /^idle in transaction for .+, transaction open .+ \(above 1(\.0)? s\); [1-9]\d* locks? held \(clean[,)]/);
  assert.match(i.why, /SELECT pg_backend_pid\(\) AS pid was its last statement/);
  const [terminate, alter, reload] = i.fix!.text.split('\n');
  assert.equal(terminate, `SELECT pg_terminate_backend(${idlePid});  -- ends the session and rolls back its transaction`);
  assert.match(alter ?? '', /^ALTER SYSTEM SET idle_in_transaction_session_timeout = '1min';/);
  assert.equal(reload, 'SELECT pg_reload_conf();');
  const b = find(r, 'sessions', `pid ${busyPid}`)!;
  assert.equal(b.level, 'warning');
  assert.match(b.observed, /^statement running .+ \(above 1(\.0)? s\); /);
  assert.match(b.why, /pg_sleep\(120\)/);
  assert.match(b.fix?.text ?? '', new RegExp(`^SELECT pg_cancel_backend\\(${busyPid}\\);`));

  // The first line of each fix (the ALTER SYSTEM would outlive this test).
  for (const f of [i, b]) await pool.query(f.fix!.text.split('\n')[0]!);
  assert.match(await sleeping, /canceling statement due to user request/);
  const after = await waitFor('the sessions gone', async () => {
    const x = await check(['daily'], t);
    return of(x, 'sessions').every((f) => f.subject !== `pid ${idlePid}` && f.subject !== `pid ${busyPid}`) ? x : undefined;
  });
  assert.ok(of(after, 'sessions').length > 0);
});

test('replication: an inactive logical slot and the WAL it keeps; its fix drops it', async () => {
  await pool.query("SELECT pg_create_logical_replication_slot('pgdba_idle_slot', 'test_decoding')");
  await pool.query('CREATE TABLE wal_maker AS SELECT g FROM generate_series(1, 10000) g'); // WAL the slot now keeps
  const r = await check(['daily']);
  const slot = find(r, 'replication', 'slot pgdba_idle_slot');
  assert.equal(slot?.level, 'warning', JSON.stringify(of(r, 'replication')));
  const db = new URL(srv.url).pathname.slice(1);
  // The server runs here: the host facts give the data directory's disk, which the slot's WAL fills.
  assert.match(
    slot.observed,
    new RegExp(
      `^logical on ${db}, inactive( since \\S+)?, wal_status (reserved|extended); keeps [\\d.]+ (B|kB|MB) of WAL; the data directory's disk has [\\d.]+ (MB|GB|TB) free$`,
    ),
  );
  const host = r.findings.find((f) => f.check === 'capacity' && /disk/.test(f.subject));
  assert.ok(host === undefined || !/not known/.test(host.observed), 'the host facts were read');
  assert.ok(slot.value! > 0, 'retained bytes');
  assert.match(slot.why, /max_slot_wal_keep_size = -1/);
  const [drop, cap] = slot.fix!.text.split('\n');
  assert.equal(drop, "SELECT pg_drop_replication_slot('pgdba_idle_slot');  -- once its consumer is gone for good");
  assert.match(cap ?? '', /^ALTER SYSTEM SET max_slot_wal_keep_size = '10GB';/);
  await pool.query(drop);
  const after = await check(['daily']);
  assert.deepEqual(
    of(after, 'replication').map((f) => [f.level, f.observed]),
    [['ok', '0 slots, all active; no standby']],
  );
});

test('replication: a real streaming standby, its lag seen from the primary and its own; stopped, its slot keeps WAL', async (t) => {
  if (!srv.server) return t.skip('PGDBA_TEST_URL is an existing server: the standby is copied from the data directory of a server this run started');
  const standby = await startStandby(srv.server, { slot: 'pgdba_standby', applicationName: 'pgdba_standby', settings: { max_prepared_transactions: 4 } });
  const spool = poolFor(standby.server.url);
  try {
    const v = { versionNum: (await check(['daily'])).server.versionNum! };
    const lsn = async (q: pg.Pool, expr: string) => (await q.query<{ l: string }>(`SELECT (${expr})::text AS l`)).rows[0]!.l;
    const reached = async (q: pg.Pool, expr: string, target: string) =>
      (await q.query<{ ok: boolean }>(`SELECT (${expr}) >= $1::pg_lsn AS ok`, [target])).rows[0]!.ok || undefined;
    // Streaming, and a transaction replayed (the standby's replay clock starts with one).
    await pool.query('CREATE TABLE replicated AS SELECT 1 AS x');
    const first = await lsn(pool, 'pg_current_wal_lsn()');
    await waitFor('the standby streaming and replaying', () => reached(spool, 'pg_last_wal_replay_lsn()', first), 30_000);
    // Its replay clock: the commit timestamp of a replayed transaction (NULL until one is).
    await waitFor(
      'a transaction replayed on the standby',
      async () => {
        await pool.query('INSERT INTO replicated VALUES (2)');
        return (await spool.query<{ t: string | null }>('SELECT pg_last_xact_replay_timestamp()::text AS t')).rows[0]!.t ?? undefined;
      },
      30_000,
    );
    const r0 = await waitFor('the standby in pg_stat_replication', async () => {
      const x = await check(['daily']);
      return find(x, 'replication', 'standby pgdba_standby') ? x : undefined;
    });
    const s0 = find(r0, 'replication', 'standby pgdba_standby')!;
    assert.equal(s0.level, 'ok', JSON.stringify(of(r0, 'replication')));
    assert.match(s0.observed, /^streaming \(async\), replay .+ and [\d.]+ k?B behind$/);

    // Replay paused there; WAL written here arrives and waits: real bytes behind, seen from both sides.
    await spool.query('SELECT pg_wal_replay_pause()');
    // A pause is a request: replay stops at the next record it reads (an idle standby reads none), so
    // WAL is nudged until the standby says it has stopped; else lag_maker could be replayed at once.
    const pausedSql = v.versionNum >= 140000 ? "SELECT pg_get_wal_replay_pause_state() = 'paused' AS p" : 'SELECT pg_is_wal_replay_paused() AS p';
    await waitFor(
      'replay paused',
      async () => {
        await pool.query("SELECT pg_logical_emit_message(false, 'pgdba-test', 'nudge')");
        return (await spool.query<{ p: boolean }>(pausedSql)).rows[0]!.p || undefined;
      },
      30_000,
    );
    await pool.query('CREATE TABLE lag_maker AS SELECT g FROM generate_series(1, 20000) g');
    const written = await lsn(pool, 'pg_current_wal_lsn()');
    await waitFor('the WAL received by the standby', () => reached(spool, 'pg_last_wal_receive_lsn()', written), 30_000);
    const row = (await runQuery(pool, standbysQuery, v)).find((x) => x.applicationName === 'pgdba_standby');
    assert.ok(row && row.replayLagBytes! >= 100_000, `replay ${row?.replayLagBytes} bytes behind (20,000 rows written)`);
    const fromPrimary = find(await check(['daily']), 'replication', 'standby pgdba_standby')!;
    assert.match(fromPrimary.observed, /and [\d.]+ (kB|MB) behind/);
    const lagged: PartialThresholds = { replicationLagSeconds: { warn: 1, crit: 3600 } };
    // The replay clock is polled with its one query (a whole daily report per poll took longer than
    // the deadline on a loaded machine); the report runs once the standby is past the threshold.
    await waitFor(
      'the standby a second behind',
      async () => {
        const st = (await runQuery(spool, replayStatusQuery, v))[0];
        return (st?.sinceLastReplaySeconds ?? 0) > 1.5 || undefined;
      },
      30_000,
    );
    const report = await runHealthCheck({ server: { name: 'standby', target: 'x' }, pool: spool, host: '127.0.0.1', schedules: ['daily'], thresholds: lagged });
    const own = find(report, 'replication', 'this standby')!;
    assert.equal(own.level, 'warning', JSON.stringify(own));
    assert.match(own.observed, /^replay paused: [\d.]+ (kB|MB) received and not replayed, last replayed transaction .+ old \(above 1(\.0)? s\)$/);
    assert.ok(own.value! > 1, own.observed);
    const status = (await runQuery(spool, replayStatusQuery, v))[0]!;
    assert.ok(status.paused && status.unreplayedBytes! > 0, JSON.stringify(status));
    assert.equal(own.fix?.text.split(';')[0], 'SELECT pg_wal_replay_resume()');
    t.diagnostic(`from the primary: ${fromPrimary.observed}; on the standby: ${own.observed}`);
    await spool.query(own.fix.text.split(';')[0]!);
    const caughtUp = await waitFor('the standby caught up', async () => {
      const x = await runHealthCheck({ server: { name: 'standby', target: 'x' }, pool: spool, host: '127.0.0.1', schedules: ['daily'], thresholds: lagged });
      const f = find(x, 'replication', 'this standby');
      return f?.level === 'ok' ? f : undefined;
    });
    assert.equal(caughtUp.observed, 'replayed all it received');

    // The standby stops: its slot goes inactive and keeps the WAL written since.
    await spool.end();
    await standby.stop();
    await pool.query('CREATE TABLE kept_wal AS SELECT g FROM generate_series(1, 20000) g');
    const r = await waitFor('the slot inactive', async () => {
      const x = await check(['daily']);
      return find(x, 'replication', 'slot pgdba_standby')?.level === 'warning' ? x : undefined;
    });
    const slot = find(r, 'replication', 'slot pgdba_standby')!;
    assert.match(
      slot.observed,
      /^physical, inactive( since \S+)?, wal_status (reserved|extended); keeps [\d.]+ (kB|MB) of WAL; the data directory's disk has [\d.]+ (MB|GB|TB) free$/,
    );
    assert.ok(slot.value! >= 100_000, `${slot.value} bytes kept`);
    t.diagnostic(`the stopped standby's slot: ${slot.observed}`);
    assert.equal(find(r, 'replication', 'standby pgdba_standby'), undefined, 'gone from pg_stat_replication');
    await pool.query(slot.fix!.text.split('\n')[0]!);
    assert.deepEqual(
      of(await check(['daily']), 'replication').map((f) => [f.level, f.observed]),
      [['ok', '0 slots, all active; no standby']],
    );
  } finally {
    await spool.end().catch(() => undefined);
    await standby.stop();
  }
});

test('security: a role without password, an MD5 one, CREATE on public for PUBLIC, a SECURITY DEFINER function without search_path; the fixes clear them', async () => {
  await onSession(srv.url, [
    'CREATE ROLE "No Pass" LOGIN',
    "SET password_encryption = 'md5'",
    "CREATE ROLE oldpw LOGIN PASSWORD 'secret-1'",
    'GRANT CREATE ON SCHEMA public TO PUBLIC', // the default before 15
    "CREATE FUNCTION book_room(room int, note text) RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT room'",
    "CREATE FUNCTION fixed_path(room int) RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS 'SELECT room'",
  ]);
  const r = await check(['monthly']);
  const sec = of(r, 'security');
  assert.deepEqual(await runChecks({ pool, checks: ['security'] }), sec, "the tree's findings are the report's");
  const roles = find(r, 'security', 'roles');
  assert.equal(roles?.level, 'info', JSON.stringify(sec));
  assert.match(roles.observed, /^1 superuser \(postgres\), \d+ login roles$/);
  const nopass = find(r, 'security', 'role No Pass');
  assert.equal(nopass?.level, 'warning', JSON.stringify(sec));
  assert.equal(nopass.observed, 'can log in, has no password');
  assert.match(nopass.fix?.text ?? '', /^ALTER ROLE "No Pass" PASSWORD '…';/);
  const md5 = find(r, 'security', 'role oldpw');
  assert.equal(md5?.level, 'warning', JSON.stringify(sec));
  assert.equal(md5.observed, 'password stored as MD5, password_encryption = scram-sha-256');
  const pub = find(r, 'security', 'schema public');
  assert.equal(pub?.level, 'warning', JSON.stringify(sec));
  assert.equal(pub.fix?.text, 'REVOKE CREATE ON SCHEMA public FROM PUBLIC;');
  const fn = find(r, 'security', 'public.book_room(room integer, note text)');
  assert.equal(fn?.level, 'warning', JSON.stringify(sec));
  assert.match(fn.observed, /^SECURITY DEFINER, owned by postgres, no search_path of its own$/);
  assert.equal(fn.fix?.text, 'ALTER FUNCTION "public"."book_room"(room integer, note text) SET search_path = pg_catalog, pg_temp;');
  assert.equal(find(r, 'security', /^public\.fixed_path/), undefined, 'a search_path of its own');
  assert.equal(find(r, 'security', 'server'), undefined, 'listening on 127.0.0.1 only: ssl off is no finding');

  await pool.query(pub.fix.text);
  await pool.query(fn.fix.text);
  await pool.query('ALTER ROLE "No Pass" NOLOGIN');
  await onSession(srv.url, ["SET password_encryption = 'scram-sha-256'", "ALTER ROLE oldpw PASSWORD 'secret-1'"]);
  const after = await check(['monthly']);
  assert.deepEqual(
    of(after, 'security').map((f) => [f.level, f.subject]),
    [['info', 'roles']],
  );
});

test('wraparound: XID age past a lowered autovacuum_freeze_max_age, and the session, prepared transaction and slot that hold it', async () => {
  // The slot first: creating a logical slot waits for every transaction with an XID to end.
  await pool.query("SELECT pg_create_logical_replication_slot('pgdba_held', 'test_decoding')");
  const prep = await connect(srv.url);
  held.push(prep);
  await prep.query('BEGIN');
  await prep.query('SELECT txid_current()');
  await prep.query("PREPARE TRANSACTION 'pgdba''s gid'");
  const idle = await connect(srv.url);
  idle.on('error', () => undefined); // terminated below, by the fix
  held.push(idle);
  await idle.query('BEGIN');
  const pid = (await idle.query<{ pid: number }>('SELECT txid_current(), pg_backend_pid() AS pid')).rows[0]!.pid;
  // Burn 1.2 × the freeze max age: each COMMIT in the loop ends a transaction that took an XID.
  await pool.query(`DO $$ BEGIN FOR i IN 1..${FREEZE_MAX_AGE * 1.2} LOOP PERFORM txid_current(); COMMIT; END LOOP; END $$`);

  const r = await check(['daily']);
  const wrap = of(r, 'wraparound');
  const db = new URL(srv.url).pathname.slice(1);
  const dbFinding = find(r, 'wraparound', db);
  assert.equal(dbFinding?.level, 'warning', JSON.stringify(wrap));
  assert.ok(dbFinding.value! > 100 && dbFinding.value! < 400, dbFinding.observed);
  assert.equal(dbFinding.threshold, 100);
  assert.match(dbFinding.observed, /^XID age [\d,]+ = [\d.]+% of autovacuum_freeze_max_age 100,000, warning above 100%; [\d,]+ to the hard limit$/);
  assert.match(dbFinding.fix?.text ?? '', /^VACUUM \(FREEZE, VERBOSE\);/);
  // The oldest tables are initdb's catalogs: any of them, named and quoted in its fix.
  const table = wrap.find((f) => /^[^ ]+\.[^ ]+$/.test(f.subject) && f.subject !== db);
  assert.equal(table?.level, 'warning', JSON.stringify(wrap));
  const [schema, name] = table.subject.split('.');
  assert.equal(table.fix?.text, `VACUUM (FREEZE, VERBOSE) "${schema}"."${name}";`);

  const session = find(r, 'wraparound', `session ${pid}`);
  assert.equal(session?.level, 'warning', JSON.stringify(wrap));
  assert.match(session.observed, /idle in transaction/);
  assert.equal(session.fix?.text.split(';')[0], `SELECT pg_terminate_backend(${pid})`);
  const prepared = find(r, 'wraparound', "prepared transaction pgdba's gid");
  assert.equal(prepared?.level, 'warning', JSON.stringify(wrap));
  assert.equal(prepared.fix?.text.split(';')[0], "ROLLBACK PREPARED 'pgdba''s gid'");
  const slot = find(r, 'wraparound', 'replication slot (catalog_xmin) pgdba_held');
  assert.equal(slot?.level, 'warning', JSON.stringify(wrap));
  assert.equal(slot.fix?.text.split(';')[0], "SELECT pg_drop_replication_slot('pgdba_held')");

  // The holders' fixes as written end them; a terminated backend leaves pg_stat_activity a moment after pg_terminate_backend returns.
  for (const f of [session, prepared, slot]) await pool.query(f.fix!.text);
  const isHolder = (f: Finding) => /^(session|prepared transaction|replication slot|standby) /.test(f.subject);
  const after = await waitFor('the holders gone', async () => {
    const x = await check(['daily']);
    return of(x, 'wraparound').some(isHolder) ? undefined : x;
  });
  assert.deepEqual(of(after, 'wraparound').filter(isHolder), [], 'no holder left');
});

test('wraparound: no false alarm once everything is frozen', async () => {
  const dbs = (await pool.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datallowconn')).rows.map((x) => x.datname);
  for (const d of dbs) await onSession(srv.urlFor(d), ['VACUUM (FREEZE)']);
  const r = await check(['daily']);
  assert.deepEqual(
    of(r, 'wraparound').map((f) => f.level),
    ['ok'],
    JSON.stringify(of(r, 'wraparound')),
  );
});
