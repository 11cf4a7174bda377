// A real OpenSSH server for the SSH hop's tests: Debian's /usr/sbin/sshd started with its own
// config and host key on 127.0.0.1 and a free port (never the system's sshd), its own authorized
// keys, and three users: one with a plain key (also loaded into an ssh-agent the test starts), one
// with a passphrase-protected key, one with a password. sshd needs root to log users in; the rig
// runs as root, and creates the users with useradd when they are missing (idempotent: an existing
// user is kept, its password set again each run).
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NetConnectOpts } from 'node:net';
import { randomBytes } from 'node:crypto';
import { stallProcesses } from './stall';
import { freePort } from '../../scripts/lib/pgServer';

export const SSHD = '/usr/sbin/sshd';
const SFTP_SERVER = ['/usr/lib/openssh/sftp-server', '/usr/libexec/openssh/sftp-server'].find((p) => existsSync(p)) ?? 'internal-sftp';

/** Why the rig cannot run here, or undefined when it can. */
export function sshSkipReason(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is missing (apt-get install openssh-server; scripts/setup-system.sh does)`;
  if (process.getuid?.() !== 0) return 'sshd logs users in only when run as root; run the rig as root';
  for (const tool of ['ssh-keygen', 'ssh-agent', 'ssh-add', 'useradd', 'chpasswd']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is missing (openssh-client, passwd)`;
    }
  }
  return undefined;
}

export interface SshUser {
  name: string;
  /** The private key file (keyUser, phraseUser). */
  keyFile?: string;
  passphrase?: string;
  password?: string;
}

export interface SshServer {
  host: '127.0.0.1';
  port: number;
  dir: string;
  keyUser: SshUser;
  phraseUser: SshUser;
  passwordUser: SshUser;
  /** The server's host key, as its .pub line's blob. */
  hostKey(): Buffer;
  /** A known_hosts text that knows this server (for the tests that are not about host keys). */
  knownHostsLine(): string;
  /** Why `added` (what pgdba appended to known_hosts) is not one hashed line for this server's key, as ssh-keygen -F finds it; undefined when it is. */
  savedKeyProblem(file: string, added: string): string | undefined;
  /** A fresh host key (the server "reinstalled"); takes effect at the next start. */
  newHostKey(): void;
  /** Kills sshd and every session process it forked, as a crash or a reboot would. */
  kill(): void;
  /** Stops (SIGSTOP) every session process sshd forked, as a stalled link would; returns what resumes them. */
  stall(): () => void;
  start(): Promise<void>;
  /** The agent's socket, holding keyUser's key. */
  agentSocket: string;
  /** sshd's last lines of stderr, for a failure's message. */
  log(): string;
  stop(): void;
}

const USERS = { key: 'pgdba-ssh-key', phrase: 'pgdba-ssh-phrase', password: 'pgdba-ssh-pw' } as const;

function ensureUser(name: string, password: string): void {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['-M', '-d', '/nonexistent', '-s', '/bin/sh', name]);
  }
  // A password unlocks the account (sshd refuses a locked one even for keys without PAM).
  execFileSync('chpasswd', [], { input: `${name}:${password}\n` });
}

function keygen(file: string, passphrase = ''): void {
  // 4 KDF rounds, not 16: ssh2 derives the key in JavaScript, and the tests decrypt it several times.
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-a', '4', '-N', passphrase, '-C', 'pgdba-test', '-f', file]);
}

/** Every descendant of pid, from /proc (sshd's session children may leave its process group). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    for (const c of children.get(p) ?? []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

/** Starts sshd with its files in `dir` (a tempDir of the caller, made where its removal runs after the suite). */
/** One connect attempt: true when something accepts at the address. */
function accepts(to: { port: number; host: string } | { path: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(to as NetConnectOpts, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** config: more sshd_config lines, before the Match blocks (sshd takes a keyword's first value: these win over the defaults below). */
export async function startSshServer(dir: string, opts: { config?: string[] } = {}): Promise<SshServer> {
  chmodSync(dir, 0o755); // sshd reads authorized_keys as the user
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // its privilege separation directory
  const port = await freePort();
  const hostKeyFile = join(dir, 'host_ed25519');
  keygen(hostKeyFile);
  const keysDir = join(dir, 'authorized');
  mkdirSync(keysDir, { mode: 0o755 });

  const keyUser: SshUser = { name: USERS.key, keyFile: join(dir, 'id_plain') };
  const phraseUser: SshUser = { name: USERS.phrase, keyFile: join(dir, 'id_phrase'), passphrase: `pp-${randomBytes(6).toString('hex')}` };
  const passwordUser: SshUser = { name: USERS.password, password: `pw-${randomBytes(9).toString('hex')}` };
  keygen(keyUser.keyFile!);
  keygen(phraseUser.keyFile!, phraseUser.passphrase);
  for (const u of [keyUser, phraseUser, passwordUser]) ensureUser(u.name, u.password ?? randomBytes(18).toString('hex'));
  writeFileSync(join(keysDir, keyUser.name), readFileSync(`${keyUser.keyFile!}.pub`), { mode: 0o644 });
  writeFileSync(join(keysDir, phraseUser.name), readFileSync(`${phraseUser.keyFile!}.pub`), { mode: 0o644 });

  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      ...(opts.config ?? []),
      `ListenAddress 127.0.0.1`,
      `Port ${port}`,
      `HostKey ${hostKeyFile}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${keysDir}/%u`,
      // The temp folder lies under a world-writable /tmp, which StrictModes refuses.
      `StrictModes no`,
      `UsePAM no`,
      `PermitRootLogin no`,
      `PasswordAuthentication no`,
      `KbdInteractiveAuthentication no`,
      `AllowTcpForwarding yes`,
      `Subsystem sftp ${SFTP_SERVER}`,
      `LogLevel ERROR`,
      `Match User ${passwordUser.name}`,
      `  PasswordAuthentication yes`,
      '',
    ].join('\n'),
  );

  let sshd: ChildProcess | undefined;
  let log = '';
  const start = async (): Promise<void> => {
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    sshd = child;
    child.stderr.on('data', (b: Buffer) => (log = (log + b.toString()).slice(-4000)));
    // Ready when the port accepts: probe with a TCP connect, bounded.
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${log}`);
      if (await accepts({ port, host: '127.0.0.1' })) return;
      if (i > 200) throw new Error(`sshd did not listen on ${port} within 10 s: ${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const kill = (): void => {
    const pid = sshd?.pid;
    if (pid === undefined || sshd?.exitCode !== null) return;
    for (const p of [pid, ...descendants(pid)]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    sshd = undefined;
  };

  const agentSocket = join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
  // The socket file appears at bind(), before listen(): wait until it accepts, not until it exists.
  for (let i = 0; !(await accepts({ path: agentSocket })); i++) {
    if (i > 200) throw new Error('ssh-agent did not accept on its socket within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  execFileSync('ssh-add', ['-q', keyUser.keyFile!], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, stdio: 'ignore' });

  const pubBlob = () => Buffer.from(readFileSync(`${hostKeyFile}.pub`, 'utf8').split(' ')[1]!, 'base64');
  const server: SshServer = {
    host: '127.0.0.1',
    port,
    dir,
    keyUser,
    phraseUser,
    passwordUser,
    agentSocket,
    hostKey: pubBlob,
    knownHostsLine: () => `[127.0.0.1]:${port} ssh-ed25519 ${pubBlob().toString('base64')}\n`,
    savedKeyProblem: (file, added) => {
      const words = added.replace(/\n$/, '').split(' ');
      if (!added.endsWith('\n') || added.indexOf('\n') !== added.length - 1) return `not one line: ${JSON.stringify(added)}`;
      if (!/^\|1\|[^|]+\|[^|]+$/.test(words[0] ?? '') || added.includes('127.0.0.1')) return `the host is not hashed: ${added}`;
      if (words[1] !== 'ssh-ed25519' || words[2] !== pubBlob().toString('base64')) return `another key: ${added}`;
      // OpenSSH's own lookup, which hashes the name under each line's salt.
      const found = spawnSync('ssh-keygen', ['-F', `[127.0.0.1]:${port}`, '-f', file], { encoding: 'utf8' });
      return found.stdout.includes(words[0]!) ? undefined : `ssh-keygen -F [127.0.0.1]:${port} does not find it: ${found.stdout}${found.stderr}`;
    },
    newHostKey: () => {
      execFileSync('rm', ['-f', '--', hostKeyFile, `${hostKeyFile}.pub`]);
      keygen(hostKeyFile);
    },
    kill,
    stall: () => stallProcesses(sshd?.pid === undefined ? [] : descendants(sshd.pid)),
    start,
    log: () => log,
    stop: () => {
      kill();
      agent.kill('SIGKILL');
    },
  };
  await start();
  return server;
}
