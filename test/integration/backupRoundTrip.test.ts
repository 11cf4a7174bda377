// Real pg_dump / pg_restore on a real PostgreSQL 15: a database of many kinds backed up,
// verified, restored under a new name and compared table by table; the seed's own
// `pg_dump -Fc | gzip` file listed, verified and restored; the CLI run as a process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runBackup } from '../../src/core/backup/backup';
import { verifyBackup } from '../../src/core/backup/verify';
import { restoreBackup } from '../../src/core/backup/restore';
import { listLocalBackups } from '../../src/core/backup/listing';
import { readManifest } from '../../src/core/backup/manifest';
import { parseConnectionUrl, withDatabase, type PgConnection } from '../../src/core/db/connection';
import type { TestServer } from '../support/testServer';
import { createVarietyDatabase, databases, fingerprint, startBackupServer } from './backupSupport';

let server: TestServer;
let dir: string;
let target: PgConnection;
let backupPath: string;

before(async () => {
  server = await startBackupServer();
  await createVarietyDatabase(server, 'hotel');
  target = parseConnectionUrl(server.urlFor('hotel'));
  dir = mkdtempSync(join(tmpdir(), 'pgdba-backup-test-'));
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('backup: one atomic .dump.zst with a manifest; progress as plain data; no password anywhere', async () => {
  const events: { bytesWritten: number; tablesDumped: number }[] = [];
  const r = await runBackup({ target, dir, onProgress: (p) => events.push(p) });
  backupPath = r.path;
  assert.match(r.path, /\/hotel-\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.dump\.zst$/);
  const d = r.manifest.dump!;
  assert.equal(d.compression.method, 'zstd-pipe');
  assert.equal(d.server.major, 15);
  assert.match(d.pgDumpVersion, /^15\./);
  assert.match(d.sha256, /^[0-9a-f]{64}$/);
  assert.ok(d.tables.some((t) => t.name === 'reservations_2025_q1' && t.rowEstimate > 0));
  assert.ok(events.length >= 2 && events.at(-1)!.bytesWritten === d.sizeBytes);
  assert.ok(events.at(-1)!.tablesDumped >= d.tables.length);
  assert.deepEqual(readdirSync(dir).sort(), [r.manifest.file, `${r.manifest.file}.manifest.json`]);
  const manifestText = JSON.stringify(await readManifest(r.path));
  assert.ok(!manifestText.includes(server.server!.password), 'the password is not in the manifest');
});

test('verify quick and full: the result lands in the manifest; the scratch database is dropped', async () => {
  const q = await verifyBackup({ file: backupPath });
  assert.equal(q.ok, true, q.reason);
  assert.ok((q.tocEntries ?? 0) > 20);
  const f = await verifyBackup({ file: backupPath, full: true, target });
  assert.equal(f.ok, true, f.reason);
  assert.equal(f.reference, 'live');
  assert.ok(f.tables!.some((t) => t.name === 'kinds' && t.rows === 500 && t.expected === 500));
  assert.equal((await readManifest(backupPath))?.verification?.kind, 'full');
  assert.ok(!(await databases(server.url)).some((d) => d.includes('_verify_')));
  assert.deepEqual(
    (await listLocalBackups(dir)).map((b) => b.verification),
    ['verified'],
  );
});

test('restore to a new name: every table, the sequence, the large object, view and function equal', async () => {
  const r = await restoreBackup({ file: backupPath, target: withDatabase(target, 'hotel_copy'), jobs: 2 });
  assert.equal(r.jobs, 2);
  assert.ok(r.sampleCounts.length > 0 && r.sampleCounts.every((t) => t.rows > 0));
  const [a, b] = await Promise.all([fingerprint(server.urlFor('hotel')), fingerprint(server.urlFor('hotel_copy'))]);
  assert.ok(Object.keys(a.tables).includes('public.reservations_2025_q1'));
  assert.deepEqual(b, a);
});

test('restore over an existing name: refused without the typed name; with it, a safety backup first', async () => {
  const before = await fingerprint(server.urlFor('hotel_copy'));
  await assert.rejects(
    restoreBackup({ file: backupPath, target: withDatabase(target, 'hotel_copy') }),
    /exists: restore to a new name, or replace it with --confirm hotel_copy/,
  );
  await assert.rejects(
    restoreBackup({ file: backupPath, target: withDatabase(target, 'hotel_copy'), mode: 'replace', confirmedName: 'hotel' }),
    /needs its name typed to confirm/,
  );
  assert.deepEqual(await fingerprint(server.urlFor('hotel_copy')), before, 'untouched');
  const r = await restoreBackup({
    file: backupPath,
    target: withDatabase(target, 'hotel_copy'),
    mode: 'replace',
    confirmedName: 'hotel_copy',
    safetyBackupDir: join(dir, 'safety'),
  });
  assert.match(r.safetyBackup ?? '', /safety\/hotel_copy-.*\.dump\.zst$/);
  assert.deepEqual(await fingerprint(server.urlFor('hotel_copy')), before);
  assert.ok(!(await databases(server.url)).some((d) => /_restoring_|_replaced_/.test(d)));
});

test('seed compatibility: `pg_dump -Fc db | gzip > x.dump.gz` is listed, verified and restored', async () => {
  const seedFile = join(dir, 'hotel-2025-01-02_02-00-00.dump.gz');
  const s = server.server!;
  execFileSync('bash', ['-c', `set -o pipefail; pg_dump -h 127.0.0.1 -p ${s.port} -U postgres -Fc hotel | gzip > "${seedFile}"`], {
    env: { ...process.env, PGPASSWORD: s.password },
  });
  const listed = (await listLocalBackups(dir)).find((b) => b.file.endsWith('.dump.gz'))!;
  assert.equal(listed.origin, 'other');
  assert.equal(listed.outer, 'gzip');
  assert.equal(listed.verification, 'unverified');
  const v = await verifyBackup({ file: seedFile });
  assert.equal(v.ok, true, v.reason);
  assert.equal((await listLocalBackups(dir)).find((b) => b.file.endsWith('.dump.gz'))!.verification, 'verified');
  await restoreBackup({ file: seedFile, target: withDatabase(target, 'hotel_seed') });
  assert.deepEqual(await fingerprint(server.urlFor('hotel_seed')), await fingerprint(server.urlFor('hotel')));
  assert.ok(!readdirSync(dir).some((n) => n.startsWith('.')), 'no temp file left');
});

test('CLI: backup with verify and keep, backups as JSON, restore refusal with one stderr line', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../src/cli/main.ts'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, PGDBA_URL: server.urlFor('postgres') },
    });
  const b = cli(['backup', '--db', 'hotel', '--dir', join(dir, 'cli'), '--verify', 'quick', '--keep', '1']);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /hotel-.*\.dump\.zst .* zstd-pipe/);
  assert.match(b.stdout, /verification \(quick\): ok/);
  const l = cli(['backups', '--dir', join(dir, 'cli'), '--format', 'json']);
  assert.equal(l.status, 0, l.stderr);
  const listed = JSON.parse(l.stdout) as { local: { verification: string }[] };
  assert.deepEqual(
    listed.local.map((x) => x.verification),
    ['verified'],
  );
  const r = cli(['restore', backupPath, '--to', 'hotel']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^pgdba restore: database "hotel" exists/);
  const u = cli(['backup', '--dir', dir]);
  assert.equal(u.status, 2);
  assert.match(u.stderr, /--db NAME is required/);
});
