// No false alarm: the sandbox's hotel database (scripts/lib/hotelData.ts at the sandbox's scale,
// on a server started as the sandbox starts it) through the whole health report, daily, weekly and
// monthly. Every finding above ok must be true of it: the exact set is asserted, each explained.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { TestServer } from '../support/testServer';
import { startHotelServer } from '../support/hotelServer';
import { runHealthCheck } from '../../src/core/health';
import { createPool } from '../../src/core/db/pool';

let srv: TestServer;
let pool: pg.Pool;

before(async () => {
  srv = await startHotelServer();
  const u = new URL(srv.url);
  pool = createPool(
    { name: 'hotel', host: u.hostname, port: Number(u.port), database: 'hotel', user: u.username, password: decodeURIComponent(u.password) },
    { statementTimeoutMs: 120_000 },
  );
});

after(async () => {
  await pool?.end().catch(() => undefined);
  await srv?.stop();
});

test('the hotel database: only what is true of it, every finding explained', async () => {
  const r = await runHealthCheck({ server: { name: 'hotel', target: 'x' }, pool, host: '127.0.0.1' });
  const shown = r.findings.filter((f) => f.level !== 'ok');
  assert.deepEqual(
    shown.map((f) => [f.level, f.check, f.subject]),
    [
      // The test server logs no statement durations and runs without logging_collector (its log is
      // the rig's stderr): the slow query log says both, with the settings that fix them.
      ['info', 'slow-log', 'log_min_duration_statement'],
      ['info', 'slow-log', 'server log'],
      // The server starts without shared_preload_libraries: pg_stat_statements is truly not loaded.
      ['info', 'slow-queries', 'pg_stat_statements'],
      // payments (reservation_id) is never scanned, true; but no query has read payments at all yet
      // (its 2 sequential scans are the builds of its 2 indexes),
      // so the check says it is too soon to judge (info) rather than advise the DROP (a warning before).
      ['info', 'index-usage', 'public.payments_reservation_id_idx'],
      // Sizes are always an info finding: what the databases weigh today.
      ['info', 'growth', 'server'],
      // No backup directory was given: the backups were not checked, and it says so.
      ['info', 'backup', 'hotel'],
      // The plan check needs pg_stat_statements too.
      ['info', 'query-plans', 'pg_stat_statements'],
      // So does the index advisor: it reads the top statements from it.
      ['info', 'index-advice', 'pg_stat_statements'],
      // Capacity's figures as read: connections in use, memory settings against the host's RAM (this machine's facts).
      ['info', 'capacity', 'max_connections'],
      ['info', 'capacity', 'memory'],
      // The role census of the security posture: the one superuser, postgres.
      ['info', 'security', 'roles'],
      // Before 15 every role may CREATE in schema public (PUBLIC's default grant): true of the server, a warning.
      ...(srv.major < 15 ? [['warning', 'security', 'schema public']] : []),
    ],
    JSON.stringify(shown, null, 1),
  );
  // Since the database's statistics began, or (where the server records one, 13 and 14 here) since their reset time.
  assert.match(
    shown[3]!.observed,
    /^0 scans since (the statistics began|\S+ \S+ UTC \(statistics reset\)), [\d.]+ MB on payments, a table no query has read either$/,
  );
  // Nothing else: the schema's foreign key (rooms.hotel_id) leads the UNIQUE (hotel_id, number) index,
  // every table and partition has its primary key, no sequence (the ids are plain integers), no slot.
  for (const id of [
    'fk-indexes',
    'primary-keys',
    'redundant-indexes',
    'invalid-indexes',
    'invalid-constraints',
    'sequences',
    'wraparound',
    'replication',
  ] as const)
    assert.deepEqual(
      r.findings.filter((f) => f.check === id).map((f) => f.level),
      ['ok'],
      id,
    );
  assert.equal(r.summary.worst, srv.major < 15 ? 'warning' : 'info', 'before 15, the schema public grant');
});
