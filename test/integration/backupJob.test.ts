// The one backup job through every step, on a real PostgreSQL 15 with the real pg_dump and
// pg_restore and the local fake Drive: dump → verify → retention → upload (+ Drive retention) →
// manifest, in that order; and Cancel between steps stops before the next one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDrive, listDriveFolder } from '../../src/core/backup/driveClient';
import { runBackupJob, type BackupJobStep } from '../../src/core/backup/job';
import { readManifest } from '../../src/core/backup/manifest';
import { CancelledError } from '../../src/core/pgtools/proc';
import { parseConnectionUrl, type PgConnection } from '../../src/core/db/connection';
import { startFakeDrive, type FakeDrive } from '../support/fakeDrive';
import type { TestServer } from '../support/testServer';
import { sql, startBackupServer } from './backupSupport';

let server: TestServer;
let fake: FakeDrive;
let dir: string;
let target: PgConnection;

before(async () => {
  server = await startBackupServer();
  await sql(server.urlFor('postgres'), 'CREATE DATABASE jobdb');
  await sql(
    server.urlFor('jobdb'),
    'CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 2000) g; ANALYZE',
  );
  target = parseConnectionUrl(server.urlFor('jobdb'));
  fake = await startFakeDrive();
  dir = mkdtempSync(join(tmpdir(), 'pgdba-job-test-'));
});
after(async () => {
  await fake.stop();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const drive = (keep?: number) => ({
  open: () => openDrive({ accessToken: fake.token, rootUrl: fake.rootUrl }),
  folderId: 'job-folder',
  keep,
  upload: { chunkSize: 256 * 1024, backoffMs: 5 },
});

test('every step in order: the older backup goes locally and on Drive, the manifest holds the verdict and the Drive copy', async () => {
  const first = await runBackupJob({ target, dir, drive: drive(), now: new Date(2025, 0, 1, 2, 0, 0) });
  assert.ok(existsSync(first.path));
  assert.equal(first.verification, undefined, 'verify none: no verdict');
  const steps: BackupJobStep[] = [];
  const dumped: number[] = [];
  let verifyMessages = 0;
  let uploaded = 0;
  let changes = 0;
  const r = await runBackupJob(
    { target, dir, verify: 'quick', keepLocal: 1, drive: drive(1), now: new Date(2025, 0, 2, 2, 0, 0) },
    {
      onStep: (s) => steps.push(s),
      onDumpProgress: (p) => dumped.push(p.bytesWritten),
      onVerifyProgress: () => verifyMessages++,
      onUploadProgress: (p) => (uploaded = p.bytesSent),
      onChange: () => changes++,
    },
  );
  assert.deepEqual(steps, ['dump', 'verify', 'retention', 'upload', 'manifest']);
  assert.ok(dumped.length > 0 && verifyMessages > 0);
  assert.equal(r.verification?.ok, true, r.verification?.reason);
  assert.deepEqual(
    r.retention?.remove.map((b) => b.file),
    [first.manifest.file],
    'keep 1: the older local backup removed',
  );
  assert.deepEqual(readdirSync(dir).sort(), [r.manifest.file, `${r.manifest.file}.manifest.json`, 'jobdb.last-run.json']); // and the run's status record
  assert.equal(uploaded, r.manifest.dump!.sizeBytes);
  assert.deepEqual(
    r.drive?.removed.map((f) => f.name),
    [first.manifest.file],
    'Drive keep 1: the older copy removed there too',
  );
  const session = await drive().open();
  assert.deepEqual(
    (await listDriveFolder(session, 'job-folder')).map((f) => f.name),
    [r.manifest.file],
  );
  const m = await readManifest(r.path);
  assert.equal(m?.verification?.ok, true);
  assert.equal(m?.drive?.fileId, r.drive?.file.id);
  assert.equal(m?.drive?.md5Checksum, r.drive?.file.md5Checksum);
  assert.deepEqual(r.manifest, m, 'the result carries the final manifest');
  assert.equal(changes, 4, 'dump, verdict, removal, upload each told the listeners');
});

test('Cancel between steps: no later step runs (nothing uploaded), CancelledError', async () => {
  const ac = new AbortController();
  const before = (await listDriveFolder(await drive().open(), 'job-folder')).length;
  const steps: BackupJobStep[] = [];
  await assert.rejects(
    runBackupJob(
      { target, dir, verify: 'quick', keepLocal: 5, drive: drive(), signal: ac.signal, now: new Date(2025, 0, 3, 2, 0, 0) },
      {
        onStep: (s) => {
          steps.push(s);
          if (s === 'retention') ac.abort();
        },
      },
    ),
    (e) => e instanceof CancelledError,
  );
  assert.deepEqual(steps, ['dump', 'verify', 'retention']);
  assert.equal((await listDriveFolder(await drive().open(), 'job-folder')).length, before, 'no upload after Cancel');
});
