// A loopback TCP proxy in front of a real server that forwards the login and then goes silent:
// the server's answers stop reaching the client (after `bytesAfterLogin` more bytes, 0 by
// default) while both sockets stay open, as a hung server or a half-open network path does.
// With `stallLogin` it forwards nothing at all: a server that accepts TCP and never logs in.
// It counts the client sockets still open, so a test can assert that pgdba closed every one.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface StallProxy {
  port: number;
  /** The URL with its host and port replaced by the proxy's. */
  url(serverUrl: string): string;
  /** Client connections the proxy still holds open. */
  openClients(): number;
  /** Resolves when no client connection is open; rejects after `withinMs` (a leak, not a timing figure). */
  allClosed(withinMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Reads the server→client stream message by message until ReadyForQuery ('Z'): the login is done. */
class LoginWatcher {
  private buf = Buffer.alloc(0);
  done = false;

  /** The bytes of `chunk` up to and including the end of the login; the rest is returned as `after`. */
  feed(chunk: Buffer): { login: Buffer; after: Buffer } {
    if (this.done) return { login: Buffer.alloc(0), after: chunk };
    const start = this.buf.length;
    this.buf = Buffer.concat([this.buf, chunk]);
    let at = 0;
    while (this.buf.length - at >= 5) {
      const type = this.buf[at]!;
      const len = this.buf.readUInt32BE(at + 1);
      if (this.buf.length - at < 1 + len) break;
      at += 1 + len;
      if (type === 0x5a) {
        this.done = true;
        const cut = at - start;
        this.buf = Buffer.alloc(0);
        return { login: chunk.subarray(0, cut), after: chunk.subarray(cut) };
      }
    }
    return { login: chunk, after: Buffer.alloc(0) };
  }
}

export async function startStallProxy(
  target: { host: string; port: number },
  opts: { bytesAfterLogin?: number; stallLogin?: boolean } = {},
): Promise<StallProxy> {
  const clients = new Set<Socket>();
  const upstreams = new Set<Socket>();
  let waiters: (() => void)[] = [];
  const server: Server = createServer((client) => {
    clients.add(client);
    const upstream = connect(target.port, target.host);
    upstreams.add(upstream);
    const watcher = new LoginWatcher();
    let budget = opts.bytesAfterLogin ?? 0;
    client.on('data', (d) => {
      // After the login the client's queries are swallowed: the server never sees them.
      if (opts.stallLogin) return;
      if (!watcher.done || budget > 0) upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      const { login, after } = watcher.feed(d);
      if (login.length) client.write(login);
      if (after.length && budget > 0) {
        client.write(after.subarray(0, budget));
        budget -= Math.min(budget, after.length);
      }
    });
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => {
      clients.delete(client);
      closeBoth();
      if (clients.size === 0) {
        const w = waiters;
        waiters = [];
        w.forEach((f) => f());
      }
    });
    upstream.on('close', () => upstreams.delete(upstream));
    // A server that goes away for real is not what this proxy plays: the client keeps waiting.
    upstream.on('error', () => undefined);
    client.on('error', closeBoth);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the stall proxy has no port');
  const port = address.port;
  return {
    port,
    url(serverUrl) {
      const u = new URL(serverUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    openClients: () => clients.size,
    allClosed(withinMs = 10_000) {
      if (clients.size === 0) return Promise.resolve();
      return new Promise<void>((ok, fail) => {
        const t = setTimeout(() => fail(new Error(`${clients.size} client connection(s) still open ${withinMs} ms later: a leaked socket`)), withinMs);
        waiters.push(() => {
          clearTimeout(t);
          ok();
        });
      });
    },
    async close() {
      for (const s of [...clients, ...upstreams]) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
