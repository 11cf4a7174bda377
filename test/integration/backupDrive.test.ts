// Drive upload / list / download / delete against the local fake, with faults: a connection
// dropped mid-chunk and a 503 must cost a retry, never a corrupt or missing file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeDrive, type FakeDrive } from '../support/fakeDrive';
import {
  applyDriveRetention,
  deleteDriveFile,
  downloadBackup,
  listDriveFolder,
  openDrive,
  uploadBackup,
  type DriveSession,
} from '../../src/core/backup/driveClient';

let fake: FakeDrive;
let drive: DriveSession;
let dir: string;
let file: string;
const CHUNK = 256 * 1024;

before(async () => {
  fake = await startFakeDrive();
  drive = await openDrive({ accessToken: fake.token, rootUrl: fake.rootUrl });
  dir = mkdtempSync(join(tmpdir(), 'pgdba-drive-test-'));
  file = join(dir, 'hotel-2025-01-02_02-00-00.dump.zst');
  writeFileSync(file, randomBytes(CHUNK * 3 + 12345)); // 4 chunks, the last one short
});
after(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

const md5 = (p: string) => createHash('md5').update(readFileSync(p)).digest('hex');

test('upload in chunks; md5 matches; list finds it in the folder', async () => {
  const up = await uploadBackup(drive, file, 'folder-1', { chunkSize: CHUNK, backoffMs: 5 });
  assert.equal(up.md5Checksum, md5(file));
  assert.equal(fake.log.filter((l) => l.startsWith('put ')).length, 4);
  const list = await listDriveFolder(drive, 'folder-1');
  assert.deepEqual(
    list.map((f) => f.name),
    ['hotel-2025-01-02_02-00-00.dump.zst'],
  );
  assert.ok(fake.log.includes("list 'folder-1' in parents and trashed=false"));
  assert.equal((await listDriveFolder(drive, 'other-folder')).length, 0);
});

test('a connection dropped mid-chunk and a 503 are retried; the upload resumes where Drive stands', async () => {
  fake.log.length = 0;
  fake.faults.dropMidChunk = 1;
  fake.faults.fail503 = 1;
  let retries = 0;
  const up = await uploadBackup(drive, file, 'folder-2', { chunkSize: CHUNK, backoffMs: 5, onProgress: (p) => (retries = p.retries) });
  assert.equal(up.md5Checksum, md5(file));
  assert.ok(fake.log.includes('503') && fake.log.includes('drop') && fake.log.includes('status'), fake.log.join(', '));
  assert.equal(retries, 2);
  const stored = fake.files.get(up.id)!;
  assert.equal(md5(stored.path), md5(file));
});

test('download streams to disk atomically and is checked against md5Checksum', async () => {
  const [f] = await listDriveFolder(drive, 'folder-1');
  const dest = join(dir, 'down', 'copy.dump.zst');
  await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'down')));
  const umask = process.umask(0o022); // the common default, which made backups world-readable
  try {
    await downloadBackup(drive, f!.id, dest);
  } finally {
    process.umask(umask);
  }
  assert.equal(md5(dest), md5(file));
  assert.equal(statSync(dest).mode & 0o777, 0o600, "a downloaded backup is the owner's alone");
  fake.corrupt(f!.id);
  const dest2 = join(dir, 'down', 'bad.dump.zst');
  await assert.rejects(downloadBackup(drive, f!.id, dest2), /damaged: md5/);
  assert.deepEqual(readdirSync(join(dir, 'down')), ['copy.dump.zst'], 'no partial file left');
});

test('delete, and optional retention on Drive keeps the newest N per database', async () => {
  for (const stamp of ['2025-01-03_02-00-00', '2025-01-04_02-00-00']) {
    const p = join(dir, `hotel-${stamp}.dump.zst`);
    writeFileSync(p, randomBytes(1000));
    await uploadBackup(drive, p, 'folder-1', { chunkSize: CHUNK });
  }
  writeFileSync(join(dir, 'notes.txt'), 'x');
  await uploadBackup(drive, join(dir, 'notes.txt'), 'folder-1');
  const removed = await applyDriveRetention(drive, 'folder-1', 2);
  assert.deepEqual(
    removed.map((f) => f.name),
    ['hotel-2025-01-02_02-00-00.dump.zst'],
  );
  const names = (await listDriveFolder(drive, 'folder-1')).map((f) => f.name);
  assert.deepEqual(names, ['notes.txt', 'hotel-2025-01-04_02-00-00.dump.zst', 'hotel-2025-01-03_02-00-00.dump.zst']);
  const notes = (await listDriveFolder(drive, 'folder-1')).find((f) => f.name === 'notes.txt')!;
  await deleteDriveFile(drive, notes.id);
  assert.equal((await listDriveFolder(drive, 'folder-1')).length, 2);
});

test('wrong credentials give a clear error', async () => {
  const bad = await openDrive({ accessToken: 'nope', rootUrl: fake.rootUrl });
  await assert.rejects(listDriveFolder(bad, 'folder-1'), /Invalid Credentials/);
});
