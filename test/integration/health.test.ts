// The health report from real statistics: a PostgreSQL 16 (or PGDBA_TEST_MAJOR) under a real
// pgbench load, with the conditions the seed's checks look for created by the test — an unused
// index, a bloated table, dead tuples with autovacuum off, a cold read through tiny
// shared_buffers, a slow statement, a table scanned without the index its queries need, a stale
// backup — each asserted as a finding with its level and its fix. Then the CLI as a process,
// a non-superuser, a database without pg_stat_statements, and two servers of which one is down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCliBundle } from '../support/cliBundle';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { freePort } from '../../scripts/lib/pgServer';
import {
  runHealthCheck,
  runMany,
  renderMarkdown,
  renderMultiMarkdown,
  renderJson,
  type Finding,
  type HealthReport,
  type MultiHealthReport,
} from '../../src/core/health';
import { backupFileName } from '../../src/core/backup/naming';
import { createPool } from '../../src/core/db/pool';
import { explainConnectError } from '../../src/core/db/connectError';
import { CLI_ADVICE } from '../../src/cli/connection';
import { onSession, sleep, waitFor } from './statsSupport';

const ROOT = resolve(__dirname, '..', '..');
const PGBENCH = process.env.PGDBA_PGBENCH ?? '/usr/bin/pgbench';
/** The load is pgbench's: without it the tests are skipped, saying why. */
const SKIP = existsSync(PGBENCH) ? false : `pgbench is not at ${PGBENCH} (apt install postgresql-client, or set PGDBA_PGBENCH)`;
const work = mkdtempSync(join(tmpdir(), 'pgdba-health-'));
const CLI = join(work, 'cli.js');
const backupDir = join(work, 'backups');

let srv: TestServer;
let pool: pg.Pool;
let report: HealthReport;

function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port,
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: u.pathname.slice(1),
  };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const c = spawn(cmd, args, { env });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('close', (code) => done({ code, out, err }));
  });
}

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, 'health', ...args], { env, maxBuffer: 16 * 1024 * 1024 }, (e, out, err) =>
      done({ code: e ? (e.code as number) : 0, out, err }),
    );
  });
}

const find = (r: HealthReport, check: Finding['check'], subject: string | RegExp): Finding | undefined =>
  r.findings.find((f) => f.check === check && (typeof subject === 'string' ? f.subject === subject : subject.test(f.subject)));

const profileOf = (url: string) => {
  const u = new URL(url);
  return { name: 'test', host: u.hostname, port: Number(u.port), database: u.pathname.slice(1), user: decodeURIComponent(u.username) };
};

function poolFor(url: string, user?: string, password?: string): pg.Pool {
  const p = profileOf(url);
  const pl = createPool({ ...p, ...(user ? { user } : {}), password: password ?? decodeURIComponent(new URL(url).password) }, { statementTimeoutMs: 60_000 });
  return pl;
}

before(async () => {
  if (SKIP) return;
  await buildCliBundle(CLI);
  srv = await getTestServer({ settings: { shared_preload_libraries: 'pg_stat_statements', autovacuum: 'off', shared_buffers: '4MB', max_connections: 30 } });
  pool = poolFor(srv.url);
  await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const env = pgEnv(srv.url);
  const init = await run(PGBENCH, ['-i', '-s', '1', '-q'], env);
  assert.equal(init.code, 0, `pgbench -i failed: ${init.err}`);
  // The conditions the checks look for, made on purpose.
  await onSession(srv.url, [
    'CREATE INDEX health_unused_idx ON pgbench_accounts ((aid * 7 + abalance))', // ~2 MB; pgbench never filters on it
    "CREATE TABLE bloated AS SELECT g AS id, repeat('x', 80) AS pad FROM generate_series(1, 30000) g",
    'ANALYZE bloated',
    "UPDATE bloated SET pad = repeat('y', 80)",
    'VACUUM bloated',
    "CREATE TABLE churn AS SELECT g AS id, repeat('x', 80) AS pad FROM generate_series(1, 30000) g",
    "UPDATE churn SET pad = repeat('y', 80)",
    "CREATE TABLE guests AS SELECT g AS id, 'guest' || g || '@hotel.example' AS email FROM generate_series(1, 50000) g",
    'ANALYZE guests',
  ]);
  await pool.query('SELECT pg_stat_statements_reset()');
  // The load: pgbench's 8 clients for 5 s, and beside it a lookup by e-mail with no index and a slow call.
  const bench = run(PGBENCH, ['-c', '8', '-j', '2', '-T', '5', '-n'], env);
  await onSession(srv.url, [
    ...Array.from({ length: 120 }, (_, i) => `SELECT * FROM guests WHERE email = 'guest${i}@hotel.example'`),
    ...Array.from({ length: 10 }, () => 'SELECT pg_sleep(0.12)'),
  ]);
  const b = await bench;
  assert.equal(b.code, 0, `pgbench failed: ${b.err}`);
  assert.match(b.out, /tps = /);
  // A cold read: a database whose only read went to disk, through 4 MB of shared_buffers.
  await pool.query('CREATE DATABASE coldread');
  await onSession(srv.urlFor('coldread'), ["CREATE TABLE big AS SELECT g AS id, repeat('z', 60) AS pad FROM generate_series(1, 150000) g", 'CHECKPOINT']);
  await onSession(srv.urlFor('coldread'), ['SELECT pg_stat_reset()']);
  await sleep(600);
  await onSession(srv.urlFor('coldread'), ['SELECT count(*) FROM big']);
  // The seed's nightly file, 30 hours old: a missed night.
  mkdirSync(backupDir);
  const db = new URL(srv.url).pathname.slice(1);
  writeFileSync(join(backupDir, backupFileName(db, new Date(Date.now() - 30 * 3_600_000), 'gzip')), Buffer.alloc(4096, 1));
  // Statistics reach readers asynchronously: wait until the cold read and the dead tuples show.
  await waitFor(
    'the statistics of the load',
    async () => {
      const r = await runHealthCheck({ server: { name: 'test', target: 'x' }, pool, host: '127.0.0.1', schedules: ['daily'] });
      return find(r, 'cache-hit', 'coldread') && find(r, 'autovacuum', 'public.churn') ? true : undefined;
    },
    20_000,
  );
  report = await runHealthCheck({
    server: { name: 'hotel-01', target: srv.url.replace(/:[^:@/]+@/, '@') },
    pool,
    host: '127.0.0.1',
    backupDir,
    hardware: { ramGB: 4, maxConnections: 100 },
  });
});

after(async () => {
  await pool?.end().catch(() => undefined);
  await srv?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('daily: cache hit, dead tuples with autovacuum off, slow statement, connections', { skip: SKIP }, () => {
  const cold = find(report, 'cache-hit', 'coldread');
  assert.equal(cold?.level, 'critical', JSON.stringify(cold));
  assert.ok(cold.value !== undefined && cold.value < 90);
  assert.equal(cold.fix?.kind, 'setting');
  assert.match(cold.fix.text, /^shared_buffers = 1GB/, 'a quarter of pgdba.hardware.ramGB = 4');

  const off = find(report, 'autovacuum', 'server');
  assert.equal(off?.level, 'critical');
  assert.equal(off.fix?.text, 'autovacuum = on');
  const churn = find(report, 'autovacuum', 'public.churn');
  assert.equal(churn?.level, 'critical', JSON.stringify(churn));
  assert.equal(churn.value, 50);
  assert.equal(churn.fix?.text, 'VACUUM (ANALYZE) "public"."churn";');

  const slow = find(report, 'slow-queries', /pg_sleep/);
  assert.equal(slow?.level, 'warning', JSON.stringify(slow));
  assert.ok(slow.value !== undefined && slow.value >= 120 && slow.value < 500);
  assert.equal(slow.threshold, 100);

  const conn = find(report, 'connections', 'server');
  assert.equal(conn?.level, 'ok');
  assert.match(conn.observed, /of 30 connections/);
});

test('weekly: the bloated table, the unused index, sizes, the stale backup', { skip: SKIP }, () => {
  const bloat = find(report, 'bloat', 'public.bloated');
  assert.equal(bloat?.level, 'critical', JSON.stringify(report.findings.filter((f) => f.check === 'bloat')));
  assert.match(bloat.fix?.text ?? '', /^VACUUM \(FULL, ANALYZE\) "public"\."bloated";/);

  const unused = find(report, 'index-usage', 'public.health_unused_idx');
  assert.equal(unused?.level, 'warning', JSON.stringify(unused));
  assert.equal(unused.fix?.text, 'DROP INDEX CONCURRENTLY "public"."health_unused_idx";');
  assert.equal(find(report, 'index-usage', 'public.pgbench_accounts_pkey'), undefined, 'a primary key is never a candidate');

  assert.match(find(report, 'growth', 'server')?.observed ?? '', /in \d+ databases: .*coldread \d/, 'database sizes are listed');
  const age = report.findings.find((f) => f.check === 'backup' && /old/.test(f.observed));
  assert.equal(age?.level, 'warning', JSON.stringify(report.findings.filter((f) => f.check === 'backup')));
  assert.ok(age.value !== undefined && age.value > 26 && age.value < 31);
  const verified = report.findings.find((f) => f.check === 'backup' && f.observed === 'unverified');
  assert.equal(verified?.level, 'info');
  assert.match(verified.fix?.text ?? '', /^pgdba verify .*--full$/);
});

test("monthly: the top queries' plans give the missing index; capacity against the hardware", { skip: SKIP }, (t) => {
  const plans = report.findings.filter((f) => f.check === 'query-plans');
  assert.ok(plans.length > 0);
  const writes = plans.find((f) => f.observed === 'not explained');
  assert.match(writes?.why ?? '', /UPDATE/, "pgbench's UPDATEs are never explained");
  if (srv.major < 16) {
    t.diagnostic(`PostgreSQL ${srv.major} has no EXPLAIN (GENERIC_PLAN): the $n statements are listed as not explained`);
    assert.match(writes?.why ?? '', /GENERIC_PLAN/);
    return;
  }
  const guests = find(report, 'query-plans', /FROM guests WHERE email = \$1/);
  assert.equal(guests?.level, 'warning', JSON.stringify(plans));
  // The plan shows the scan; the index is the advisor's (one path), labelled: no HypoPG on this server.
  assert.match(
    guests.fix?.text ?? '',
    /^-- index advice, not verified: HypoPG is not on the server: apt install postgresql-\d+-hypopg .*\nCREATE INDEX CONCURRENTLY "guests_email_idx" ON "public"\."guests" \("email"\);$/,
  );
  const advice = find(report, 'index-advice', 'public.guests (email)');
  assert.equal(advice?.fix?.text, (guests.fix?.text ?? '').split('\n')[1], 'the same index as the Index advice section');
  const pick = find(report, 'query-plans', /SELECT abalance FROM pgbench_accounts WHERE aid = \$1/);
  assert.equal(pick?.level, 'ok', 'the pgbench lookup uses the primary key');
  assert.match(pick.observed, /Index Scan/);

  const opt = find(report, 'index-optimisation', 'public.guests');
  assert.equal(opt?.level, 'warning');
  assert.equal(opt.fix?.text, guests.fix?.text, 'the sequential scans offer the same index');

  const mem = find(report, 'capacity', 'memory');
  assert.equal(mem?.level, 'info', 'shared_buffers 4 MB of 4 GB is far below 25%');
  assert.match(mem.fix?.text ?? '', /shared_buffers = 1GB/);
  const disk = find(report, 'capacity', 'disk');
  assert.match(disk?.observed ?? '', /free of/, 'a local server: its disk is measured');
});

test('the report renders as Markdown and JSON', { skip: SKIP }, () => {
  assert.equal(report.summary.worst, 'critical');
  assert.ok(report.summary.counts.critical >= 4);
  assert.equal(report.summary.top?.level, 'critical');
  const md = renderMarkdown(report);
  assert.match(md, /^# Health report: hotel-01\n/);
  assert.match(md, /\*\*CRITICAL\*\* — \d+ critical, \d+ warning, \d+ info, \d+ ok/);
  assert.match(md, /## What to do/);
  assert.match(md, /```sql\nVACUUM \(ANALYZE\) "public"\."churn";\n```/);
  assert.ok(!md.includes(decodeURIComponent(new URL(srv.url).password)), 'no password in the report');
  // Kept for a person to read (the README quotes it): test-results/health-integration.md.
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', 'health-integration.md'), md);
  const back = JSON.parse(renderJson(report)) as HealthReport;
  assert.deepEqual(back, report);
});

test('a non-superuser and a database without pg_stat_statements get info findings, no crash', { skip: SKIP }, async () => {
  // A name that needs quoting: every suggested statement must quote it (#12 item 14).
  await pool.query(`CREATE ROLE "Health Plain" LOGIN PASSWORD 'plain-pw'`);
  const plain = poolFor(srv.urlFor('coldread'), 'Health Plain', 'plain-pw');
  try {
    const r = await runHealthCheck({ server: { name: 'plain', target: 'plain' }, pool: plain, host: '127.0.0.1' });
    const access = find(r, 'access', 'Health Plain');
    assert.equal(access?.level, 'info');
    assert.equal(access.fix?.text.split(';')[0], 'GRANT pg_monitor TO "Health Plain"');
    const grants = r.findings.filter((f) => f.fix?.kind === 'sql' && /^GRANT /.test(f.fix.text));
    assert.ok(grants.length >= 2, JSON.stringify(grants));
    for (const g of grants) assert.match(g.fix?.text ?? '', /TO "Health Plain";/, g.check);
    const pss = find(r, 'slow-queries', 'pg_stat_statements');
    assert.equal(pss?.level, 'info', JSON.stringify(r.findings.filter((f) => f.check === 'slow-queries')));
    assert.match(pss.why, /not created in this database/);
    assert.equal(pss.fix?.text, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements;');
    assert.ok(r.findings.length > 5);
  } finally {
    await plain.end();
  }
});

test('two profiles, one unreachable: a row with the reason, the other server reported', { skip: SKIP }, async () => {
  const port = await freePort();
  const downProfile = { name: 'hotel-02', host: '127.0.0.1', port, database: 'postgres', user: 'postgres' };
  const down = createPool(downProfile, { statementTimeoutMs: 5000 });
  try {
    const m: MultiHealthReport = await runMany([
      {
        server: { name: 'hotel-01', target: 'a' },
        run: () => runHealthCheck({ server: { name: 'hotel-01', target: 'a' }, pool, host: '127.0.0.1', schedules: ['daily'] }),
      },
      {
        server: { name: 'hotel-02', target: 'b' },
        run: () => runHealthCheck({ server: { name: 'hotel-02', target: 'b' }, pool: down, host: '127.0.0.1' }),
        describeError: (e) => explainConnectError(e, downProfile, CLI_ADVICE),
      },
    ]);
    assert.equal(m.servers[0]?.ok, true);
    const bad = m.servers[1];
    assert.ok(bad && !bad.ok);
    assert.match(bad.error, new RegExp(`No PostgreSQL server answers at 127.0.0.1:${port}`));
    const md = renderMultiMarkdown(m);
    assert.match(md, /^# Health report: 2 servers/);
    assert.match(md, /\| hotel-02 \| UNREACHABLE \|/);
    assert.match(md, /\| hotel-01 \| CRITICAL \|/);
    assert.match(md, /## Health report: hotel-01/);
  } finally {
    await down.end();
  }
});

test('CLI: exit 1 with a critical finding, JSON and Markdown, exit 0 when clean, exit 2 on bad usage or a server down', { skip: SKIP }, async () => {
  const json = await cli(['--url', srv.url, '--format', 'json', '--checks', 'daily']);
  assert.equal(json.code, 1, json.err);
  const doc = JSON.parse(json.out) as MultiHealthReport;
  assert.equal(doc.servers.length, 1);
  const first = doc.servers[0]!;
  assert.ok(first.ok);
  assert.deepEqual(first.report.schedules, ['daily']);
  assert.ok(first.report.findings.every((f) => f.schedule === 'daily'));
  assert.ok(first.report.findings.some((f) => f.check === 'autovacuum' && f.level === 'critical'));

  await pool.query('CREATE DATABASE cleandb');
  const clean = await cli(['--url', srv.urlFor('cleandb'), '--checks', 'weekly']);
  assert.equal(clean.code, 0, clean.out + clean.err);
  assert.match(clean.out, /^# Health report: /);
  assert.match(clean.out, /### info · Backups · cleandb\n\n- \*\*Observed:\*\* not checked/);

  // The connection from PG* variables, as the other commands take it.
  const env = pgEnv(srv.urlFor('cleandb'));
  const fromEnv = await cli(['--checks', 'weekly', '--format', 'json'], env);
  assert.equal(fromEnv.code, 0, fromEnv.err);

  const port = await freePort();
  const two = await cli(['--url', srv.urlFor('cleandb'), '--url', `postgres://postgres@127.0.0.1:${port}/postgres`, '--checks', 'weekly']);
  assert.equal(two.code, 2, 'a server down is exit 2');
  assert.match(two.out, /# Health report: 2 servers/);
  assert.match(two.out, /UNREACHABLE \|.*No PostgreSQL server answers/);
  assert.match(two.err, /No PostgreSQL server answers/);

  const usage = await cli(['--format', 'xml']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /--format must be md or json/);
  const checks = await cli(['--checks', 'yearly']);
  assert.equal(checks.code, 2);
  assert.match(checks.err, /--checks must be daily, weekly, monthly or all/);
});
