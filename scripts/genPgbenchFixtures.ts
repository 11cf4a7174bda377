// Captures real pgbench output for the load-test parsers' unit tests, into test/fixtures/pgbench/:
// the init's stderr, a short run's progress (stderr), summary (stdout) and per-transaction log,
// and a run of a serialisable script that produces failed transactions.
//   tsx scripts/genPgbenchFixtures.ts        (starts a throw-away PostgreSQL 16)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startPgServer } from './lib/pgServer';
import { runLoadTest } from '../src/core/loadtest/runLoadTest';
import { serialiseRun } from '../src/core/loadtest/savedRun';
import { parseConnectionUrl } from '../src/core/db/connection';
import pg from 'pg';

const OUT = resolve(__dirname, '..', 'test', 'fixtures', 'pgbench');
const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench';

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const server = await startPgServer({ major: 16, fast: true });
  const env = {
    ...process.env,
    PGHOST: server.host,
    PGPORT: String(server.port),
    PGUSER: server.user,
    PGPASSWORD: server.password,
    PGDATABASE: server.database,
    LC_MESSAGES: 'C',
  };
  const run = (name: string, args: string[], hangsAfterSeconds?: number) => {
    // A guard: pgbench 15 was seen to hang past -T when transactions fail (see below).
    const r = spawnSync(PGBENCH, args, { env, encoding: 'utf8', timeout: (hangsAfterSeconds ?? 60) * 1000, killSignal: 'SIGKILL' });
    if (r.status !== 0 && hangsAfterSeconds === undefined) throw new Error(`pgbench ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    writeFileSync(join(OUT, `${name}.stderr.txt`), r.stderr);
    writeFileSync(join(OUT, `${name}.stdout.txt`), r.stdout);
  };
  const logs = mkdtempSync(join(tmpdir(), 'pgdba-pgbench-'));
  try {
    run('init', ['-i', '-s', '2']);
    run('run', ['-c', '4', '-j', '2', '-T', '3', '-P', '1', '-l', `--log-prefix=${join(logs, 'run')}`]);
    // Every log file of the run (one per thread), concatenated in thread order.
    const files = readdirSync(logs)
      .filter((f) => f.startsWith('run.'))
      .sort();
    writeFileSync(join(OUT, 'run.log.txt'), files.map((f) => readFileSync(join(logs, f), 'utf8')).join(''));
    // Repeatable-read updates of one row by 4 clients: serialization failures, counted as
    // failed. pgbench 15.18 reports them each second, then hangs past -T (so do -t and a
    // SERIALIZABLE write-skew script): the run is killed after 6 s and only its progress kept.
    // The load test's watchdog exists because of this.
    const script = join(logs, 'conflict.sql');
    writeFileSync(
      script,
      'BEGIN ISOLATION LEVEL REPEATABLE READ;\nSELECT sum(abalance) FROM pgbench_accounts WHERE aid <= 100;\nUPDATE pgbench_branches SET bbalance = bbalance + 1 WHERE bid = 1;\nEND;\n',
    );
    run('failures-hang', ['-c', '4', '-j', '2', '-T', '2', '-P', '1', '-f', script, '--max-tries=1'], 6);
    // Two recorded runs through pgdba's own runner, before and after a configuration change, for
    // the panel's browser test and screenshots.
    const target = parseConnectionUrl(server.url);
    const opts = { target, scale: 2, clients: 8, threads: 2, durationSeconds: 8, name: 'fixture' };
    writeFileSync(join(OUT, 'run-before.json'), serialiseRun(await runLoadTest(opts)));
    const c = new pg.Client(server.url);
    await c.connect();
    await c.query("ALTER SYSTEM SET work_mem = '16MB'");
    await c.query('ALTER SYSTEM SET commit_delay = 1000');
    await c.query('SELECT pg_reload_conf()');
    await c.end();
    writeFileSync(join(OUT, 'run-after.json'), serialiseRun(await runLoadTest(opts)));
    console.log(`fixtures in ${OUT} (pgbench ${spawnSync(PGBENCH, ['--version'], { encoding: 'utf8' }).stdout.trim()}, server ${server.major})`);
  } finally {
    rmSync(logs, { recursive: true, force: true });
    await server.stop();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
