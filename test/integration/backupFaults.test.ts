// What goes wrong in the field, with real processes: pg_dump killed, a cancel, a full disk, the
// server stopping mid-dump, a wrong password, a damaged archive. Each must leave no partial
// backup file, no dropped database, and one clear error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPgServer } from '../../scripts/lib/pgServer';
import { runBackup } from '../../src/core/backup/backup';
import { restoreBackup } from '../../src/core/backup/restore';
import { verifyBackup } from '../../src/core/backup/verify';
import { parseConnectionUrl, withDatabase, type PgConnection } from '../../src/core/db/connection';
import { errorText } from '../../src/core/db/connectError';
import { CLI_ADVICE } from '../../src/cli/connection';
import type { TestServer } from '../support/testServer';
import { DUMP_MAJOR, databases, sql, startBackupServer } from './backupSupport';

let server: TestServer;
let root: string;
let target: PgConnection;

/** ~5 MB of hex text: compresses to ~2.5 MB, more than the 1 MB disk below. */
const BULK = `CREATE TABLE "bulk" AS SELECT g AS "id", md5(random()::text) || md5(random()::text) AS "h" FROM generate_series(1, 80000) g`;

before(async () => {
  server = await startBackupServer();
  await sql(server.urlFor('postgres'), 'CREATE DATABASE "bulky"');
  await sql(server.urlFor('bulky'), BULK);
  target = parseConnectionUrl(server.urlFor('bulky'));
  root = mkdtempSync(join(tmpdir(), 'pgdba-faults-'));
});
after(async () => {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

const fresh = (name: string) => join(root, name);
const leftovers = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

test('pg_dump killed mid-run: error says so, nothing left', async () => {
  const bin = fresh('bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'pg_dump'),
    `#!/bin/bash\nif [ "$1" = "--version" ]; then exec /usr/bin/pg_dump --version; fi\n/usr/bin/pg_dump "$@" | head -c 200000\nkill -9 $$\n`,
  );
  chmodSync(join(bin, 'pg_dump'), 0o755);
  const dir = fresh('killed');
  await assert.rejects(runBackup({ target, dir, tools: { pgBinDir: bin } }), /pg_dump was killed \(signal 9\)/);
  assert.deepEqual(leftovers(dir), []);
  assert.ok((await databases(server.url)).includes('bulky'));
});

test('cancel mid-run kills the processes and leaves nothing', async () => {
  const dir = fresh('cancelled');
  const ac = new AbortController();
  await assert.rejects(runBackup({ target, dir, signal: ac.signal, onProgress: () => ac.abort() }), /backup cancelled/);
  assert.deepEqual(leftovers(dir), []);
});

test('disk full (a 1 MB tmpfs): "the disk is full", no partial file', async (t) => {
  const dir = fresh('tmpfs');
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    return t.skip(`cannot mount a tmpfs here (${(e as Error).message.split('\n')[0]}): disk-full not exercised`);
  }
  try {
    await assert.rejects(runBackup({ target, dir }), /the disk is full: could not write .*bulky-.*\.dump\.zst/);
    assert.deepEqual(leftovers(dir), []);
  } finally {
    execFileSync('umount', [dir]);
  }
});

test('the server stopping mid-dump: a clear pg_dump error, nothing left', async () => {
  const other = await startPgServer({ major: DUMP_MAJOR, fast: true, database: 'bulky' });
  try {
    await sql(other.url, BULK);
    const dir = fresh('stopped');
    let stopping: Promise<void> | undefined;
    await assert.rejects(
      runBackup({ target: parseConnectionUrl(other.url), dir, onProgress: () => void (stopping ??= other.stop()) }),
      /pg_dump failed \(exit 1\): .*(terminat|server closed|connection)/i,
    );
    await stopping;
    assert.deepEqual(leftovers(dir), []);
  } finally {
    await other.stop();
  }
});

test('wrong password: says which user and where to fix it; no file', async () => {
  const dir = fresh('badpw');
  // Core states the facts; the CLI's advice says where to fix them.
  await assert.rejects(runBackup({ target: { ...target, password: 'wrong' }, dir }), (e: unknown) => {
    assert.match(errorText(e, CLI_ADVICE), /Password authentication failed for user "postgres" at 127\.0\.0\.1:\d+: check PGPASSWORD or ~\/\.pgpass/);
    return true;
  });
  assert.deepEqual(leftovers(dir), []);
});

test('a damaged archive: verify says so; restoring it leaves no new database and the old one untouched', async () => {
  const dir = fresh('damaged');
  const good = await runBackup({ target, dir, compression: 'none' });
  const bad = join(dir, 'bulky-2025-01-01_02-00-00.dump');
  copyFileSync(good.path, bad);
  truncateSync(bad, Math.floor(statSync(bad).size / 2));
  const v = await verifyBackup({ file: bad });
  assert.equal(v.ok, false);
  assert.match(v.reason ?? '', /damaged|cannot read/);
  await assert.rejects(restoreBackup({ file: bad, target: withDatabase(target, 'bulky_new') }), /pg_restore failed/);
  await assert.rejects(restoreBackup({ file: bad, target, mode: 'replace', confirmedName: 'bulky' }), /pg_restore failed/);
  const dbs = await databases(server.url);
  assert.ok(dbs.includes('bulky') && !dbs.some((d) => /bulky_new|_restoring_|_replaced_/.test(d)), dbs.join(','));
  assert.equal((await sql<{ n: string }>(server.urlFor('bulky'), 'SELECT count(*) AS n FROM "bulk"'))[0]?.n, '80000');
});
