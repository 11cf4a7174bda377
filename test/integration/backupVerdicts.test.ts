// What a verification records, and who may read a backup, with the real CLI on a real server:
// a corrupt manifest is a failure that is never overwritten; a wrong password or a missing server
// is an error (exit 2) that leaves the record as it was; files are 0600 (0640 with --group), a new
// directory 0750, and an existing one open to others gets a warning.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { runBackup } from '../../src/core/backup/backup';
import { prepareArchive } from '../../src/core/backup/archive';
import { readManifest } from '../../src/core/backup/manifest';
import { manifestPathFor } from '../../src/core/backup/naming';
import { parseConnectionUrl, type PgConnection } from '../../src/core/db/connection';
import { buildCliBundle } from '../support/cliBundle';
import { tempDir } from '../support/tempDir';
import type { TestServer } from '../support/testServer';
import { sql, startBackupServer } from './backupSupport';

let server: TestServer;
let target: PgConnection;
const root = tempDir('verdicts');
let cliPath: string;

before(async () => {
  cliPath = await buildCliBundle(join(root, 'pgdba.cjs'));
  server = await startBackupServer();
  await sql(server.urlFor('postgres'), 'CREATE DATABASE "ledger"');
  await sql(server.urlFor('ledger'), `CREATE TABLE "entries" AS SELECT g AS "id", md5(g::text) AS "h" FROM generate_series(1, 20000) g`);
  target = parseConnectionUrl(server.urlFor('ledger'));
});
after(async () => {
  await server?.stop();
});

/** The CLI as a process, under umask 022; env replaces the PG* of the test's own environment. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^PG|^PGDBA_/.test(k)));
  return spawnSync('/bin/sh', ['-c', 'umask 022 && exec "$@"', 'sh', process.execPath, cliPath, ...args], {
    encoding: 'utf8',
    env: { ...clean, HOME: root, ...env },
  });
}

function flipByteAt(path: string, at: number): void {
  const fd = openSync(path, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, at);
  b[0] = b[0]! ^ 0xff;
  writeSync(fd, b, 0, 1, at);
  closeSync(fd);
}

const mode = (p: string) => statSync(p).mode & 0o777;

test('a corrupt manifest: verify fails and says so, and the manifest is not rewritten', async () => {
  const dir = join(root, 'corrupt');
  const b = await runBackup({ target, dir, compression: 'none' });
  const corrupt = '{"pgdbaManifest":1, "dump": {';
  writeFileSync(manifestPathFor(b.path), corrupt);
  flipByteAt(b.path, Math.floor(statSync(b.path).size / 2)); // inside the table's data: only the SHA-256 sees it
  const r = cli(['verify', b.path]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /verification FAILED: the manifest is unreadable, so the SHA-256 cannot be checked: .*not valid JSON/);
  assert.equal(readFileSync(manifestPathFor(b.path), 'utf8'), corrupt);
  assert.deepEqual(readdirSync(dir).sort(), [`${b.path.split('/').pop()}`, `${b.path.split('/').pop()}.manifest.json`].sort(), 'no lock, no temp');
});

test('a wrong password or no server is an error (exit 2) and the recorded verification stays', async () => {
  const dir = join(root, 'badpw');
  const b = await runBackup({ target, dir });
  const ok = cli(['verify', b.path]);
  assert.equal(ok.status, 0, ok.stderr);
  const before = (await readManifest(b.path))?.verification;
  assert.equal(before?.ok, true);
  const url = new URL(server.urlFor('ledger'));
  const pg = { PGHOST: url.hostname, PGPORT: url.port, PGUSER: 'postgres' };
  const wrong = cli(['verify', b.path, '--full'], { ...pg, PGPASSWORD: 'wrong' });
  assert.equal(wrong.status, 2, wrong.stdout + wrong.stderr);
  assert.match(wrong.stderr, /^pgdba verify: Password authentication failed for user "postgres"/);
  assert.deepEqual((await readManifest(b.path))?.verification, before, 'the record is as it was');
  const gone = cli(['verify', b.path, '--full'], { ...pg, PGPORT: '1', PGPASSWORD: 'x' });
  assert.equal(gone.status, 2, gone.stdout + gone.stderr);
  assert.deepEqual((await readManifest(b.path))?.verification, before);
  const names = await sql<{ datname: string }>(server.url, `SELECT datname FROM pg_database WHERE datname LIKE '%\\_verify\\_%'`);
  assert.deepEqual(names, []);
});

test('under umask 022: backup files 0600, a new directory 0750; an unpacked copy and the manifest after a verification too', async () => {
  const dir = join(root, 'private', 'nightly');
  const r = cli(['backup', '--db', 'ledger', '--dir', dir, '--verify', 'quick', '--url', server.urlFor('postgres')]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /warning/);
  assert.equal(mode(dir), 0o750);
  const files = readdirSync(dir);
  // The backup, its manifest and the run's status record (ledger.last-run.json): each 0600.
  assert.equal(files.length, 3, files.join(','));
  assert.ok(files.includes('ledger.last-run.json'), files.join(','));
  for (const f of files) assert.equal(mode(join(dir, f)), 0o600, f);
  const backup = join(
    dir,
    files.find((f) => f.endsWith('.zst'))!,
  );
  const umask = process.umask(0o022);
  try {
    const a = await prepareArchive(backup);
    assert.ok(a.temporary);
    assert.equal(mode(a.path), 0o600, 'the unpacked copy holds every row too');
    await a.cleanup();
  } finally {
    process.umask(umask);
  }
});

test('--group: 0640 with that group, set at creation; an existing directory open to others gets a warning', (t) => {
  const group = spawnSync('getent', ['group', 'backup'], { encoding: 'utf8' });
  if (group.status !== 0) return t.skip('no group "backup" here (getent group backup): --group not exercised');
  const gid = Number(group.stdout.split(':')[2]);
  const dir = join(root, 'shared');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  const r = cli(['backup', '--db', 'ledger', '--dir', dir, '--group', 'backup', '--url', server.urlFor('postgres')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /pgdba backup: warning: .*shared is open to other users \(mode 0755\).*chmod o-rwx/);
  assert.equal(mode(dir), 0o755, 'an existing directory is not changed');
  for (const f of readdirSync(dir)) {
    assert.equal(mode(join(dir, f)), 0o640, f);
    assert.equal(statSync(join(dir, f)).gid, gid, f);
  }
  const bad = cli(['backup', '--db', 'ledger', '--dir', join(root, 'nogroup'), '--group', 'no-such-group-pgdba', '--url', server.urlFor('postgres')]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /group "no-such-group-pgdba" does not exist/);
  assert.ok(!existsSync(join(root, 'nogroup')), 'nothing made for a group that is not there');
});
