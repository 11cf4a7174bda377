// Host facts against a real local server, held against what this machine reports by its own
// commands (nproc, /proc/meminfo, df and lsblk on the same paths); the SQL source as a superuser
// (the same machine, so the same RAM and kernel) and refused for a plain role with the reason;
// `pgdba host --format json` with exactly the documented keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, uptime } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { tempDir } from '../support/tempDir';
import { buildCliBundle } from '../support/cliBundle';
import { HostFactsError, readDataDirectory, readServerFacts, readSqlFacts } from '../../src/core/host/facts';
import { backupFileName } from '../../src/core/backup/naming';
import { runHealthCheck } from '../../src/core/health';

const CLI = join(tempDir('host-cli'), 'cli.js');
let srv: TestServer;
let admin: pg.Pool;
let plain: pg.Pool;
let dataDir: string;

function pool(url: string): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max: 1 });
  p.on('error', () => undefined);
  return p;
}

before(async () => {
  await buildCliBundle(CLI);
  srv = await getTestServer();
  admin = pool(srv.url);
  await admin.query("CREATE ROLE facts_plain LOGIN PASSWORD 'plain pw'");
  const u = new URL(srv.url);
  u.username = 'facts_plain';
  u.password = 'plain pw';
  plain = pool(u.toString());
  dataDir = (await admin.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0]!.d;
});

after(async () => {
  await plain?.end();
  await admin?.query('DROP ROLE IF EXISTS facts_plain').catch(() => undefined);
  await admin?.end();
  await srv?.stop();
});

const sh = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
const memTotal = () => Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
/** df's own figures for a path: [total, available] bytes. */
function df(path: string): [number, number] {
  const f = sh('df', '-P', '-B1', '--', path).trim().split('\n')[1]!.split(/\s+/);
  return [Number(f[1]), Number(f[3])];
}
/** lsblk's ROTA of the device findmnt says holds the path; undefined when it is no block device. */
function lsblkRotational(path: string): boolean | undefined {
  try {
    const source = sh('findmnt', '-no', 'SOURCE', '-T', path).trim();
    return sh('lsblk', '-ndo', 'ROTA', '--', source).trim() === '1';
  } catch {
    return undefined;
  }
}
/** Free space moves while other tests write: equal within 1% of the file system. */
function assertNearFree(actual: number | null, path: string) {
  const [total, free] = df(path);
  assert.ok(actual !== null && Math.abs(actual - free) <= total / 100, `free bytes of ${path}: ${actual} against df's ${free}`);
}

test('local facts equal nproc, /proc/meminfo, df and lsblk on the same paths', async (t) => {
  const backups = tempDir('host-backups', t);
  const f = await readServerFacts({ profile: { host: '127.0.0.1' }, db: admin, backupDirectory: backups });
  assert.equal(f.source, 'local');
  assert.equal(f.cpus, Number(sh('nproc').trim()));
  assert.equal(f.ramBytes, memTotal());
  assert.equal(f.kernel, release());
  assert.equal(f.os, /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))![1]);
  assert.ok(f.uptimeSeconds !== null && Math.abs(f.uptimeSeconds - uptime()) < 60, `uptime ${f.uptimeSeconds} against ${uptime()}`);
  assert.equal(f.dataDirectory.path, dataDir);
  assert.equal(f.dataDirectory.totalBytes, df(dataDir)[0]);
  assertNearFree(f.dataDirectory.freeBytes, dataDir);
  assert.equal(f.backupDirectory?.path, backups);
  assert.equal(f.backupDirectory?.totalBytes, df(backups)[0]);
  assertNearFree(f.backupDirectory?.freeBytes ?? null, backups);
  const truth = lsblkRotational(dataDir);
  if (truth === undefined) {
    assert.equal(f.rotational, null);
    assert.match(f.unknown.rotational ?? '', /block device|sysfs/);
  } else assert.equal(f.rotational, truth, f.unknown.rotational);
  assert.deepEqual(Object.keys(f.unknown), [], JSON.stringify(f.unknown));
});

test('a role that may not see data_directory: the host is still read, the data directory said hidden', async () => {
  const f = await readServerFacts({ profile: { host: '127.0.0.1' }, db: plain });
  assert.equal(f.ramBytes, memTotal());
  assert.equal(f.dataDirectory.path, null);
  assert.equal(f.rotational, null);
  assert.match(f.unknown.dataDirectory ?? '', /hides data_directory from facts_plain: .*pg_read_all_settings/);
});

test('a directory that is not there: its sizes are unknown with df’s reason, nothing guessed', async () => {
  const f = await readServerFacts({ profile: { host: '127.0.0.1' }, db: admin, backupDirectory: '/nonexistent/pgdba-backups' });
  assert.deepEqual(f.backupDirectory, { path: '/nonexistent/pgdba-backups', freeBytes: null, totalBytes: null });
  assert.match(f.unknown.backupDirectory ?? '', /df on this machine: .*No such file or directory/);
});

test('the SQL source as a superuser: the same RAM, CPUs and kernel through pg_read_file; no disk sizes, said so', async () => {
  const f = await readSqlFacts(admin, await readDataDirectory(admin), '/var/backups');
  assert.equal(f.source, 'sql');
  assert.equal(f.ramBytes, memTotal());
  assert.equal(f.cpus, cpus().length);
  assert.equal(f.kernel, release());
  assert.ok(f.uptimeSeconds !== null && Math.abs(f.uptimeSeconds - uptime()) < 60);
  assert.deepEqual(f.dataDirectory, { path: dataDir, freeBytes: null, totalBytes: null });
  assert.match(f.unknown.dataDirectory ?? '', /SQL gives no file system sizes/);
  assert.equal(f.rotational, null);
  assert.match(f.unknown.rotational ?? '', /SQL cannot tell/);
});

test('the SQL source as a plain role: refused with what would allow it', async () => {
  await assert.rejects(
    readSqlFacts(plain, await readDataDirectory(plain)),
    (e: unknown) => e instanceof HostFactsError && /may not read the server's files .*superuser or pg_read_server_files/.test(e.message),
  );
  // Nothing left open: the role's next query runs.
  assert.equal((await plain.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one, 1);
});

function pgdba(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, 'host', ...args], { timeout: 60_000 }, (e, out, err) => done({ code: e ? (e.code as number) : 0, out, err }));
  });
}

test('pgdba host --format json: exactly the documented keys, the same facts', async (t) => {
  const backups = tempDir('host-cli-backups', t);
  const r = await pgdba('--url', srv.url, '--format', 'json', '--backup-dir', backups);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as Record<string, unknown>;
  assert.deepEqual(Object.keys(doc), ['source', 'cpus', 'ramBytes', 'rotational', 'os', 'kernel', 'uptimeSeconds', 'dataDirectory', 'backupDirectory']);
  assert.equal(doc.source, 'local');
  assert.equal(doc.ramBytes, memTotal());
  assert.deepEqual(Object.keys(doc.dataDirectory as object), ['path', 'freeBytes', 'totalBytes']);
  assert.equal((doc.dataDirectory as { totalBytes: number }).totalBytes, df(dataDir)[0]);
  const text = await pgdba('--url', srv.url);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, new RegExp(`^data directory +${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.* free of .*\\)$`, 'm'));
});

test('pgdba host: a bad --format is a usage error, exit 2', async () => {
  const r = await pgdba('--url', srv.url, '--format', 'yaml');
  assert.equal(r.code, 2);
  assert.match(r.err, /--format must be text or json/);
});

test("the health report's capacity: the host's RAM where no setting gives it, the disks from the facts, days left from the backups' growth", async (t) => {
  const backups = tempDir('host-health-backups', t);
  // Five nightly dumps of postgres, each 1 MB larger than the night before.
  for (let i = 0; i < 5; i++)
    writeFileSync(join(backups, backupFileName('postgres', new Date(Date.now() - (4 - i) * 86_400_000), 'none')), Buffer.alloc((i + 1) * 2 ** 20));
  const report = await runHealthCheck({ server: { name: 'facts', target: 'x' }, pool: admin, host: '127.0.0.1', backupDir: backups, schedules: ['monthly'] });
  const find = (subject: string) => report.findings.find((f) => f.check === 'capacity' && f.subject === subject);
  const ramGB = Math.round((memTotal() / 2 ** 30) * 10) / 10;
  assert.match(find('memory')?.observed ?? '', new RegExp(`% of ${ramGB} GB, host facts, this machine\\)`), JSON.stringify(find('memory')));
  const disk = find('disk');
  assert.match(disk?.observed ?? '', /free of .*; about [\d,]+ days left at .*\/day \(postgres's growth from its last 5 backups\)/, JSON.stringify(disk));
  const [total, free] = df(dataDir);
  assert.ok(disk?.value !== undefined && Math.abs(disk.value - (100 * free) / total) <= 1, `free share ${disk?.value}% against df's`);
  const backupDisk = find('backup disk');
  assert.match(backupDisk?.observed ?? '', /days left as the 5 kept backups grow by 5\.00 MB\/day/, JSON.stringify(backupDisk));
  // The setting still wins over the host.
  const said = await runHealthCheck({ server: { name: 'facts', target: 'x' }, pool: admin, host: '127.0.0.1', schedules: ['monthly'], hardware: { ramGB: 4 } });
  assert.match(said.findings.find((f) => f.check === 'capacity' && f.subject === 'memory')?.observed ?? '', /% of 4 GB, pgdba\.hardware\.ramGB\)/);
});
