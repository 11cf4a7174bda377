// The SSH hop against a real OpenSSH server (test/support/sshServer.ts) and a PostgreSQL that
// listens only on 127.0.0.1: the agent, a key with a passphrase, a password; unknown, accepted and
// changed host keys; a wrong key; sshd killed and restarted under a pool; pg_dump through the tunnel.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv, databaseArgs, parseConnectionUrl, resolveConnection, type PgConnection } from '../../src/core/db/connection';
import { explainConnectError } from '../../src/core/db/connectError';
import { freePort } from '../../scripts/lib/pgServer';
import { createPool } from '../../src/core/db/pool';
import { SshHops } from '../../src/core/ssh/sshHops';
import type { SshPrompts, SshSession } from '../../src/core/ssh/sshSession';
import { SshHost } from '../../src/core/ssh/sshHost';
import { ChangedHostKeyError, SshAuthError, UnknownHostKeyError } from '../../src/core/ssh/sshErrors';
import { fingerprint } from '../../src/core/ssh/knownHosts';
import { sshSkipReason, startSshServer, type SshServer } from '../support/sshServer';
import { getTestServer, type TestServer } from '../support/testServer';
import { tempDir } from '../support/tempDir';
import { HOSTILE_WORDS } from '../support/hostileWords';
import { buildCliBundle } from '../support/cliBundle';
import { HostPermissionError } from '../../src/core/host/hostAccess';
import { HeldHost } from '../../src/core/ssh/heldHost';
import { Fingerprinter, LogAnalyzer, hostFileSource, readLogs, type LogSource } from '../../src/core/logs';
import { CHUNK_BYTES } from '../../src/core/logs/sources';

const execFileP = promisify(execFile);
const skip = sshSkipReason();
if (skip) console.log(`# sshHop skipped: ${skip}`);

describe('SSH hop', { skip }, () => {
  let sshd: SshServer;
  let pgsrv: TestServer;
  let target: PgConnection;
  const dir = tempDir('sshhop');
  const sshdDir = tempDir('sshd');
  const knownHosts = join(dir, 'known_hosts');
  const sshConfig = join(dir, 'ssh_config');
  const hopsToClose: SshHops[] = [];

  before(async () => {
    [sshd, pgsrv] = await Promise.all([startSshServer(sshdDir), getTestServer({ major: 15 })]);
    target = parseConnectionUrl(pgsrv.url);
    writeFileSync(knownHosts, sshd.knownHostsLine());
    writeFileSync(sshConfig, '# the hops are named in full\n');
  });
  after(async () => {
    if (process.env.PGDBA_SSHD_LOG) console.log(sshd?.log());
    hopsToClose.forEach((h) => h.closeAll());
    sshd?.stop();
    await pgsrv?.stop();
  });

  /** Prompts that answer as told and count the questions. */
  function prompts(answers: { accept?: boolean; passphrase?: string; password?: string } = {}): SshPrompts & { asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      confirmHostKey: (info) => (asked.push(`host ${info.fingerprint}`), Promise.resolve(answers.accept ?? false)),
      passphrase: (file) => (asked.push(`passphrase ${file}`), Promise.resolve(answers.passphrase)),
      password: (t) => (asked.push(`password ${t}`), Promise.resolve(answers.password)),
      passphraseRefused: (file) => (asked.push(`refused ${file}`), Promise.resolve()),
    };
  }

  function hops(p: SshPrompts, o: { agent?: boolean; knownHostsFile?: string } = {}): SshHops {
    const h = new SshHops({
      prompts: p,
      knownHostsFile: o.knownHostsFile ?? knownHosts,
      sshConfigFile: sshConfig,
      agentSocket: o.agent ? sshd.agentSocket : '',
      home: dir, // no default keys there: each test names its key
      readyTimeoutMs: 10_000,
    });
    hopsToClose.push(h);
    return h;
  }

  const via = (user: string, extra: { sshIdentityFile?: string } = {}) => ({ ...target, name: `hop-${user}`, ssh: `${user}@127.0.0.1:${sshd.port}`, ...extra });

  async function selectThroughHop(h: SshHops, profile: ReturnType<typeof via>): Promise<string> {
    const c = await resolveConnection(profile, undefined, {}, (p) => h.endpoint(p));
    const pool = createPool(c, { statementTimeoutMs: 10_000, max: 1 });
    try {
      return (await pool.query<{ a: string }>('SELECT inet_server_addr()::text AS a')).rows[0]!.a;
    } finally {
      await pool.end();
    }
  }

  test('the agent: a pool query reaches the server listening only on 127.0.0.1; one session per hop, closed with the last holder', async () => {
    const h = hops(prompts(), { agent: true });
    const profile = via(sshd.keyUser.name);
    assert.equal(await selectThroughHop(h, profile), '127.0.0.1/32');
    await h.endpoint({ ...profile, name: 'second holder' });
    assert.equal(h.openSessions().length, 1);
    assert.equal(h.openSessions()[0]!.connects, 1);
    h.release(profile.name);
    assert.equal(h.openSessions().length, 1);
    h.release('second holder');
    assert.equal(h.openSessions().length, 0);
  });

  test('a key with a passphrase: asked once for two sessions', async () => {
    const p = prompts({ passphrase: sshd.phraseUser.passphrase! });
    const h = hops(p);
    const profile = via(sshd.phraseUser.name, { sshIdentityFile: sshd.phraseUser.keyFile! });
    assert.equal(await selectThroughHop(h, profile), '127.0.0.1/32');
    h.closeAll();
    assert.equal(await selectThroughHop(h, profile), '127.0.0.1/32');
    assert.deepEqual(p.asked, [`passphrase ${sshd.phraseUser.keyFile!}`]);
  });

  test('a wrong passphrase: the error names the key file, and the front end is told to forget it', async () => {
    const p = prompts({ passphrase: 'not it' });
    await assert.rejects(hops(p).endpoint(via(sshd.phraseUser.name, { sshIdentityFile: sshd.phraseUser.keyFile! })), /passphrase of .*id_phrase is wrong/);
    assert.deepEqual(p.asked, [`passphrase ${sshd.phraseUser.keyFile!}`, `refused ${sshd.phraseUser.keyFile!}`]);
  });

  test('a password: asked when the server wants one, and the login works', async () => {
    const p = prompts({ password: sshd.passwordUser.password! });
    assert.equal(await selectThroughHop(hops(p), via(sshd.passwordUser.name)), '127.0.0.1/32');
    assert.deepEqual(p.asked, [`password ${sshd.passwordUser.name}@127.0.0.1:${sshd.port}`]);
  });

  test('a wrong key: a clear refusal naming what was tried, no hang', async () => {
    const h = hops(prompts());
    await assert.rejects(h.endpoint(via(sshd.keyUser.name, { sshIdentityFile: sshd.phraseUser.keyFile! })), (e: unknown) => {
      // The phrase key is skipped (no passphrase given) and no other method is left.
      assert.ok(e instanceof SshAuthError, String(e));
      assert.match(e.message, /refused every way pgdba tried.*ssh-add/);
      return true;
    });
    const wrong = join(dir, 'wrong');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrong]);
    await assert.rejects(
      h.endpoint(via(sshd.keyUser.name, { sshIdentityFile: wrong })),
      /refused every way pgdba tried to log in \(key pgdba|refused every way pgdba tried to log in \(key/,
    );
  });

  test('an unknown host key: refused with its fingerprint, then accepted and written to the given known_hosts', async () => {
    const file = join(dir, 'fresh_known_hosts');
    const refuse = prompts({ accept: false });
    await assert.rejects(hops(refuse, { agent: true, knownHostsFile: file }).endpoint(via(sshd.keyUser.name)), (e: unknown) => {
      assert.ok(e instanceof UnknownHostKeyError);
      assert.equal(e.info.fingerprint, fingerprint(sshd.hostKey()));
      assert.match(e.message, /SHA256:/);
      return true;
    });
    assert.deepEqual(refuse.asked, [`host ${fingerprint(sshd.hostKey())}`]);
    const accept = prompts({ accept: true });
    assert.equal(await selectThroughHop(hops(accept, { agent: true, knownHostsFile: file }), via(sshd.keyUser.name)), '127.0.0.1/32');
    assert.equal(sshd.savedKeyProblem(file, readFileSync(file, 'utf8')), undefined);
  });

  test('pg_dump through the tunnel: libpq tools reach the server by the forwarded loopback port', async () => {
    const h = hops(prompts(), { agent: true });
    const c = await resolveConnection(via(sshd.keyUser.name), undefined, {}, (p) => h.endpoint(p));
    assert.equal(c.via?.host, '127.0.0.1');
    assert.notEqual(c.via?.port, target.port);
    // Asynchronously: the tunnel lives in this process's event loop.
    const r = await execFileP('/usr/lib/postgresql/15/bin/pg_dump', ['--schema-only', '--no-password', ...databaseArgs(c, 'pg_dump')], {
      env: childEnv(c),
      timeout: 60_000,
    });
    assert.match(r.stdout, /PostgreSQL database dump complete/);
    h.closeAll();
  });

  test('sshd killed mid-session and restarted: the next pool query reconnects the session', async () => {
    const h = hops(prompts(), { agent: true });
    const profile = via(sshd.keyUser.name);
    const c = await resolveConnection(profile, undefined, {}, (p) => h.endpoint(p));
    const pool = createPool(c, { statementTimeoutMs: 10_000, max: 1 });
    try {
      await pool.query('SELECT 1');
      const session = h.openSessions()[0]!;
      const client = await session.connection();
      const dropped = new Promise((r) => client.once('close', () => r(undefined)));
      const idleGone = new Promise((r) => pool.once('remove', r));
      sshd.kill();
      await Promise.all([dropped, idleGone]); // the session saw the loss; the pool dropped its dead client
      await assert.rejects(pool.query('SELECT 1')); // sshd is down: the query fails, in time
      await sshd.start();
      assert.equal((await pool.query<{ n: number }>('SELECT 2 AS n')).rows[0]!.n, 2);
      assert.equal(session.connects, 2);
    } finally {
      await pool.end();
    }
  });

  /** The words a person gets for a pool query through the hop that cannot reach the server (it must fail). */
  async function refusalThroughHop(h: SshHops, profile: ReturnType<typeof via>): Promise<string> {
    const c = await resolveConnection(profile, undefined, {}, (p) => h.endpoint(p));
    const pool = createPool(c, { statementTimeoutMs: 10_000, max: 1 });
    try {
      const e = await pool.query('SELECT 1').then(
        () => assert.fail('the query went through'),
        (x: unknown) => x,
      );
      // What the client itself sees: its connection closed, nothing more.
      assert.match((e as Error).message, /ECONNRESET|Connection terminated unexpectedly/);
      return explainConnectError(e, c);
    } finally {
      await pool.end();
    }
  }

  test('a forward the sshd refuses (PermitOpen) and a closed port behind the hop: the client sees a reset, the person the reason and what to do', async () => {
    const closed = { ...via(sshd.keyUser.name), name: 'closed port', port: await freePort() };
    const why = await refusalThroughHop(hops(prompts(), { agent: true }), closed);
    assert.match(
      why,
      new RegExp(`SSH .*:${sshd.port} could not forward to 127\\.0\\.0\\.1:${closed.port}: nothing accepted the connection .* is PostgreSQL running there`),
    );
    // A second sshd that may forward only to a port where nothing is: the server's port is refused.
    const strictDir = tempDir('sshd-permitopen');
    const strict = await startSshServer(strictDir, { config: ['PermitOpen 127.0.0.1:1'] });
    try {
      const strictKnown = join(dir, 'strict_known_hosts');
      writeFileSync(strictKnown, strict.knownHostsLine());
      const h = hops(prompts(), { agent: true, knownHostsFile: strictKnown });
      const profile = { ...target, name: 'permitopen', ssh: `${strict.keyUser.name}@127.0.0.1:${strict.port}`, sshIdentityFile: strict.keyUser.keyFile! };
      const refused = await refusalThroughHop(h, profile);
      assert.match(refused, new RegExp(`could not forward to 127\\.0\\.0\\.1:${target.port}: the SSH server refuses to forward there .*PermitOpen`));
      // The session itself is fine: the host can still run a command.
      const host = await h.host({ ssh: profile.ssh, identityFile: profile.sshIdentityFile });
      try {
        assert.equal((await host.exec(['echo', 'ok'], { timeoutMs: 10_000 })).stdout.toString().trim(), 'ok');
      } finally {
        host.release();
      }
      h.closeAll();
    } finally {
      strict.stop();
    }
  });

  test('a changed host key: refused with the old and the new fingerprints and ssh-keygen -R', async () => {
    const old = fingerprint(sshd.hostKey());
    sshd.kill();
    sshd.newHostKey();
    await sshd.start();
    const p = prompts({ accept: true });
    await assert.rejects(hops(p, { agent: true }).endpoint(via(sshd.keyUser.name)), (e: unknown) => {
      assert.ok(e instanceof ChangedHostKeyError, String(e));
      assert.match(e.message, new RegExp(`${old.replace(/[+/]/g, '\\$&')}.*${fingerprint(sshd.hostKey()).replace(/[+/]/g, '\\$&')}`));
      assert.match(e.message, /ssh-keygen -R '\[127\.0\.0\.1\]:\d+'/);
      return true;
    });
    assert.deepEqual(p.asked, []); // never offered to accept
    assert.equal(readFileSync(knownHosts, 'utf8').split('\n').filter(Boolean).length, 1);
    writeFileSync(knownHosts, sshd.knownHostsLine()); // the administrator confirmed it: the later tests use the new key
  });

  test("HeldHost: a profile's machine under the profile's hold, working again after the hold was released (a dropped pool)", async () => {
    const h = hops(prompts(), { agent: true });
    const profile = via(sshd.keyUser.name);
    const host = new HeldHost(profile.ssh, () => h.sessionFor(profile));
    assert.equal((await host.exec(['echo', 'one'], { timeoutMs: 10_000 })).stdout.toString(), 'one\n');
    assert.equal(h.openSessions().length, 1);
    host.release(); // the profile's, not the caller's: the session stays
    assert.equal(h.openSessions().length, 1);
    h.release(profile.name); // what Connections.drop does with the profile's pools
    assert.equal(h.openSessions().length, 0);
    assert.equal((await host.exec(['echo', 'two'], { timeoutMs: 10_000 })).stdout.toString(), 'two\n');
    assert.equal(h.openSessions().length, 1, 'a new session, held by the profile again');
    h.release(profile.name);
    assert.equal(h.openSessions().length, 0);
  });

  test('HeldHost: a read whose session is released under it (settings changed, Refresh) is made once more on a new session', async () => {
    const h = hops(prompts(), { agent: true });
    const profile = via(sshd.keyUser.name);
    const host = new HeldHost(profile.ssh, () => h.sessionFor(profile));
    chmodSync(dir, 0o711); // the SSH user passes through the test's folder to the file
    const file = join(dir, 'held-read.txt');
    writeFileSync(file, 'read me\n');
    chmodSync(file, 0o644);
    await host.stat(file); // the session is open and this host's
    const first = h.openSessions()[0]!;
    // The release lands after the call took its session and before SFTP was opened on it.
    const [read, st] = [host.readFile(file, { maxBytes: 1024 }), host.stat(file)];
    h.release(profile.name);
    assert.equal((await read).toString(), 'read me\n');
    assert.equal((await st)?.size, 8);
    assert.ok(first.isClosed, 'the first session was closed under the calls');
    assert.equal(h.openSessions().length, 1, 'one new session, held by the profile');
    assert.notEqual(h.openSessions()[0], first);
    const cmd = host.exec(['echo', 'again'], { timeoutMs: 10_000 });
    h.release(profile.name);
    assert.equal((await cmd).stdout.toString(), 'again\n', 'a command not sent yet is sent on the new session');
    h.release(profile.name);
  });

  test('a log read through the hop that stalls stops as soon as it is cancelled, not at the SFTP deadline', async () => {
    const logDir = tempDir('sshhop-log');
    chmodSync(logDir, 0o755);
    const file = join(logDir, 'postgresql.log');
    const line = (i: number) =>
      `2026-12-01 10:00:00.${String(i % 1000).padStart(3, '0')} UTC [${i}] app@hotel LOG:  duration: 1001.5 ms  statement: SELECT ${i}\n`;
    writeFileSync(file, Array.from({ length: 40_000 }, (_, i) => line(i)).join(''), { mode: 0o644 });
    const host = await hops(prompts(), { agent: true }).host({ ssh: `${sshd.keyUser.name}@127.0.0.1:${sshd.port}` });
    let resume: (() => void) | undefined;
    try {
      const real = hostFileSource(host, file);
      // The sessions stop before the second chunk's read is sent: it waits on a link that says nothing.
      const source: LogSource = {
        label: real.label,
        gzip: false,
        stat: () => real.stat(),
        read: (offset, length) => {
          if (offset === CHUNK_BYTES) resume = sshd.stall();
          return real.read(offset, length);
        },
      };
      const stop = new AbortController();
      const reading = readLogs([source], new LogAnalyzer(await Fingerprinter.create()), { prefix: '%m [%p] %q%u@%d ', signal: stop.signal });
      for (let i = 0; resume === undefined; i++) {
        assert.ok(i < 600, 'the read reached its second chunk');
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 300));
      stop.abort(new Error('cancelled by the person'));
      await assert.rejects(reading, /cancelled by the person/);
      resume();
      // Stalled before the read began: its stat waits, and stops as soon.
      resume = sshd.stall();
      const again = new AbortController();
      const planning = readLogs([hostFileSource(host, file)], new LogAnalyzer(await Fingerprinter.create()), { signal: again.signal });
      await new Promise((r) => setTimeout(r, 300));
      again.abort(new Error('cancelled while finding the format'));
      await assert.rejects(planning, /cancelled while finding the format/);
    } finally {
      resume?.();
      host.release();
    }
  });

  test('SshHost exec: hostile argv words arrive literally, stdin, exit codes, a deadline and an output bound', async () => {
    const host = await hops(prompts(), { agent: true }).host({ ssh: `${sshd.keyUser.name}@127.0.0.1:${sshd.port}` });
    try {
      assert.equal(host.kind, 'ssh');
      const r = await host.exec(['printf', '%s\\0', ...HOSTILE_WORDS], { timeoutMs: 10_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.toString('utf8').split('\0').slice(0, -1), HOSTILE_WORDS);
      assert.equal(existsSync('/tmp/pgdba-pwned'), false);
      assert.equal((await host.exec(['cat'], { timeoutMs: 10_000, stdin: Buffer.from('through stdin') })).stdout.toString(), 'through stdin');
      assert.equal((await host.exec(['sh', '-c', 'exit 3'], { timeoutMs: 10_000 })).code, 3);
      await assert.rejects(host.exec(['sleep', '30'], { timeoutMs: 300 }), /did not finish within/);
      await assert.rejects(host.exec(['head', '-c', '100000', '/dev/zero'], { timeoutMs: 10_000, maxBytes: 1000 }), /more than 1000 bytes/);
    } finally {
      host.release();
    }
  });

  test('SshHost exec: a command whose exit status arrived before its listeners were attached still reports it', async () => {
    const host = await hops(prompts(), { agent: true }).host({ ssh: `${sshd.keyUser.name}@127.0.0.1:${sshd.port}` });
    try {
      // The exec's reply, the output, the exit-status and the close can come in one read (a fast
      // command on a loaded machine): SshHost attaches its listeners a tick later. Here that tick is
      // stretched to 300 ms, so the command is always over before they exist.
      const session = (host as unknown as { session: SshSession }).session;
      const late = new Proxy(session, {
        get(target, key) {
          if (key === 'exec')
            return async (command: string, timeoutMs: number) => {
              const ch = await target.exec(command, timeoutMs);
              await new Promise((r) => setTimeout(r, 300));
              return ch;
            };
          const v: unknown = Reflect.get(target, key);
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      const slow = new SshHost(late);
      const r = await slow.exec(['sh', '-c', 'printf done; exit 3'], { timeoutMs: 10_000 });
      assert.equal(r.code, 3);
      assert.equal(r.stdout.toString(), 'done');
      assert.equal((await slow.exec(['true'], { timeoutMs: 10_000 })).code, 0);
    } finally {
      host.release();
    }
  });

  test('SshHost files over SFTP: write, stat, read with an offset and a bound, rename over a file, chmod, unlink; refusals are HostPermissionError', async () => {
    const host = await hops(prompts(), { agent: true }).host({ ssh: `${sshd.keyUser.name}@127.0.0.1:${sshd.port}` });
    const work = join(dir, 'sftp');
    chmodSync(dir, 0o711); // the SSH user passes through the test's folder to its own
    mkdirSync(work, { mode: 0o777 });
    chmodSync(work, 0o777);
    try {
      const a = join(work, 'a.conf');
      const b = join(work, 'b.conf');
      await host.writeFile(a, Buffer.from('shared_buffers = 1GB\n'), { mode: 0o640 });
      await host.writeFile(b, Buffer.from('old'), { mode: 0o600 });
      const st = await host.stat(a);
      assert.equal(st?.isFile, true);
      assert.equal(st?.size, 21);
      assert.equal(st.mode & 0o777 & ~0o640, 0);
      assert.equal((await host.readFile(a, { maxBytes: 100, offset: 17 })).toString(), '1GB\n');
      await assert.rejects(host.readFile(a, { maxBytes: 5 }), /21 bytes, more than the 5/);
      await host.rename(a, b);
      assert.equal(await host.stat(a), undefined);
      assert.equal(readFileSync(b, 'utf8'), 'shared_buffers = 1GB\n');
      await host.chmod(b, 0o604);
      assert.equal(statSync(b).mode & 0o777, 0o604);
      await host.unlink(b);
      await host.unlink(b); // a missing file is no error
      assert.equal(existsSync(b), false);
      await assert.rejects(host.readFile('/etc/shadow', { maxBytes: 1 << 20 }), (e: unknown) => e instanceof HostPermissionError && e.operation === 'read');
      await assert.rejects(
        host.writeFile('/etc/pgdba-ssh-test', Buffer.from('x'), { mode: 0o644 }),
        (e: unknown) => e instanceof HostPermissionError && e.path === '/etc/pgdba-ssh-test',
      );
      assert.equal(existsSync('/etc/pgdba-ssh-test'), false);
    } finally {
      host.release();
    }
  });

  describe('the CLI', () => {
    const cli = join(dir, 'cli.js');
    before(() => buildCliBundle(cli));

    /** The built CLI with the agent, a home without ~/.ssh and the database URL of the server as the SSH server sees it. */
    function pgdba(knownHostsFile: string, ...args: string[]): { code: number | null; out: string; err: string } {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, SSH_AUTH_SOCK: sshd.agentSocket };
      const ssh = ['--ssh', `${sshd.keyUser.name}@127.0.0.1:${sshd.port}`, '--known-hosts', knownHostsFile];
      const r = spawnSync(process.execPath, [cli, ...args, '--url', pgsrv.url, ...ssh], { env, encoding: 'utf8', timeout: 120_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    }

    test('an unknown host key: exit 2 with its fingerprint and nothing written; --accept-new-host-key adds it and health runs through the hop', () => {
      const file = join(dir, 'cli_known_hosts');
      const refused = pgdba(file, 'health', '--checks', 'daily');
      assert.equal(refused.code, 2, refused.err);
      assert.match(refused.err, new RegExp(`not in .*cli_known_hosts.*${fingerprint(sshd.hostKey()).replace(/[+/]/g, '\\$&')}.*--accept-new-host-key`));
      assert.equal(existsSync(file), false);
      const accepted = pgdba(file, 'health', '--checks', 'daily', '--accept-new-host-key', '--format', 'json');
      assert.ok(accepted.code === 0 || accepted.code === 1, accepted.err);
      assert.equal(sshd.savedKeyProblem(file, readFileSync(file, 'utf8')), undefined);
      const report = JSON.parse(accepted.out) as { servers: { ok: boolean }[] };
      assert.equal(report.servers[0]?.ok, true);
    });

    test('a changed host key: exit 2 with both fingerprints and ssh-keygen -R, even with --accept-new-host-key', () => {
      const file = join(dir, 'cli_stale_known_hosts');
      const stale = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
      writeFileSync(file, `[127.0.0.1]:${sshd.port} ssh-ed25519 ${stale.toString('base64')}\n`);
      const r = pgdba(file, 'health', '--accept-new-host-key');
      assert.equal(r.code, 2);
      assert.ok(r.err.includes(fingerprint(stale)) && r.err.includes(fingerprint(sshd.hostKey())), r.err);
      assert.match(r.err, /ssh-keygen -R/);
      assert.equal(readFileSync(file, 'utf8').split('\n').filter(Boolean).length, 1);
    });

    test('--ssh-key without --ssh is a usage error', () => {
      const r = spawnSync(process.execPath, [cli, 'health', '--ssh-key', 'x'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /--ssh-key needs --ssh/);
    });
  });
});
