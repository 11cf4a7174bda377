// The CLI commands through the SSH hop, against a real OpenSSH server (test/support/sshServer.ts)
// on this machine: `pgdba host` reads the facts on the SSH server's machine (source "ssh"),
// `pgdba logs PATH` reads a real server's log file over the session, `pgdba bouncer` reaches a
// real PgBouncer's console through the tunnel. Before the wiring, --ssh was an unknown option (exit 2).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { fingerprint } from '../../src/core/ssh/knownHosts';
import { sshSkipReason, startSshServer, type SshServer } from '../support/sshServer';
import { getTestServer, type TestServer } from '../support/testServer';
import { pgbouncerMissing, startPgbouncer, type Bouncer } from '../support/pgbouncer';
import { SEED_PREFIX } from '../support/logWorkload';
import { tempDir } from '../support/tempDir';
import { buildCliBundle } from '../support/cliBundle';
import { freePort } from '../../scripts/lib/pgServer';
import { makeTestCertificates, opensslMissing, type TestCertificates } from '../support/testCertificates';

const skip = sshSkipReason() ?? pgbouncerMissing() ?? opensslMissing();
if (skip) console.log(`# sshCli skipped: ${skip}`);

const memTotal = () => Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;

describe('the CLI through the SSH hop', { skip }, () => {
  let sshd: SshServer;
  let pgsrv: TestServer;
  let bouncer: Bouncer;
  const dir = tempDir('sshcli');
  const sshdDir = tempDir('sshcli-sshd');
  // The server's log directory and a stable copy of its file, readable by the SSH test user.
  const serverLogs = tempDir('sshcli-serverlog');
  const logs = tempDir('sshcli-logs');
  const knownHosts = join(dir, 'known_hosts');
  const cli = join(dir, 'cli.js');
  // TLS on the server: a certificate for "localhost" from a CA of this test's (sslmode=verify-full through the hop).
  const tls = tempDir('sshcli-tls');
  let certs: TestCertificates;

  before(async () => {
    const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    chownSync(serverLogs, postgresUid, postgresUid);
    for (const d of [serverLogs, logs]) chmodSync(d, 0o755);
    certs = makeTestCertificates(tls, ['localhost']);
    for (const f of [tls, certs.certFile, certs.keyFile]) chownSync(f, postgresUid, postgresUid);
    chmodSync(certs.keyFile, 0o600);
    [sshd, pgsrv] = await Promise.all([
      startSshServer(sshdDir),
      getTestServer({
        major: 15,
        settings: {
          logging_collector: 'on',
          log_directory: serverLogs,
          log_filename: 'postgresql.log',
          log_file_mode: '0644',
          log_min_duration_statement: 0,
          log_line_prefix: SEED_PREFIX,
          ssl: 'on',
          ssl_cert_file: certs.certFile,
          ssl_key_file: certs.keyFile,
        },
      }),
      buildCliBundle(cli),
    ]);
    writeFileSync(knownHosts, sshd.knownHostsLine());
    const u = new URL(pgsrv.url);
    const user = decodeURIComponent(u.username);
    bouncer = await startPgbouncer({ host: u.hostname, port: Number(u.port), user, password: decodeURIComponent(u.password) }, 'transaction', {
      settings: { admin_users: user },
    });
  });
  after(async () => {
    if (process.env.PGDBA_SSHD_LOG) console.log(sshd?.log());
    await bouncer?.stop();
    sshd?.stop();
    await pgsrv?.stop();
  });

  /** The built CLI with the agent and a home without ~/.ssh; `hop` adds --ssh and its known_hosts. */
  function pgdba(hop: boolean, ...args: string[]): { code: number | null; out: string; err: string } {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, SSH_AUTH_SOCK: sshd.agentSocket, PGDBA_BACKUP_DIR: '' };
    const ssh = hop ? ['--ssh', `${sshd.keyUser.name}@127.0.0.1:${sshd.port}`, '--known-hosts', knownHosts] : [];
    const r = spawnSync(process.execPath, [cli, ...args, ...ssh], { env, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  test('pgdba host --ssh: the facts of the SSH server machine (this one), source "ssh"', () => {
    const r = pgdba(true, 'host', '--url', pgsrv.url, '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { source: string; cpus: number; ramBytes: number; kernel: string; dataDirectory: { path: string } };
    assert.equal(doc.source, 'ssh');
    assert.equal(doc.cpus, Number(execFileSync('nproc', { encoding: 'utf8' }).trim()));
    assert.equal(doc.ramBytes, memTotal());
    assert.equal(doc.kernel, execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
    assert.equal(doc.dataDirectory.path, pgsrv.server!.dataDir);
  });

  test('pgdba logs PATH --ssh: a real server log read over the session gives the summary read locally; a missing path names the hop', async () => {
    const c = new pg.Client({ connectionString: pgsrv.url });
    await c.connect();
    try {
      await c.query('SELECT pg_sleep(0.01), $1::int AS one', [1]);
      await c.query('SELECT * FROM no_such_table_here').catch(() => undefined);
      await c.query("SELECT 1/0 AS boom, 'x' AS y").catch(() => undefined);
    } finally {
      await c.end();
    }
    // The collector writes as the lines come: the copy is taken once the last statement is there.
    const live = join(serverLogs, 'postgresql.log');
    for (let i = 0; i < 100 && !readFileSync(live, 'utf8').includes('division by zero'); i++) await new Promise((r) => setTimeout(r, 100));
    const file = join(logs, 'postgresql.log');
    copyFileSync(live, file);
    chmodSync(file, 0o644);
    const args = ['--format', 'json', '--prefix', SEED_PREFIX];
    const local = pgdba(false, 'logs', file, ...args);
    assert.ok(local.code === 0 || local.code === 1, local.err);
    assert.match(local.out, /division by zero/);
    // Read over the hop, a file's label (and every sample's file) names the hop's machine; all else is the same.
    const hopLabel = `${sshd.keyUser.name}@127.0.0.1:${sshd.port}:`;
    for (const path of [file, logs]) {
      const viaHop = pgdba(true, 'logs', path, ...args);
      assert.equal(viaHop.code, local.code, viaHop.err);
      assert.ok(viaHop.out.includes(`"${hopLabel}${file}"`), viaHop.out);
      assert.deepEqual(JSON.parse(viaHop.out.replaceAll(hopLabel, '')), JSON.parse(local.out));
    }
    // --url without PATH: the server's log_directory, its files read on the hop's machine (not through SQL).
    const fromServer = pgdba(true, 'logs', '--url', pgsrv.url, '--format', 'json');
    assert.ok(fromServer.code === 0 || fromServer.code === 1, fromServer.err);
    const served = JSON.parse(fromServer.out) as { sources: { label: string; prefix: string }[] };
    assert.deepEqual(
      served.sources.map((x) => [x.label, x.prefix]),
      [[`${hopLabel}${live}`, SEED_PREFIX]],
    );
    assert.match(fromServer.out, /division by zero/);
    const missing = pgdba(true, 'logs', join(logs, 'gone.log'), ...args);
    assert.equal(missing.code, 2);
    assert.match(missing.err, new RegExp(`gone\\.log does not exist on ${sshd.keyUser.name}@127\\.0\\.0\\.1:${sshd.port}`));
  });

  test('pgdba bouncer --ssh: the console reached through the tunnel; an unknown host key refuses it (it did go through the hop)', () => {
    const console = `postgres://${encodeURIComponent(new URL(pgsrv.url).username)}@127.0.0.1:${bouncer.port}/pgbouncer`;
    const r = pgdba(true, 'bouncer', '--url', console, '--server-url', pgsrv.url, '--format', 'json');
    assert.ok(r.code === 0 || r.code === 1, r.err);
    const doc = JSON.parse(r.out) as { version: string; pools: { database: string }[] };
    assert.match(doc.version, /PgBouncer/);
    assert.ok(Array.isArray(doc.pools));
    const fresh = join(dir, 'fresh_known_hosts');
    const refused = spawnSync(
      process.execPath,
      [cli, 'bouncer', '--url', console, '--ssh', `${sshd.keyUser.name}@127.0.0.1:${sshd.port}`, '--known-hosts', fresh],
      { env: { ...process.env, HOME: dir, SSH_AUTH_SOCK: sshd.agentSocket }, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(refused.status, 2);
    assert.ok(refused.stderr.includes(fingerprint(sshd.hostKey())), refused.stderr);
  });

  test('pgdba schedule and advise --ssh: they reach the server through the hop (an unknown host key refuses them with its fingerprint)', () => {
    const fresh = join(dir, 'unknown_known_hosts');
    const hopArgs = ['--ssh', `${sshd.keyUser.name}@127.0.0.1:${sshd.port}`];
    const out = join(dir, 'schedule');
    const scheduled = pgdba(true, 'schedule', '--db', 'postgres', '--out', out, '--url', pgsrv.url);
    assert.equal(scheduled.code, 0, scheduled.err);
    // The service's deadline is sized from the database read through the tunnel: a small one gets the 30 min floor, not 6 h (size unknown).
    assert.match(readFileSync(join(out, 'postgresql-backup.service'), 'utf8'), /^TimeoutStartSec=30min$/m);
    const advised = pgdba(true, 'advise', '--url', pgsrv.url);
    // The test server has no pg_stat_statements: the advisor says so, which it can only learn from the server.
    assert.equal(advised.code, 2);
    assert.match(advised.err, /pg_stat_statements/);
    assert.doesNotMatch(advised.err, /Cannot connect|No PostgreSQL server/);
    for (const args of [
      ['schedule', '--db', 'postgres', '--out', join(dir, 'schedule-refused'), '--url', pgsrv.url],
      ['advise', '--url', pgsrv.url],
    ]) {
      const refused = spawnSync(process.execPath, [cli, ...args, ...hopArgs, '--known-hosts', fresh], {
        env: { ...process.env, HOME: dir, SSH_AUTH_SOCK: sshd.agentSocket },
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(refused.status, 2, `${args[0]}: ${refused.stderr}`);
      assert.ok(refused.stderr.includes(fingerprint(sshd.hostKey())), refused.stderr);
    }
    const noUrl = pgdba(true, 'schedule', '--db', 'postgres', '--out', join(dir, 'schedule-nourl'));
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.err, /--ssh needs --url/);
  });

  test("pgdba health --ssh --backup-dir: the nightly job's timer is looked for on the hop's machine (which runs no systemd here), the note names it", () => {
    const backups = tempDir('sshcli-backups');
    const r = pgdba(true, 'health', '--url', pgsrv.url, '--checks', 'weekly', '--format', 'json', '--backup-dir', backups);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    const report = JSON.parse(r.out) as { servers: { ok: boolean; error?: string; report?: { findings: { check: string; why: string }[] } }[] };
    assert.ok(report.servers[0]?.ok, report.servers[0]?.error);
    const why = report.servers
      .flatMap((x) => x.report?.findings ?? [])
      .filter((f) => f.check === 'backup')
      .map((f) => f.why)
      .join('\n');
    // The machine is read through the session: its label is the hop's, and the verdict is that machine's own.
    const systemd = existsSync('/run/systemd/system');
    const hopLabel = `${sshd.keyUser.name}@127.0.0.1:${sshd.port}`;
    if (systemd) assert.match(why, /postgresql-backup\.timer/, why);
    else assert.ok(why.includes(`${hopLabel} does not run systemd (no /run/systemd/system)`), why);
  });

  test("sslmode=verify-full through the tunnel: the certificate is checked against the URL's host, not the tunnel's 127.0.0.1 (pg and pg_dump)", () => {
    const trust = { NODE_EXTRA_CA_CERTS: certs.caFile, PGSSLROOTCERT: certs.caFile };
    const at = (host: string, mode = 'verify-full') => {
      const u = new URL(pgsrv.url);
      u.hostname = host;
      u.search = `?sslmode=${mode}`;
      return u.toString();
    };
    const run = (env: NodeJS.ProcessEnv, ...args: string[]) => {
      const r = spawnSync(process.execPath, [cli, ...args, '--ssh', `${sshd.keyUser.name}@127.0.0.1:${sshd.port}`, '--known-hosts', knownHosts], {
        env: { ...process.env, HOME: dir, SSH_AUTH_SOCK: sshd.agentSocket, PGDBA_BACKUP_DIR: '', ...env },
        encoding: 'utf8',
        timeout: 120_000,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    // The certificate names localhost, which the SSH server's machine resolves: the pool's TLS checks that name.
    const ok = run(trust, 'host', '--url', at('localhost'), '--format', 'json');
    assert.equal(ok.code, 0, ok.err);
    assert.equal((JSON.parse(ok.out) as { source: string }).source, 'ssh');
    // The check is real: a host the certificate does not name is refused, in words naming that host.
    const wrongName = run(trust, 'host', '--url', at('127.0.0.1'), '--format', 'json');
    assert.equal(wrongName.code, 2);
    assert.match(wrongName.err, /Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1 is not in the cert's list/);
    // And the chain: without the CA, the certificate is not trusted (verify-ca too, which checks no name).
    for (const mode of ['verify-full', 'verify-ca']) {
      const untrusted = run({}, 'host', '--url', at('localhost', mode), '--format', 'json');
      assert.equal(untrusted.code, 2, mode);
      assert.match(
        untrusted.err,
        /self-signed certificate in certificate chain|unable to get local issuer certificate|unable to verify the first certificate/,
        `${mode}: ${untrusted.err}`,
      );
    }
    const caOnly = run(trust, 'host', '--url', at('127.0.0.1', 'verify-ca'), '--format', 'json');
    assert.equal(caOnly.code, 0, `verify-ca checks the chain only, as libpq: ${caOnly.err}`);
    // pg_dump through the tunnel: libpq connects to its loopback end (hostaddr) and checks the URL's host.
    const backups = tempDir('sshcli-tls-backups');
    const dumped = run(trust, 'backup', '--db', 'postgres', '--dir', backups, '--url', at('localhost'));
    assert.equal(dumped.code, 0, dumped.err);
    assert.match(dumped.out, /postgres-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\.dump/);
  });

  test('pgdba health --ssh --bouncer-url: the console goes through the hop too (a closed port fails in the tunnel, not as a refusal here)', async () => {
    const closed = await freePort();
    const r = pgdba(
      true,
      'health',
      '--url',
      pgsrv.url,
      '--checks',
      'daily',
      '--format',
      'json',
      '--bouncer-url',
      `postgres://postgres@127.0.0.1:${closed}/pgbouncer`,
    );
    assert.ok(r.code === 0 || r.code === 1, r.err);
    const why = /"why": "(PgBouncer's console at [^"]*)"/.exec(r.out)?.[1];
    assert.ok(why, r.out);
    // Reached directly, the closed port is "No PostgreSQL server answers at …" (a refusal here); through the
    // tunnel, sshd's channel to it fails and the local end of the tunnel is closed: the client sees a reset,
    // the person the tunnel's reason.
    assert.doesNotMatch(why, /No PostgreSQL server answers|ECONNREFUSED|ECONNRESET/);
    assert.match(why, new RegExp(`SSH .* could not forward to 127\\.0\\.0\\.1:${closed}: nothing accepted the connection`));
  });
});
