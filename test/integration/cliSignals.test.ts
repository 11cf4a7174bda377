// SIGTERM and SIGINT sent to a real `pgdba` process mid-job (pg_restore of a full verification,
// pg_dump of a backup): the job ends with its clean-up and exits 128 + the signal. Nothing is
// left: no scratch database, no lock, no unpacked copy, no pg_restore or pg_dump process; a
// backup leaves its status record, "cancelled".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { runBackup } from '../../src/core/backup/backup';
import type { BackupRunStatus } from '../../src/core/backup/runStatus';
import { parseConnectionUrl } from '../../src/core/db/connection';
import { buildCliBundle } from '../support/cliBundle';
import { tempDir } from '../support/tempDir';
import type { TestServer } from '../support/testServer';
import { sql, startBackupServer } from './backupSupport';

let server: TestServer;
const root = tempDir('signals');
let cliPath: string;
let backup: string;

before(async () => {
  cliPath = await buildCliBundle(join(root, 'pgdba.cjs'));
  server = await startBackupServer();
  await sql(server.urlFor('postgres'), 'CREATE DATABASE "slowrestore"');
  // Each restored row passes a CHECK that sleeps: pg_restore stays in its COPY until killed. The
  // function sleeps only once redefined, after the row went in.
  await sql(
    server.urlFor('slowrestore'),
    `CREATE FUNCTION "gate"(int) RETURNS boolean LANGUAGE sql AS 'SELECT true';
     CREATE TABLE "held" ("id" int CHECK ("gate"("id")));
     INSERT INTO "held" VALUES (1);
     CREATE OR REPLACE FUNCTION "gate"(int) RETURNS boolean LANGUAGE sql AS 'SELECT true FROM pg_sleep(600)';`,
  );
  backup = (await runBackup({ target: parseConnectionUrl(server.urlFor('slowrestore')), dir: join(root, 'backups') })).path; // .dump.zst: an unpacked copy
});
const started: ChildProcess[] = [];
after(async () => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); // a failed test's CLI
  await server?.stop();
});

/** Until a session running this statement shows in pg_stat_activity, waiting on waitEvent (the
 *  tools run as application_name pgdba, so the statement tells them apart). */
async function sessionRunning(statement: string, waitEvent: string): Promise<void> {
  for (;;) {
    const rows = await sql(server.url, `SELECT 1 FROM pg_stat_activity WHERE query LIKE '${statement}%' AND wait_event = '${waitEvent}'`);
    if (rows.length) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function processesOf(tool: string, arg: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout.split('\n');
  return ps.filter((l) => l.startsWith(tool) || l.includes(`/${tool} `)).filter((l) => l.includes(arg));
}

function startCli(args: string[]) {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { ...process.env, PGDBA_URL: server.urlFor('postgres') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  started.push(child);
  return { child, exited, stderr: () => stderr };
}

for (const [signal, code] of [
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const) {
  test(`${signal} mid-pg_restore of verify --full: exit ${code}, no scratch database, lock, unpacked copy or pg_restore left`, async () => {
    const run = startCli(['verify', backup, '--full']);
    await sessionRunning('COPY public.held', 'PgSleep');
    run.child.kill(signal);
    assert.equal(await run.exited, code, run.stderr());
    assert.match(run.stderr(), /cancelled/);
    const scratch = await sql(server.url, `SELECT datname FROM pg_database WHERE datname LIKE 'slowrestore\\_verify\\_%'`);
    assert.deepEqual(scratch, []);
    assert.deepEqual(readdirSync(join(root, 'backups')).sort(), [backup.split('/').pop(), `${backup.split('/').pop()}.manifest.json`].sort());
    assert.ok(!existsSync(`${backup}.verifying.lock`));
    assert.deepEqual(processesOf('pg_restore', backup.split('/').pop()!.replace('.zst', '')), []);
    const sessions = await sql(server.url, `SELECT pid FROM pg_stat_activity WHERE query LIKE 'COPY public.held%' AND state = 'active'`);
    assert.deepEqual(sessions, []);
  });
}

test('SIGTERM mid-pg_dump of backup: exit 143 at once, no file, no pg_dump left', async () => {
  const dir = join(root, 'dumping');
  // pg_dump waits for this lock; the test's session holds it until the CLI has ended.
  const c = new pg.Client({ connectionString: server.urlFor('slowrestore') });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query('LOCK TABLE "held" IN ACCESS EXCLUSIVE MODE');
    const run = startCli(['backup', '--db', 'slowrestore', '--dir', dir]);
    await sessionRunning('LOCK TABLE public.held', 'relation');
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 143, run.stderr());
    // No backup and no temp: only the run's status record, which says it was stopped.
    assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], ['slowrestore.last-run.json']);
    const status = JSON.parse(readFileSync(join(dir, 'slowrestore.last-run.json'), 'utf8')) as BackupRunStatus;
    assert.equal(status.result, 'cancelled');
    assert.match(status.error ?? '', /SIGTERM received/);
    assert.equal(status.backup, undefined);
    assert.equal(statSync(join(dir, 'slowrestore.last-run.json')).mode & 0o777, 0o600);
    assert.deepEqual(processesOf('pg_dump', 'slowrestore'), []);
  } finally {
    await c.query('ROLLBACK');
    await c.end();
  }
});
