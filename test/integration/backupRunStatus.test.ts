// The status record every backup job leaves beside the backups (runStatus.ts), on a real
// PostgreSQL 15 with the real pg_dump: a success names its backup, a failure (a database that
// does not exist) says why in words, a failed verification is a failed run; each record 0600,
// written whole (no temp left), read back by the health report's last-run finding. The SIGTERM
// cancel of `pgdba backup` is in cliSignals.test.ts (a real signal to the real CLI).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBackupJob } from '../../src/core/backup/job';
import { readRunStatus, runStatusFile } from '../../src/core/backup/runStatus';
import { parseConnectionUrl } from '../../src/core/db/connection';
import { lastRunFinding } from '../../src/core/health/backupCheck';
import { tempDir } from '../support/tempDir';
import type { TestServer } from '../support/testServer';
import { sql, startBackupServer } from './backupSupport';

let server: TestServer;

before(async () => {
  server = await startBackupServer();
  await sql(server.urlFor('postgres'), 'CREATE DATABASE statusdb');
  await sql(server.urlFor('statusdb'), 'CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100)');
});
after(async () => {
  await server?.stop();
});

const temps = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

test('a run that succeeds records its start, end, result and backup, 0600, and the health report says so', async (t) => {
  const dir = tempDir('status-ok', t);
  const before = Date.now();
  const r = await runBackupJob({ target: parseConnectionUrl(server.urlFor('statusdb')), dir, verify: 'quick' });
  assert.equal(r.statusPath, join(dir, runStatusFile('statusdb')));
  const read = await readRunStatus(dir, 'statusdb');
  assert.equal(read.state, 'ok');
  if (read.state !== 'ok') return;
  const s = read.status;
  assert.equal(s.result, 'succeeded');
  assert.equal(s.backup, r.path.slice(dir.length + 1));
  assert.equal(s.error, undefined);
  assert.ok(Date.parse(s.startedAt) >= before - 1000 && Date.parse(s.endedAt) >= Date.parse(s.startedAt));
  assert.deepEqual(s.server, { host: '127.0.0.1', port: parseConnectionUrl(server.url).port });
  assert.equal(statSync(r.statusPath).mode & 0o777, 0o600);
  assert.deepEqual(temps(dir), []);
  const f = lastRunFinding(read, dir, 'statusdb', new Date(2026, 11, 1, 15, 0));
  assert.equal(f.level, 'ok');
  assert.match(f.why, /next due 2026-12-02 02:00/);
});

test('a run that fails (the database does not exist) records the failure in words; the old record is replaced whole', async (t) => {
  const dir = tempDir('status-fail', t);
  writeFileSync(join(dir, runStatusFile('nosuchdb')), '{"an": "older record"}\n');
  await assert.rejects(runBackupJob({ target: parseConnectionUrl(server.urlFor('nosuchdb')), dir }), /nosuchdb/);
  const read = await readRunStatus(dir, 'nosuchdb');
  assert.equal(read.state, 'ok', JSON.stringify(read));
  if (read.state !== 'ok') return;
  assert.equal(read.status.result, 'failed');
  assert.match(read.status.error ?? '', /database "nosuchdb" does not exist/i);
  assert.equal(read.status.backup, undefined);
  assert.deepEqual(temps(dir), []);
  assert.deepEqual(readdirSync(dir), [runStatusFile('nosuchdb')]);
  const f = lastRunFinding(read, dir, 'nosuchdb', new Date());
  assert.equal(f.level, 'critical');
  assert.match(f.why, /The last run failed: .*does not exist/);
});

test('a run whose verification fails is a failed run, with the verdict as its error', async (t) => {
  const dir = tempDir('status-verify', t);
  // The archive is damaged between the dump and its quick verification (the step's hook runs first).
  const r = await runBackupJob(
    { target: parseConnectionUrl(server.urlFor('statusdb')), dir, verify: 'quick' },
    {
      onStep: (step) => {
        if (step !== 'verify') return;
        const file = readdirSync(dir).find((n) => /\.dump(\.zst)?$/.test(n));
        if (file) appendFileSync(join(dir, file), 'damage');
      },
    },
  );
  assert.equal(r.verification?.ok, false);
  const read = await readRunStatus(dir, 'statusdb');
  assert.equal(read.state, 'ok');
  if (read.state !== 'ok') return;
  assert.equal(read.status.result, 'failed');
  assert.match(read.status.error ?? '', /^quick verification failed: /);
  assert.equal(read.status.backup, r.path.slice(dir.length + 1));
});
