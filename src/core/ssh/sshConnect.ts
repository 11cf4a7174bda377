// One SSH connection: the host key checked against known_hosts before anything is sent, then the
// agent, the key files and a password in that order, all within one deadline. The person is never
// asked inside the deadline: an unknown key or a password the server wants ends this attempt with
// an error, and sshSession.ts asks through its port and tries again.
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import type { AnyAuthMethod, AuthenticationType, Client, ConnectConfig, ParsedKey } from 'ssh2';
import type { Readable } from 'node:stream';
import { checkHostKey, fingerprint, fingerprintOf, keyType, knownHostName, knownHostsLine, knownKeyTypes } from './knownHosts';
import { ChangedHostKeyError, RevokedHostKeyError, SshAuthError, UnknownHostKeyError, type HostKeyInfo } from './sshErrors';
import type { ResolvedHop } from './sshConfig';
import { describeSshTarget } from './sshTarget';
import { importBundled } from '../bundledPart';

export const SSH_READY_TIMEOUT_MS = 15_000;
export const KEEPALIVE_INTERVAL_MS = 10_000;
export const KEEPALIVE_COUNT_MAX = 3;

export interface SshAttempt {
  knownHostsFile: string;
  /** An unknown key with exactly this blob is accepted and appended to known_hosts (the person confirmed it). */
  acceptKey?: Buffer;
  agentSocket?: string;
  keys: ParsedKey[];
  password?: string;
  readyTimeoutMs?: number;
  /** An established stream to the host (the jump host's forward), instead of a TCP connection. */
  sock?: Readable;
}

/** The host keys's SSH algorithm names ssh2 negotiates, for preferring the types known_hosts records. */
const HOST_KEY_ALGOS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

function preferredHostKeys(known: string[]): string[] {
  const algos = new Set<string>();
  for (const t of known) {
    if (t === 'ssh-rsa') ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'].forEach((a) => algos.add(a));
    else if (HOST_KEY_ALGOS.includes(t)) algos.add(t);
  }
  HOST_KEY_ALGOS.forEach((a) => algos.add(a));
  return [...algos];
}

async function readKnownHosts(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Appends the accepted key's line; the folder is made 0700 and the file 0600 when they are new, as ssh does. */
export async function addKnownHost(file: string, host: string, port: number, blob: Buffer): Promise<void> {
  await fs.mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const text = await readKnownHosts(file);
  const sep = text && !text.endsWith('\n') ? '\n' : '';
  await fs.appendFile(file, sep + knownHostsLine(host, port, blob), { mode: 0o600 });
}

type Ssh2Module = typeof import('./ssh2Module');

/** ssh2 (dist/ssh2.js), on the first login through a hop. */
const loadSsh2 = () => importBundled<Ssh2Module>('ssh2', './ssh/ssh2Module');

/** Connects and logs in, or throws one of sshErrors' errors (or the network's, in words). */
export async function connectOnce(hop: ResolvedHop, a: SshAttempt): Promise<Client> {
  const known = await readKnownHosts(a.knownHostsFile);
  const target = describeSshTarget(hop);
  let keyFailure: Error | undefined;
  const tried: string[] = [];
  let offered: string[] = [];

  // "none" first, as ssh does: the server's answer lists the methods it accepts.
  const methods: AnyAuthMethod[] = [{ type: 'none', username: hop.user }];
  if (a.agentSocket) methods.push({ type: 'agent', username: hop.user, agent: a.agentSocket });
  for (const key of a.keys) methods.push({ type: 'publickey', username: hop.user, key });
  if (a.password !== undefined) methods.push({ type: 'password', username: hop.user, password: a.password });

  const client = new (await loadSsh2()).Client();
  const config: ConnectConfig = {
    host: hop.host,
    port: hop.port,
    username: hop.user,
    readyTimeout: a.readyTimeoutMs ?? SSH_READY_TIMEOUT_MS,
    keepaliveInterval: KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: KEEPALIVE_COUNT_MAX,
    algorithms: { serverHostKey: preferredHostKeys(knownKeyTypes(known, hop.host, hop.port)) as never },
    ...(a.sock ? { sock: a.sock } : {}),
    hostVerifier: (blob: Buffer, verify: (ok: boolean) => void) => {
      const info: HostKeyInfo = { host: hop.host, port: hop.port, keyType: keyType(blob), fingerprint: fingerprint(blob), knownHostsFile: a.knownHostsFile };
      const v = checkHostKey(known, hop.host, hop.port, blob);
      if (v.kind === 'known') return verify(true);
      if (v.kind === 'revoked') keyFailure = new RevokedHostKeyError(info, v.line);
      else if (v.kind === 'changed')
        keyFailure = new ChangedHostKeyError(
          info,
          v.old.map((k) => ({ fingerprint: fingerprintOf(k), keyType: k.type, line: k.line })),
        );
      else if (a.acceptKey?.equals(blob)) {
        addKnownHost(a.knownHostsFile, hop.host, hop.port, blob).then(
          () => verify(true),
          (e: Error) => {
            keyFailure = new Error(`cannot add ${knownHostName(hop.host, hop.port)} to ${a.knownHostsFile}: ${e.message}`);
            verify(false);
          },
        );
        return;
      } else keyFailure = new UnknownHostKeyError(info, blob);
      verify(false);
    },
    authHandler: (left: AuthenticationType[] | null, _partial: boolean | null, next: (m: AnyAuthMethod | false) => void) => {
      if (left) offered = left;
      for (let m = methods.shift(); m; m = methods.shift()) {
        if (left && !left.includes(m.type === 'agent' ? 'publickey' : m.type)) continue;
        if (m.type !== 'none') tried.push(m.type === 'publickey' ? `key ${keyLabel(m.key)}`.trim() : m.type);
        return next(m);
      }
      next(false);
    },
  } as ConnectConfig;

  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      client.removeAllListeners('ready');
      client.end();
      if (keyFailure) return reject(keyFailure);
      if ((e as { level?: string }).level === 'client-authentication') return reject(new SshAuthError(target, tried, offered));
      if (/timed out while waiting for handshake/i.test(e.message)) {
        return reject(new Error(`SSH ${target} did not complete its handshake and login within ${Math.round((config.readyTimeout ?? 0) / 1000)} s`));
      }
      const code = (e as NodeJS.ErrnoException).code;
      reject(new Error(`SSH ${target}: ${code === 'ECONNREFUSED' ? 'nothing listens at that port (is sshd running?)' : e.message}`));
    };
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    // Stays after the login: a later error goes to the session's listener, a late one of a failed attempt nowhere.
    client.on('error', fail);
    client.once('close', () => fail(new Error('the connection closed during the handshake')));
    client.connect(config);
  }).finally(() => client.removeAllListeners('close'));
}

/** A private key file as ssh2 needs it; `passphrase` for an encrypted one (`undefined` → says it needs one). */
export async function parsePrivateKey(file: string, data: Buffer, passphrase?: string): Promise<ParsedKey | 'needs-passphrase'> {
  const r = (await loadSsh2()).utils.parseKey(data, passphrase);
  if (r instanceof Error) {
    if (passphrase === undefined && /encrypted|passphrase/i.test(r.message)) return 'needs-passphrase';
    if (passphrase !== undefined && /bad passphrase|decrypt/i.test(r.message)) throw new Error(`the passphrase of ${file} is wrong`);
    throw new Error(`${file} is not a private key ssh2 can read: ${r.message}`);
  }
  return Array.isArray(r) ? (r[0] as ParsedKey) : r;
}

function keyLabel(k: ParsedKey | Buffer | string): string {
  return typeof k === 'string' || Buffer.isBuffer(k) ? '' : k.comment || k.type;
}
