// The server's own files on a real local PostgreSQL 15 (its postgresql.conf and pg_hba.conf in
// the data directory, owned by postgres, 0600), through HostAccess (localHost): open with
// includes followed, edit, save → .bak beside it, the file replaced atomically with its mode and
// owner (the tests run as root: the copy is chowned back to postgres); a write that fails midway
// (a file size limit, EFBIG) leaves the file as it was; a file the user may not write (the saver
// run as postgres on a root-owned file) is refused with the sudo command; a reload is refused
// while a file has a lint error, and one the server cannot apply is reported from pg_file_settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { localHost } from '../../src/core/host/localHost';
import { openServerConfig, lintServerConfig, reloadServerConfig, readServerConfig, type ServerConfig } from '../../src/core/serverfiles/serverConfig';
import { saveServerFile } from '../../src/core/serverfiles/saveServerFile';
import { describeChanges } from '../../src/core/serverfiles/changes';
import { ReloadRefusedError } from '../../src/core/serverfiles/reload';
import { buildNodeBundle } from '../support/cliBundle';
import { getTestServer, type TestServer } from '../support/testServer';
import { tempDir } from '../support/tempDir';

let server: TestServer;
let client: pg.Client;
let cfg: ServerConfig;
let saver: string;
const asRoot = userInfo().uid === 0;
const saverDir = tempDir('saver');

before(async () => {
  // A server this run starts: its files are on this machine (PGDBA_TEST_URL's may be anywhere).
  server = await getTestServer({ major: 15 });
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  cfg = await openServerConfig(localHost, client, { major: 15 });
  chmodSync(saverDir, 0o755); // the saver runs as postgres too
  saver = await buildNodeBundle(resolve(__dirname, '..', 'support', 'serverFileSaver.ts'), join(saverDir, 'saver.js'));
});
after(async () => {
  await client?.end();
  await server?.stop();
});

const read = (p: string) => readFileSync(p, 'utf8');
const backupsOf = (path: string) => readdirSync(dirname(path)).filter((n) => n.startsWith(`${basename(path)}.`) && n.endsWith('.bak'));
const tempsIn = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

/** Runs the saver bundle as `user` (postgres) or as this process, optionally under `ulimit -f` (512-byte blocks). */
function runSaver(path: string, text: string, opts: { asPostgres?: boolean; fileBlocks?: number; tmp: string }): Record<string, Record<string, unknown>> {
  const textFile = join(opts.tmp, `new-${Date.now()}.txt`);
  writeFileSync(textFile, text, { mode: 0o644 });
  const owner = opts.asPostgres
    ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) }
    : {};
  const argv = opts.fileBlocks
    ? ['sh', '-c', `ulimit -f ${opts.fileBlocks}; exec "$@"`, 'sh', process.execPath, saver, path, textFile]
    : [process.execPath, saver, path, textFile];
  const r = spawnSync(argv[0]!, argv.slice(1), {
    ...owner,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: opts.tmp },
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
}

test('open: the paths the server gives, its postgresql.conf and pg_hba.conf read through the host, includes followed', async (t) => {
  assert.equal(cfg.paths.conf, join(server.server!.dataDir, 'postgresql.conf'));
  assert.deepEqual(
    cfg.targets.map((x) => x.type),
    ['conf', 'hba'],
  );
  assert.equal(cfg.conf.text, read(cfg.paths.conf));
  assert.equal(cfg.texts.get(cfg.paths.hba), read(cfg.paths.hba));
  // An include beside it, one level down an include_dir, and a missing one reported by the one walk.
  const dir = tempDir('includes', t);
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(join(dir, 'main.conf'), `include 'extra.conf'\ninclude_dir 'conf.d'\ninclude 'missing.conf'\n`);
  writeFileSync(join(dir, 'extra.conf'), `work_mem = '8MB'\n`);
  writeFileSync(join(dir, 'conf.d', '10-x.conf'), `include '../deeper.conf'\n`);
  writeFileSync(join(dir, 'deeper.conf'), `maintenance_work_mem = '64MB'\n`);
  const other = await readServerConfig(localHost, { ...cfg.paths, conf: join(dir, 'main.conf') }, { major: 15 });
  assert.deepEqual(other.conf.files, [join(dir, 'main.conf'), join(dir, 'extra.conf'), join(dir, 'conf.d', '10-x.conf'), join(dir, 'deeper.conf')]);
  const findings = lintServerConfig(other).get(join(dir, 'main.conf')) ?? [];
  assert.ok(
    findings.some((f) => f.code === 'PGC003' && f.message.includes('missing.conf')),
    JSON.stringify(findings),
  );
});

test('save: the .bak first, then the file replaced with its mode and owner; what each change needs, from the catalog', async () => {
  const path = cfg.paths.conf;
  const before = read(path);
  const st = statSync(path);
  const after = `${before}\nwork_mem = '6MB'\nmax_prepared_transactions = 3\n`;
  const saved = await saveServerFile(localHost, path, after, { now: new Date(2026, 11, 1, 9, 8, 7) });
  assert.equal(saved.backup, `${path}.2026-12-01_09-08-07.bak`);
  assert.equal(read(saved.backup), before);
  assert.equal(read(path), after);
  const now = statSync(path);
  const bak = statSync(saved.backup);
  for (const s of [now, bak]) {
    assert.equal(s.mode & 0o7777, st.mode & 0o7777);
    assert.equal(s.uid, st.uid);
    assert.equal(s.gid, st.gid);
  }
  if (asRoot) assert.notEqual(st.uid, 0, 'the server files belong to postgres, so the root writer had to give them back');
  assert.notEqual(now.ino, st.ino, 'replaced by rename, not rewritten in place');
  assert.deepEqual(tempsIn(dirname(path)), []);
  // A second save in the same second gets its own .bak.
  const again = await saveServerFile(localHost, path, after, { now: new Date(2026, 11, 1, 9, 8, 7) });
  assert.equal(again.backup, `${path}.2026-12-01_09-08-07-2.bak`);
  const report = describeChanges('conf', before, after, 15);
  assert.equal(report.need, 'restart');
  assert.deepEqual(
    report.changes.map((c) => [c.name, c.need]),
    [
      ['work_mem', 'reload'],
      ['max_prepared_transactions', 'restart'],
    ],
  );
  await saveServerFile(localHost, path, before);
});

test(
  'a write that fails midway (EFBIG under a file size limit) leaves the file whole and no temp behind',
  { skip: process.platform !== 'linux' && 'needs sh and ulimit' },
  (t) => {
    const tmp = tempDir('midway', t);
    const path = cfg.paths.conf;
    const before = read(path);
    const bakBefore = new Set(backupsOf(path));
    const big = `${before}\n${'# padding that the file size limit cuts off\n'.repeat(8000)}`;
    // 256 blocks of 512 bytes: room for the .bak of the original, not for the new text.
    assert.ok(Buffer.byteLength(before) < 256 * 512 && Buffer.byteLength(big) > 256 * 512);
    const r = runSaver(path, big, { fileBlocks: 256, tmp });
    assert.ok(r.error, JSON.stringify(r));
    assert.equal(r.error.code, 'EFBIG', JSON.stringify(r));
    assert.equal(read(path), before);
    assert.deepEqual(tempsIn(dirname(path)), []);
    // The .bak of the original was written before the file, and is whole.
    const made = backupsOf(path).filter((b) => !bakBefore.has(b));
    assert.equal(made.length, 1);
    assert.equal(read(join(dirname(path), made[0]!)), before);
  },
);

test(
  'a file this user may not write is refused with the reason and the sudo command; nothing is written',
  { skip: !asRoot && 'needs root to run the saver as postgres against a root-owned file' },
  (t) => {
    const tmp = tempDir('unwritable', t);
    chmodSync(tmp, 0o755);
    const stage = join(tmp, 'stage');
    mkdirSync(stage, { mode: 0o777 });
    chmodSync(stage, 0o1777);
    // A name with a quote and a space: the command quotes it for the shell.
    const dir = join(tmp, "it's etc");
    mkdirSync(dir, { mode: 0o755 });
    const path = join(dir, 'postgresql.conf');
    writeFileSync(path, "work_mem = '4MB'\n", { mode: 0o644 });
    chownSync(path, 0, 0);
    const r = runSaver(path, "work_mem = '16MB'\n", { asPostgres: true, tmp: stage });
    const refused = r.refused;
    assert.ok(refused, JSON.stringify(r));
    assert.match(String(refused.reason), /this user may not write .*postgresql\.conf \(owned by 0:0, mode 0644\)/);
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = String(refused.command);
    assert.ok(command.startsWith(`sudo cp -p -- ${q(path)} ${q(`${path}.`)}`.slice(0, -1)), command);
    assert.match(command, /\.bak' && sudo install -o 0 -g 0 -m 0644 -- /);
    assert.ok(command.includes(`sudo mv -f -- ${q(`${dir}/.postgresql.conf.pgdba-sudo.tmp`)} ${q(path)}`), command);
    // The staged text is the new one, the user's own; the file, its directory: untouched.
    assert.equal(read(String(refused.staged)), "work_mem = '16MB'\n");
    assert.ok(command.includes(q(String(refused.staged))));
    assert.equal(read(path), "work_mem = '4MB'\n");
    assert.deepEqual(readdirSync(dir), ['postgresql.conf']);
    // The command does what it says (run here as root, as sudo would).
    execFileSync('sh', ['-c', command.replace(/\bsudo /g, '')]);
    assert.equal(read(path), "work_mem = '16MB'\n");
    assert.equal(statSync(path).mode & 0o777, 0o644);
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.bak')).length, 1);
    assert.equal(existsSync(String(refused.staged)), false);
  },
);

test('reload: refused while a file has a lint error; a setting the server cannot apply is reported from pg_file_settings', async () => {
  const path = cfg.paths.conf;
  const before = read(path);
  try {
    await saveServerFile(localHost, path, `${before}\nwork_mem = 'plenty'\n`);
    await assert.rejects(reloadServerConfig(cfg, client), (e: unknown) => {
      assert.ok(e instanceof ReloadRefusedError);
      assert.match(e.message, /not reloaded: 1 lint error .*postgresql\.conf:\d+: .*work_mem/);
      return true;
    });
    // Not sent: the server still has no error for the line (pg_file_settings reads the file itself).
    const pending = await client.query<{ applied: boolean; error: string | null }>(
      "SELECT applied, error FROM pg_file_settings WHERE name = 'work_mem' ORDER BY seqno DESC LIMIT 1",
    );
    assert.equal(pending.rows[0]?.applied, false);
    // A postmaster setting changed without a restart: valid for the linter, "could not be applied" for the server.
    await saveServerFile(localHost, path, `${before}\nmax_prepared_transactions = 5\n`);
    const report = await reloadServerConfig(cfg, client);
    assert.equal(report.reloaded, true);
    assert.deepEqual(report.unread, []);
    const p = report.problems.find((x) => x.name === 'max_prepared_transactions');
    assert.ok(p, JSON.stringify(report));
    assert.equal(p.file, path);
    assert.match(p.error, /could not be applied/);
  } finally {
    await saveServerFile(localHost, path, before);
    await client.query('SELECT pg_reload_conf()');
  }
});
