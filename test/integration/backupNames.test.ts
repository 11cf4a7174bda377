// Hostile and unlucky names on a real PostgreSQL 15 with the real tools: database names that
// libpq would read as a connection string or pg_restore as an option, file names that begin with
// `-`, names with control characters, two backups in the same second, output paths that are files,
// and a replace-restore whose swap meets a session pgdba may not end. Each must reach the tools as
// a name, say what to do, and lose nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';
import { runBackup } from '../../src/core/backup/backup';
import { listLocalBackups } from '../../src/core/backup/listing';
import { DatabaseInUseError, restoreBackup } from '../../src/core/backup/restore';
import { parseConnectionUrl, withDatabase, type PgConnection } from '../../src/core/db/connection';
import { buildCliBundle } from '../support/cliBundle';
import { tempDir } from '../support/tempDir';
import type { TestServer } from '../support/testServer';
import { databases, sql, startBackupServer } from './backupSupport';

let server: TestServer;
let admin: PgConnection;
const root = tempDir('backup-names');

/** What each test database holds: one row, its own name, so a restore into the wrong one shows. */
async function createMarked(name: string, owner = 'postgres'): Promise<void> {
  await sql(server.urlFor('postgres'), `CREATE DATABASE "${name.replace(/"/g, '""')}" OWNER "${owner}"`);
  const c = new pg.Client({ ...clientOf(withDatabase(admin, name)), ...(owner === 'postgres' ? {} : { user: owner, password: 'restorer-pw' }) });
  await c.connect();
  try {
    await c.query('CREATE TABLE "who" ("name" text NOT NULL)');
    await c.query('INSERT INTO "who" VALUES ($1)', [name]);
  } finally {
    await c.end();
  }
}

function clientOf(c: PgConnection): pg.ClientConfig {
  return { host: c.host, port: c.port, user: c.user, password: c.password, database: c.database };
}

/** A query on the database of that name (pg's URL parser leaves %3D encoded: no URL here). */
async function query(database: string, text: string): Promise<string[]> {
  const c = new pg.Client(clientOf(withDatabase(admin, database)));
  await c.connect();
  try {
    return (await c.query<{ v: string }>(text)).rows.map((r) => r.v);
  } finally {
    await c.end();
  }
}

const rowsOf = (database: string, table = 'who') => query(database, `SELECT "name" AS v FROM "${table}" ORDER BY 1`);
const tablesOf = (database: string) => query(database, "SELECT tablename AS v FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
const addRow = (database: string) => query(database, `INSERT INTO "who" VALUES ('added after the backup')`);

let pgdba: string;

function cli(args: string[], opts: { cwd?: string; url?: string } = {}) {
  return spawnSync(process.execPath, [pgdba, ...args], {
    encoding: 'utf8',
    cwd: opts.cwd,
    env: { ...process.env, PGDBA_URL: opts.url ?? server.urlFor('postgres') },
  });
}

const leftoverCopies = async () => (await databases(server.url)).filter((d) => /_restoring_|_replaced_/.test(d));

before(async () => {
  server = await startBackupServer();
  admin = parseConnectionUrl(server.urlFor('postgres'));
  pgdba = await buildCliBundle(join(root, 'pgdba.cjs'));
  await sql(server.urlFor('postgres'), 'CREATE DATABASE "victim"');
  await sql(server.urlFor('victim'), `CREATE TABLE "victim_only" ("name" text); INSERT INTO "victim_only" VALUES ('untouched')`);
});
after(async () => {
  await server.stop();
});

const HOSTILE = ['dbname=victim', 'my db', `o'q"uote`, 'a=b c=d', '100% sure', 'ünïcødé ✓', 'é'.repeat(31), '-h', '--no-owner'];

test('names reach the tools as names: each hostile name is backed up and replace-restored as exactly itself; victim untouched', async () => {
  const dir = join(root, 'hostile');
  for (const name of HOSTILE) {
    await createMarked(name);
    const target = withDatabase(admin, name);
    const b = await runBackup({ target, dir });
    assert.equal(b.manifest.database, name);
    const listed = await listLocalBackups(dir, name);
    assert.deepEqual(
      listed.map((l) => [l.database, l.file]),
      [[name, basename(b.path)]],
      `listed under its own name: ${name}`,
    );
    await addRow(name);
    const r = await restoreBackup({ file: b.path, target, mode: 'replace', confirmedName: name, safetyBackupDir: join(dir, 'safety') });
    assert.equal(r.database, name);
    assert.deepEqual(await rowsOf(name), [name], `restored into itself: ${name}`);
    assert.ok(r.safetyBackup && (await listLocalBackups(join(dir, 'safety'), name)).length === 1, `safety backup of ${name} listed`);
    await sql(server.urlFor('postgres'), `DROP DATABASE "${name.replace(/"/g, '""')}"`);
  }
  assert.deepEqual(await rowsOf('victim', 'victim_only'), ['untouched']);
  assert.deepEqual(await tablesOf('victim'), ['victim_only']);
  assert.deepEqual(await leftoverCopies(), []);
});

test('CLI: restore --to "dbname=victim" creates that database; victim gets nothing', async () => {
  const dir = join(root, 'to-conninfo');
  await createMarked('source');
  const b = await runBackup({ target: withDatabase(admin, 'source'), dir });
  const r = cli(['restore', b.path, '--to', 'dbname=victim']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /into dbname=victim with/);
  assert.deepEqual(await rowsOf('dbname=victim'), ['source']);
  assert.deepEqual(await tablesOf('victim'), ['victim_only']);
  const again = cli(['restore', b.path, '--to', 'dbname=victim']);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /^pgdba restore: database "dbname=victim" exists/);
});

test('CLI: names from the archive and the server reach the terminal escaped (a table named with ESC and a bidi override)', async () => {
  const dir = join(root, 'escapes');
  const hostile = 'pwn\u001b]0;PWNED\u0007\u001b[2J\u202e';
  await createMarked('escapes_src');
  await sql(server.urlFor('escapes_src'), `CREATE TABLE "${hostile}" AS SELECT 1 AS x`);
  const b = await runBackup({ target: withDatabase(admin, 'escapes_src'), dir });
  const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;
  const restored = cli(['restore', b.path, '--to', 'escapes_copy']);
  assert.equal(restored.status, 0, restored.stderr);
  const verified = cli(['verify', b.path, '--full']);
  assert.equal(verified.status, 0, verified.stderr);
  for (const out of [restored.stdout, verified.stdout]) {
    assert.doesNotMatch(out, raw);
    assert.ok(out.includes('pwn\\x1b]0;PWNED\\x07\\x1b[2J\\u202e'), out);
  }
});

test('file names that begin with "-": verify, restore and backup in that directory treat them as files', async () => {
  const dir = join(root, 'dash');
  await createMarked('-h');
  await createMarked('-n');
  const zst = await runBackup({ target: withDatabase(admin, '-h'), dir });
  const plain = await runBackup({ target: withDatabase(admin, '-n'), dir, compression: 'none' });
  assert.match(basename(zst.path), /^-h-.*\.dump\.zst$/);
  assert.match(basename(plain.path), /^-n-.*\.dump$/);
  for (const f of [zst.path, plain.path]) {
    const v = cli(['verify', basename(f)], { cwd: dir });
    assert.equal(v.status, 0, `${basename(f)}: ${v.stdout}${v.stderr}`);
    assert.match(v.stdout, /quick verification ok/);
  }
  for (const [f, to] of [
    [zst.path, 'dash_h_copy'],
    [plain.path, 'dash_n_copy'],
  ] as const) {
    const r = cli(['restore', basename(f), '--to', to], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(await rowsOf(to), [basename(f).slice(0, 2)]);
  }
  const b = cli(['backup', '--db', '-h', '--dir', '-out', '--verify', 'quick'], { cwd: dir });
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /verification \(quick\): ok/);
  assert.equal(readdirSync(join(dir, '-out')).filter((n) => n.startsWith('-h-')).length, 2, 'the backup and its manifest');
  assert.ok(!readdirSync(dir).some((n) => n.startsWith('.')), 'no temp file left');
});

test('a database name with a control character is refused at backup time, in words, with nothing written', async () => {
  const dir = join(root, 'newline');
  const name = 'night\nly';
  await createMarked(name);
  await assert.rejects(runBackup({ target: withDatabase(admin, name), dir }), (e: Error) => {
    assert.match(e.message, /^database name "night\\nly" has a control character/);
    assert.match(e.message, /rename the database \(ALTER DATABASE … RENAME TO/);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  });
  assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
  const r = cli(['backup', '--db', name, '--dir', dir]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /control character/);
});

test('two backups and two replace-restores in the same second: distinct names, every one listed and kept', async () => {
  const dir = join(root, 'same-second');
  await createMarked('twice');
  const target = withDatabase(admin, 'twice');
  const now = new Date(2026, 11, 1, 9, 36, 33);
  const a = await runBackup({ target, dir, now });
  const b = await runBackup({ target, dir, now });
  assert.notEqual(a.path, b.path);
  assert.deepEqual(
    (await listLocalBackups(dir, 'twice')).map((x) => x.path),
    [b.path, a.path],
    'both listed, the later one first',
  );
  const safety = join(dir, 'safety');
  const r1 = await restoreBackup({ file: a.path, target, mode: 'replace', confirmedName: 'twice', safetyBackupDir: safety, now });
  const r2 = await restoreBackup({ file: b.path, target, mode: 'replace', confirmedName: 'twice', safetyBackupDir: safety, now });
  assert.ok(r1.safetyBackup && r2.safetyBackup && r1.safetyBackup !== r2.safetyBackup);
  assert.equal((await listLocalBackups(safety, 'twice')).length, 2);
  assert.deepEqual(await rowsOf('twice'), ['twice']);
  assert.deepEqual(await leftoverCopies(), []);
});

test('output paths that are files: words that say what to do, never EEXIST/ENOTDIR; nothing lost', async () => {
  const dir = join(root, 'paths');
  mkdirSync(dir, { recursive: true });
  const aFile = join(dir, 'a-file');
  writeFileSync(aFile, 'not a directory');
  await createMarked('paths');
  const target = withDatabase(admin, 'paths');
  const raw = /EEXIST|ENOTDIR|ENOENT|EISDIR/;
  await assert.rejects(runBackup({ target, dir: aFile }), (e: Error) => {
    assert.match(e.message, /is a file, not a directory: choose a directory for the backups/);
    assert.doesNotMatch(e.message, raw);
    return true;
  });
  await assert.rejects(runBackup({ target, dir: join(aFile, 'sub') }), (e: Error) => {
    assert.match(e.message, /a-file is a file, not a directory/);
    assert.doesNotMatch(e.message, raw);
    return true;
  });
  const good = await runBackup({ target, dir: join(dir, 'ok') });
  await assert.rejects(restoreBackup({ file: good.path, target, mode: 'replace', confirmedName: 'paths', safetyBackupDir: aFile }), (e: Error) => {
    assert.match(e.message, /is a file, not a directory: choose a directory for the safety backup/);
    assert.doesNotMatch(e.message, raw);
    return true;
  });
  assert.deepEqual(await rowsOf('paths'), ['paths']);
  for (const file of [join(dir, 'missing-2026-01-01_00-00-00.dump'), dir]) {
    await assert.rejects(restoreBackup({ file, target: withDatabase(admin, 'paths_new') }), (e: Error) => {
      assert.match(e.message, /no backup file|not a file/);
      assert.doesNotMatch(e.message, raw);
      return true;
    });
  }
  const c = cli(['backup', '--db', 'paths', '--dir', aFile]);
  assert.equal(c.status, 2);
  assert.match(c.stderr, /^pgdba backup: .*a-file is a file, not a directory/);
  assert.deepEqual(await leftoverCopies(), []);
  assert.ok(!(await databases(server.url)).includes('paths_new'));
});

test('replace-restore whose swap meets a session it may not end: the copy is dropped, X untouched, the error says how to end it', async () => {
  const name = `in use's`;
  await sql(server.urlFor('postgres'), `CREATE ROLE "restorer" LOGIN CREATEDB PASSWORD 'restorer-pw'`);
  await createMarked(name, 'restorer');
  const asRestorer: PgConnection = { ...withDatabase(admin, name), user: 'restorer', password: 'restorer-pw' };
  const dir = join(root, 'in-use');
  const b = await runBackup({ target: asRestorer, dir });
  await addRow(name);
  // A superuser's session: a CREATEDB role may not terminate it (PostgreSQL 15: "must be a superuser").
  const held = new pg.Client(clientOf(withDatabase(admin, name)));
  await held.connect();
  try {
    await assert.rejects(restoreBackup({ file: b.path, target: asRestorer, mode: 'replace', confirmedName: name }), (e: Error) => {
      assert.ok(e instanceof DatabaseInUseError, e.message);
      assert.equal(e.database, name);
      assert.equal(e.sessions, 1);
      assert.match(e.message, /database "in use's" is in use by 1 session pgdba could not end/);
      assert.ok(
        e.message.includes(
          `SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = 'in use''s' AND pid <> pg_catalog.pg_backend_pid();`,
        ),
        e.message,
      );
      assert.match(e.message, /untouched; the restored copy was dropped/);
      assert.ok(!e.message.includes('\n'), 'one line');
      return true;
    });
    assert.deepEqual(await rowsOf(name), ['added after the backup', name], 'X as it was');
    assert.deepEqual(await leftoverCopies(), []);
    assert.equal((await held.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one, 1, 'the session lives on');

    const u = new URL(server.urlFor('postgres'));
    u.username = 'restorer';
    u.password = 'restorer-pw';
    const r = cli(['restore', b.path, '--to', name, '--confirm', name], { url: u.toString() });
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^pgdba restore: database "in use's" is in use .*pg_terminate_backend.*'in use''s'/);
    assert.deepEqual(await leftoverCopies(), []);
  } finally {
    await held.end();
  }
  // With the session gone the same restore goes through.
  await restoreBackup({ file: b.path, target: asRestorer, mode: 'replace', confirmedName: name });
  assert.deepEqual(await rowsOf(name), [name]);
});
