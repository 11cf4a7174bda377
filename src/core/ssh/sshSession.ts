// One SSH session per hop, shared by everything that uses the host (pools, tools, HostAccess):
// reference-counted, kept alive, connected again on the next use after it dropped, closed with the
// last release. The person is asked only through SshPrompts, outside any deadline.
import { promises as fs } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel, ParsedKey, SFTPWrapper } from 'ssh2';
import { connectOnce, parsePrivateKey, type SshAttempt } from './sshConnect';
import { ForwardRefusedError, SshAuthError, UnknownHostKeyError, type HostKeyInfo } from './sshErrors';
import { noteForwardFailure } from './forwardFailures';
import type { ResolvedHop } from './sshConfig';
import { describeSshTarget } from './sshTarget';

export const FORWARD_TIMEOUT_MS = 10_000;

/** What a front end asks the person: VS Code with a modal and SecretStorage, the CLI from its flags and environment. */
export interface SshPrompts {
  /** An unknown host key: true when the person accepts it (it is then added to known_hosts). */
  confirmHostKey(info: HostKeyInfo): Promise<boolean>;
  /** The passphrase of an encrypted key file, asked once per session registry; undefined skips the key. */
  passphrase(keyFile: string): Promise<string | undefined>;
  /** The passphrase given for this key was wrong: a kept one is forgotten, so the next attempt asks again. */
  passphraseRefused?(keyFile: string): Promise<void>;
  /** The hop's password, when the server asks for one after the keys; undefined gives up. */
  password(target: string): Promise<string | undefined>;
}

export interface SessionOptions {
  knownHostsFile: string;
  agentSocket?: string;
  /** Key files in the order to try: the given one, then ~/.ssh/config's, then ssh's defaults that exist. */
  identityFiles: string[];
  readyTimeoutMs?: number;
}

export interface Endpoint {
  host: string;
  port: number;
}

/** The session was released by its last holder: nothing was sent on it (a holder may take a new one). */
export class SessionClosedError extends Error {
  constructor(label: string) {
    super(`the SSH session to ${label} was closed`);
    this.name = 'SessionClosedError';
  }
}

export class SshSession {
  readonly label: string;
  private refs = 1;
  private client: Client | undefined;
  private jumpClient: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private keys: ParsedKey[] | undefined;
  private password: string | undefined;
  private readonly tunnels = new Map<string, Promise<{ server: Server; endpoint: Endpoint }>>();
  private readonly sockets = new Set<Socket>();
  private closed = false;
  /** Connections made, for tests and the bench: a reconnect adds one. */
  connects = 0;

  constructor(
    readonly hop: ResolvedHop,
    private readonly opts: SessionOptions,
    private readonly prompts: SshPrompts,
    /** Keys already read, by file: an encrypted one is decrypted (and its passphrase asked) once per registry. */
    private readonly keyCache: Map<string, ParsedKey>,
    private readonly onClosed: () => void,
  ) {
    this.label = describeSshTarget(hop);
  }

  /** Released by its last holder: every call fails (SessionClosedError before anything is sent). */
  get isClosed(): boolean {
    return this.closed;
  }

  retain(): this {
    this.refs++;
    return this;
  }

  /** Drops one reference; the last one closes the tunnels and the connection. */
  release(): void {
    if (--this.refs > 0 || this.closed) return;
    this.closed = true;
    for (const t of this.tunnels.values())
      void t.then(
        (x) => {
          x.server.close();
          noteForwardFailure(x.endpoint, undefined);
        },
        () => undefined,
      );
    this.tunnels.clear();
    for (const s of this.sockets) s.destroy();
    this.client?.end();
    this.jumpClient?.end();
    this.client = undefined;
    this.onClosed();
  }

  /** The live connection, made (again) when there is none. */
  async connection(): Promise<Client> {
    if (this.closed) throw new SessionClosedError(this.label);
    if (this.client) return this.client;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<Client> {
    this.keys ??= await this.loadKeys();
    const attempt: SshAttempt = {
      knownHostsFile: this.opts.knownHostsFile,
      keys: this.keys,
      ...(this.opts.agentSocket ? { agentSocket: this.opts.agentSocket } : {}),
      ...(this.opts.readyTimeoutMs ? { readyTimeoutMs: this.opts.readyTimeoutMs } : {}),
    };
    const jump = this.hop.jump ? await this.withPrompts(this.hop.jump, attempt) : undefined;
    try {
      const client = await this.withPrompts(this.hop, attempt, jump);
      this.connects++;
      client.setNoDelay(true);
      this.client = client;
      this.jumpClient = jump;
      const lost = () => {
        if (this.client === client) this.client = undefined;
        jump?.end();
      };
      client.on('error', lost);
      client.on('close', lost);
      if (this.closed) client.end();
      return client;
    } catch (e) {
      jump?.end();
      throw e;
    }
  }

  /** One login, asking the person for an unknown key or a password and trying once more. */
  private async withPrompts(hop: ResolvedHop, base: SshAttempt, via?: Client): Promise<Client> {
    let attempt: SshAttempt = { ...base, ...(this.password !== undefined ? { password: this.password } : {}) };
    for (let round = 0; round < 3; round++) {
      try {
        return await connectOnce(hop, via ? { ...attempt, sock: await forward(via, hop.host, hop.port, `${this.label} via its ProxyJump`, 'sshd') } : attempt);
      } catch (e) {
        if (e instanceof UnknownHostKeyError && !attempt.acceptKey && (await this.prompts.confirmHostKey(e.info))) {
          attempt = { ...attempt, acceptKey: e.key };
          continue;
        }
        if (e instanceof SshAuthError && attempt.password === undefined && e.serverOffers.includes('password')) {
          const pw = await this.prompts.password(describeSshTarget(hop));
          if (pw !== undefined) {
            attempt = { ...attempt, password: pw };
            if (hop === this.hop) this.password = pw;
            continue;
          }
        }
        throw e;
      }
    }
    throw new Error(`SSH ${describeSshTarget(hop)}: gave up after three attempts`);
  }

  private async loadKeys(): Promise<ParsedKey[]> {
    const keys: ParsedKey[] = [];
    for (const file of this.opts.identityFiles) {
      const cached = this.keyCache.get(file);
      if (cached) {
        keys.push(cached);
        continue;
      }
      let data: Buffer;
      try {
        data = await fs.readFile(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw new Error(`cannot read the SSH key ${file}: ${(e as Error).message}`);
      }
      let key = await parsePrivateKey(file, data);
      if (key === 'needs-passphrase') {
        const pp = await this.prompts.passphrase(file);
        if (pp === undefined) continue;
        try {
          key = await parsePrivateKey(file, data, pp);
        } catch (e) {
          await this.prompts.passphraseRefused?.(file);
          throw e;
        }
      }
      if (key === 'needs-passphrase') continue;
      this.keyCache.set(file, key);
      keys.push(key);
    }
    return keys;
  }

  /** A channel to host:port as the SSH server sees it (its 127.0.0.1 is the server's machine). */
  async forward(host: string, port: number): Promise<ClientChannel> {
    return forward(await this.connection(), host, port, this.label);
  }

  /**
   * A listener on 127.0.0.1 (a free port) whose every connection is forwarded to host:port through
   * the session, one per destination. The pools and the libpq tools both connect to it, so they
   * share one mechanism, and a connection after a drop reconnects the session.
   */
  tunnel(host: string, port: number): Promise<Endpoint> {
    const key = `${host}\u0000${port}`;
    let t = this.tunnels.get(key);
    if (!t) {
      t = this.listen(host, port);
      this.tunnels.set(key, t);
      t.catch(() => this.tunnels.delete(key));
    }
    return t.then((x) => x.endpoint);
  }

  private listen(host: string, port: number): Promise<{ server: Server; endpoint: Endpoint }> {
    const server = createServer({ pauseOnConnect: true }, (sock) => {
      // Small queries both ways: Nagle's algorithm against the peer's delayed ACK would add ~40 ms per round trip.
      sock.setNoDelay(true);
      this.sockets.add(sock);
      sock.once('close', () => this.sockets.delete(sock));
      sock.on('error', () => undefined);
      const at = server.address();
      const endpoint = at !== null && typeof at !== 'string' ? { host: '127.0.0.1', port: at.port } : undefined;
      this.forward(host, port).then(
        (ch) => {
          if (endpoint) noteForwardFailure(endpoint, undefined);
          pipeBoth(sock, ch);
        },
        (e: Error) => {
          // The client sees only its connection end: the reason waits for its error's explanation (forwardFailures.ts).
          if (endpoint) noteForwardFailure(endpoint, e);
          sock.destroy();
        },
      );
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.removeListener('error', reject);
        const a = server.address();
        if (a === null || typeof a === 'string') return reject(new Error('the tunnel listener has no port'));
        resolve({ server, endpoint: { host: '127.0.0.1', port: a.port } });
      });
    });
  }

  async exec(command: string, timeoutMs: number): Promise<ClientChannel> {
    const c = await this.connection();
    return withDeadline(
      new Promise<ClientChannel>((resolve, reject) => c.exec(command, (err, ch) => (err ? reject(err) : resolve(ch)))),
      timeoutMs,
      `SSH ${this.label} did not start the command within ${Math.round(timeoutMs / 1000)} s`,
    );
  }

  private sftpChannel: Promise<SFTPWrapper> | undefined;
  private sftpOf: Client | undefined;

  /** One SFTP channel per connection, opened on first use. */
  async sftp(): Promise<SFTPWrapper> {
    const c = await this.connection();
    if (this.sftpChannel && this.sftpOf === c) return this.sftpChannel;
    this.sftpOf = c;
    this.sftpChannel = withDeadline(
      new Promise<SFTPWrapper>((resolve, reject) => c.sftp((err, s) => (err ? reject(err) : resolve(s)))),
      FORWARD_TIMEOUT_MS,
      `SSH ${this.label} did not open SFTP within ${FORWARD_TIMEOUT_MS / 1000} s`,
    );
    this.sftpChannel.then(
      (s) => s.once('close', () => this.sftpOf === c && (this.sftpChannel = undefined)),
      () => (this.sftpChannel = undefined),
    );
    return this.sftpChannel;
  }
}

/** service: what should listen at host:port, for the words of a failed connect there. */
function forward(c: Client, host: string, port: number, label: string, service: 'PostgreSQL' | 'sshd' = 'PostgreSQL'): Promise<ClientChannel> {
  return withDeadline(
    new Promise<ClientChannel>((resolve, reject) =>
      c.forwardOut('127.0.0.1', 0, host, port, (err, ch) => (err ? reject(refusal(err, label, host, port, service)) : resolve(ch))),
    ),
    FORWARD_TIMEOUT_MS,
    `SSH ${label} did not open a channel to ${host}:${port} within ${FORWARD_TIMEOUT_MS / 1000} s`,
  );
}

/** ssh2's "(SSH) Channel open failure: …" with its RFC 4254 reason code, in words that say what to do. */
function refusal(err: Error & { reason?: unknown }, label: string, host: string, port: number, service: 'PostgreSQL' | 'sshd'): Error {
  const words = err.message.replace(/^\(SSH\) Channel open failure:\s*/, '').trim();
  return new ForwardRefusedError(label, host, port, typeof err.reason === 'number' ? err.reason : undefined, words, service);
}

function pipeBoth(sock: Socket, ch: Duplex): void {
  const end = () => {
    sock.destroy();
    ch.destroy();
  };
  sock.pipe(ch).pipe(sock);
  sock.once('close', end);
  ch.once('close', end);
  ch.on('error', end);
  sock.resume();
}

export function withDeadline<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
