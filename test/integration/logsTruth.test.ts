// The log reports on logs real servers wrote (test/support/logWorkload.ts makes each condition),
// with pgBadger (Debian's package) as the truth on the same files: statements, errors by class,
// connections, sessions, checkpoints, autovacuum, autoanalyze, temp files and lock waits must
// count the same. Where the two define a thing differently (README, "Log insights"), the test
// checks the difference is exactly that definition. Also: csvlog and jsonlog give the report
// stderr gives, another log_line_prefix reads the same, the SQL source reads what the file
// holds (and goes on incrementally), a real PgBouncer's log, and the CLI's JSON and exit status.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';
import {
  Fingerprinter,
  LogAnalyzer,
  hostFileSource,
  listSqlLogFiles,
  readLogs,
  sqlFileSource,
  sqlLogGrant,
  type LogReport,
  type LogSource,
} from '../../src/core/logs';
import { localHost } from '../../src/core/host/localHost';
import { startPgServer } from '../../scripts/lib/pgServer';
import { buildCliBundle } from '../support/cliBundle';
import { makeWorkloadLog, SEED_PREFIX, type WorkloadLog } from '../support/logWorkload';
import { pgbouncerMissing, startPgbouncer } from '../support/pgbouncer';
import { tempDir } from '../support/tempDir';
import { testMajor } from '../support/testServer';

const PGBADGER = '/usr/bin/pgbadger';
const noBadger = existsSync(PGBADGER)
  ? undefined
  : `${PGBADGER} is missing: run \`bash scripts/setup-system.sh\` (Debian's pgbadger); the counts are not compared`;
if (noBadger) console.log(`# skipped: ${noBadger}`);

const major = testMajor();
const dir = tempDir('logs-truth');
chmodSync(dir, 0o755); // the servers' user keeps its clusters in here
const OTHER_PREFIX = '%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ';

async function report(sources: LogSource[], prefix?: string): Promise<LogReport> {
  const a = new LogAnalyzer(await Fingerprinter.create());
  const { reads } = await readLogs(sources, a, prefix === undefined ? {} : { prefix });
  return a.report(reads);
}
const files = (...paths: string[]) => paths.map((p) => hostFileSource(localHost, p));

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));
/** A per-database figure of pgBadger's JSON, summed over its databases. */
const perDb = (j: Json, key: string, pick: (v: Json) => number) => Object.values(obj(j[key])).reduce<number>((s, v) => s + pick(obj(v)), 0);

function pgbadger(file: string, format: string, prefix?: string): Promise<Json> {
  const out = join(dir, `badger-${Math.random().toString(36).slice(2)}.json`);
  // A pid file of its own: pgBadger refuses to start (exit 3, nothing on stderr) while another one runs with the default /tmp/pgbadger.pid.
  const args = [
    '-f',
    format,
    ...(prefix ? ['-p', prefix] : []),
    '-j',
    '1',
    '-q',
    '--pid-dir',
    dir,
    '--pid-file',
    `${basename(out)}.pid`,
    '-o',
    out,
    '-x',
    'json',
    '--',
    file,
  ];
  return new Promise((done, fail) =>
    execFile(PGBADGER, args, { timeout: 120_000 }, (e, _o, err) =>
      e ? fail(new Error(`pgbadger failed: ${err}`)) : done(JSON.parse(readFileSync(out, 'utf8')) as Json),
    ),
  );
}

interface Counts {
  statements: number;
  errors: number;
  fatals: number;
  connections: number;
  disconnections: number;
  checkpoints: number;
  autovacuums: number;
  autoanalyzes: number;
  tempFiles: number;
  lockWaits: number;
}

function badgerCounts(j: Json): Counts {
  return {
    statements: perDb(j, 'overall_stat', (v) => num(v.queries_number)),
    errors: perDb(j, 'logs_type', (v) => num(v.ERROR)),
    fatals: perDb(j, 'logs_type', (v) => num(v.FATAL) + num(v.PANIC)),
    connections: perDb(j, 'connection_info', (v) => num(v.count)),
    disconnections: perDb(j, 'session_info', (v) => num(v.count)),
    checkpoints: Object.values(obj(obj(j.checkpoint_info).starting)).reduce<number>((s, n) => s + num(n), 0),
    autovacuums: perDb(j, 'autovacuum_info', (v) => num(v.count)),
    autoanalyzes: perDb(j, 'autoanalyze_info', (v) => Object.values(obj(v.tables)).reduce<number>((s, t) => s + num(obj(t).analyzes), 0)),
    tempFiles: perDb(j, 'tempfile_info', (v) => num(v.count)),
    lockWaits: perDb(j, 'lock_info', (v) => Object.values(v).reduce<number>((s, t) => s + num(obj(t).count), 0)),
  };
}

const ours = (r: LogReport): Counts => {
  const s = r.summary;
  return {
    statements: s.statements,
    errors: s.errors,
    fatals: s.fatals,
    connections: s.connections,
    disconnections: s.disconnections,
    checkpoints: s.checkpoints,
    autovacuums: s.autovacuums,
    autoanalyzes: s.autoanalyzes,
    tempFiles: s.tempFiles,
    lockWaits: s.lockWaits,
  };
};

describe(`log insights on PostgreSQL ${major}'s own logs`, () => {
  let seed: WorkloadLog;
  let other: WorkloadLog;
  let seedReport: LogReport;

  before(async () => {
    seed = await makeWorkloadLog(major, join(dir, 'seed'));
    other = await makeWorkloadLog(major, join(dir, 'other'), OTHER_PREFIX);
    seedReport = await report(files(seed.stderr));
  });

  test("stderr with the seed's prefix: every condition found, with what a DBA acts on", () => {
    const r = seedReport;
    assert.equal(r.sources[0]?.unplacedLines, 0);
    assert.equal(r.sources[0]?.prefix, SEED_PREFIX);
    const sleep = r.statements.find((s) => s.query === 'SELECT pg_sleep($1::float8), $2::text AS guest');
    assert.equal(sleep?.count, seed.made.slowWithParams);
    // The worst sample is the slowest logged call, with its own parameters: guest k slept 60 + 50·k ms,
    // so its duration is at least that (which guest is slowest is the machine's say under load).
    assert.equal(sleep.worst.durationMs, sleep.maxMs, 'the worst sample is the slowest call');
    const guest = /\$2 = 'guest (\d)'/.exec(sleep.worst.parameters ?? '');
    assert.ok(guest, `the worst sample's parameters: ${sleep.worst.parameters}`);
    assert.ok(sleep.worst.durationMs >= 60 + 50 * Number(guest[1]), `guest ${guest[1]} took ${sleep.worst.durationMs} ms`);
    // And they are that entry's own, as the log has them: its line and the DETAIL line after it.
    const logLines = readFileSync(sleep.worst.file, 'utf8').split('\n');
    const at = sleep.worst.line - 1;
    assert.match(logLines[at] ?? '', /duration: [\d.]+ ms/, `line ${sleep.worst.line}: ${logLines[at]}`);
    assert.ok((logLines[at + 1] ?? '').includes(`'guest ${guest[1]}'`), `the DETAIL after it: ${logLines[at + 1]}`);
    assert.deepEqual(sleep.databases, { hotel: seed.made.slowWithParams });
    assert.ok(sleep.p95Ms <= sleep.maxMs && sleep.p95Ms >= sleep.maxMs * 0.99 - 0.01);
    for (const p of [
      'division by zero',
      'relation "…" does not exist at character …',
      'syntax error at or near "…" at character …',
      'duplicate key value violates unique constraint "…"',
    ])
      assert.ok(
        r.errors.some((e) => e.level === 'ERROR' && e.pattern === p),
        p,
      );
    const dl = r.locks.find((l) => l.kind === 'deadlock');
    assert.ok(dl?.query && dl.blockers[0]?.query, 'a deadlock with both queries');
    assert.notEqual(dl.query, dl.blockers[0].query);
    const wait = r.locks.find((l) => l.kind === 'waiting');
    assert.equal(wait?.query, 'UPDATE rooms SET note = $1 WHERE id = 1');
    assert.equal(wait.blockers.length, 1);
    const auth = r.connections.authFailures.find((a) => a.address === '127.0.0.1');
    assert.equal(auth?.reasons['password authentication failed'], seed.made.failedPasswords);
    assert.equal(auth.reasons['database does not exist'], seed.made.missingDatabase);
    assert.equal(r.connections.tooManyClients.count, seed.made.tooManyClients);
    assert.ok(r.tempFiles[0]?.query.startsWith('SELECT g FROM generate_series'));
    assert.ok(r.checkpoints.some((c) => c.trigger === 'requested' && c.buffers !== undefined && c.distanceKb !== undefined));
    const rooms = r.autovacuum.find((v) => v.table === 'hotel.public.rooms');
    assert.ok(rooms && rooms.vacuums >= 1 && rooms.tuplesRemoved >= 1900, 'the DELETE of 1,900 rows vacuumed');
    assert.ok(r.summary.first && r.summary.last && r.summary.first < r.summary.last);
    assert.ok(r.findings.some((f) => f.code === 'LOG-DEADLOCK' && f.level === 'warning'));
  });

  test("pgBadger counts the same on the seed's prefix and another one", { skip: noBadger }, async () => {
    for (const [w, prefix] of [
      [seed, SEED_PREFIX],
      [other, OTHER_PREFIX],
    ] as const) {
      const b = await pgbadger(w.stderr, 'stderr', prefix);
      const r = w === seed ? seedReport : await report(files(w.stderr));
      assert.equal(r.sources[0]?.prefix, prefix, 'the prefix found from the lines');
      assert.deepEqual(ours(r), badgerCounts(b), prefix);
      // Defined differently: pgBadger's errors_number also counts LOG lines it files as events
      // ("still waiting for …", "database system was shut down at …"); ours are the ERROR, FATAL
      // and PANIC lines, which is what logs_type counts.
      const logEvents = Object.values(obj(Object.values(obj(b.error_info))[0]))
        .map(obj)
        .filter((e) => String((e.error as unknown[])[0]).startsWith('LOG:'))
        .reduce((s, e) => s + num(e.count), 0);
      assert.equal(
        perDb(b, 'overall_stat', (v) => num(v.errors_number)),
        r.summary.errors + r.summary.fatals + logEvents,
      );
    }
  });

  test('csvlog and jsonlog (15+) give the report stderr gives, with SQLSTATEs', async () => {
    const csv = await report(files(seed.csvlog));
    assert.deepEqual(csv.summary, seedReport.summary);
    assert.equal(csv.errors.find((e) => e.pattern === 'division by zero')?.sqlstate, '22012');
    assert.equal(csv.errors.find((e) => e.level === 'FATAL' && /password/.test(e.pattern))?.sqlstate, '28P01');
    if (seed.jsonlog) {
      const json = await report(files(seed.jsonlog));
      assert.equal(json.sources[0]?.format, 'jsonlog');
      assert.deepEqual(json.summary, seedReport.summary);
      assert.deepEqual(
        json.statements.map((s) => [s.id, s.count]),
        seedReport.statements.map((s) => [s.id, s.count]),
      );
    }
  });

  test('the CLI: the JSON the issue gives, exit 1 at a warning, --state goes on from where it stopped', async () => {
    const cli = await buildCliBundle(join(dir, 'cli', 'pgdba.js'));
    const copy = join(dir, 'follow.log');
    copyFileSync(seed.stderr, copy);
    const state = join(dir, 'state.json');
    const run = (args: string[]) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, [cli, 'logs', ...args], { encoding: 'utf8', timeout: 60_000 }) };
      } catch (e) {
        const x = e as { status: number; stdout: string };
        return { code: x.status, out: x.stdout };
      }
    };
    const first = run(['--format', 'json', '--state', state, copy]);
    assert.equal(first.code, 1, 'a deadlock is a warning');
    const j = JSON.parse(first.out) as LogReport;
    for (const k of ['summary', 'statements', 'errors', 'connections', 'checkpoints', 'autovacuum', 'tempFiles', 'locks']) assert.ok(k in j, k);
    for (const k of [
      'entries',
      'statements',
      'errors',
      'fatals',
      'connections',
      'disconnections',
      'checkpoints',
      'autovacuums',
      'autoanalyzes',
      'tempFiles',
      'lockWaits',
      'deadlocks',
      'first',
      'last',
    ])
      assert.ok(k in j.summary, `summary.${k}`);
    assert.deepEqual(j.summary, seedReport.summary);
    const again = run(['--format', 'json', '--state', state, copy]);
    assert.equal((JSON.parse(again.out) as LogReport).summary.entries, 0, 'nothing new');
    assert.equal(again.code, 0);
    const since = run(['--format', 'json', '--since', '2999-01-01T00:00Z', seed.stderr]);
    assert.equal((JSON.parse(since.out) as LogReport).summary.entries, 0);
    const md = run(['--format', 'md', seed.stderr]);
    assert.match(md.out, /## Slow statements/);
    const html = run(['--format', 'html', seed.stderr]);
    assert.match(html.out, /^<!doctype html>/);
    assert.doesNotMatch(html.out, /<script|https?:\/\//);
    const bad = run(['--format', 'xml', seed.stderr]);
    assert.equal(bad.code, 2);
  });
});

describe('the SQL source and a real PgBouncer', () => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  test('pg_ls_logdir + pg_read_binary_file read what the file holds, and a second read only what came after', async () => {
    const server = await startPgServer({
      major,
      fast: true,
      settings: { logging_collector: 'on', log_directory: 'log', log_filename: 'pg.log', log_line_prefix: SEED_PREFIX, log_min_duration_statement: 0 },
    });
    cleanup.push(() => server.stop());
    const pool = new pg.Pool({ connectionString: server.url, max: 1, connectionTimeoutMillis: 10_000, query_timeout: 30_000 });
    pool.on('error', () => undefined); // the server stops after the test; an idle client's loss is no failure
    try {
      /** The logging collector writes what the backends send it a moment later: wait until the file holds `count` of them. */
      const logged = async (count: number) => {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const text = (await pool.query<{ t: string }>("SELECT pg_read_file(current_setting('log_directory') || '/pg.log') AS t")).rows[0]?.t ?? '';
          if ((text.match(/statement: SELECT \d AS n$/gm) ?? []).length >= count) return;
          if (Date.now() > deadline) throw new Error(`the log did not hold ${count} statements within 30 s`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      for (let i = 0; i < 5; i++) await pool.query(`SELECT ${i} AS n`);
      await logged(5);
      const names = (await listSqlLogFiles(pool)).map((f) => f.name);
      assert.deepEqual(names, ['pg.log']);
      const a = new LogAnalyzer(await Fingerprinter.create());
      const first = await readLogs([sqlFileSource(pool, 'pg.log')], a, { prefix: SEED_PREFIX });
      const viaSql = a.report(first.reads);
      assert.equal(viaSql.sources[0]?.label, 'sql:pg.log');
      const n = viaSql.statements.find((s) => s.query === 'SELECT $1 AS n');
      assert.equal(n?.count, 5);
      for (let i = 0; i < 3; i++) await pool.query(`SELECT ${i} AS n`);
      await logged(8);
      const b = new LogAnalyzer(await Fingerprinter.create());
      const second = await readLogs([sqlFileSource(pool, 'pg.log')], b, { prefix: SEED_PREFIX, cursors: new Map(first.cursors.map((c) => [c.label, c])) });
      const r2 = b.report(second.reads);
      assert.ok(r2.summary.statements >= 3 && r2.summary.statements < viaSql.summary.statements + 3, 'only what came after the first read');
      assert.equal(r2.statements.find((s) => s.query === 'SELECT $1 AS n')?.count, 3);
      // A role that may not read the log is told so, in words.
      await pool.query("CREATE ROLE reader LOGIN PASSWORD 'reader'");
      const reader = new pg.Client({
        host: '127.0.0.1',
        port: server.port,
        user: 'reader',
        password: 'reader',
        database: 'postgres',
        connectionTimeoutMillis: 10_000,
      });
      await reader.connect();
      try {
        await assert.rejects(listSqlLogFiles(reader), /pg_ls_logdir\(\) needs superuser, pg_monitor/);
        // pg_monitor lists the files, pg_read_server_files does not open pg_stat_file: said, in words.
        await pool.query('GRANT pg_monitor, pg_read_server_files TO reader');
        assert.deepEqual(
          (await listSqlLogFiles(reader)).map((f) => f.name),
          ['pg.log'],
        );
        await assert.rejects(
          sqlFileSource(reader, 'pg.log').stat(),
          /^Error: this role may not read the log: pg_stat_file\(\) needs superuser or GRANT EXECUTE$/,
        );
        // What pgdba tells a DBA to grant is enough to read the log through SQL.
        await pool.query(sqlLogGrant('reader'));
        const c = new LogAnalyzer(await Fingerprinter.create());
        const granted = c.report((await readLogs([sqlFileSource(reader, 'pg.log')], c, { prefix: SEED_PREFIX })).reads);
        assert.equal(granted.statements.find((s) => s.query === 'SELECT $1 AS n')?.count, 8);
      } finally {
        await reader.end();
      }
    } finally {
      await pool.end();
    }
  });

  test("a real PgBouncer's log: logins, pooler errors, stats lines", { skip: pgbouncerMissing() }, async () => {
    const server = await startPgServer({ major, fast: true });
    cleanup.push(() => server.stop());
    const bouncer = await startPgbouncer(server, 'transaction', { statsPeriod: 1 });
    cleanup.push(() => bouncer.stop());
    const via = (db: string) => new pg.Client({ host: '127.0.0.1', port: bouncer.port, user: server.user, database: db, connectionTimeoutMillis: 10_000 });
    for (let i = 0; i < 3; i++) {
      const c = via('postgres');
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
    }
    const bad = via('no_such_db');
    await assert.rejects(bad.connect());
    await bad.end().catch(() => undefined);
    const deadline = Date.now() + 15_000;
    while (!/stats: /.test(readFileSync(bouncer.logFile, 'utf8')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const copy = join(dir, 'pgbouncer.log');
    copyFileSync(bouncer.logFile, copy);
    const r = await report(files(copy));
    const b = r.pgbouncer!;
    assert.equal(r.sources[0]?.format, 'pgbouncer');
    assert.equal(r.sources[0]?.unplacedLines, 0);
    assert.ok(b.logins >= 4, `logins ${b.logins}`);
    assert.ok(
      b.poolErrors.some((e) => /no_such_db|does not exist/.test(e.sample.message)),
      JSON.stringify(b.poolErrors),
    );
    assert.ok(b.stats.length >= 1);
  });
});
