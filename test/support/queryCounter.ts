// A TCP relay in front of a real PostgreSQL that counts the SQL round trips clients send through
// it: each simple-protocol Query ('Q') and each extended-protocol Sync ('S', one per
// parameterized query) of the frontend stream. Bytes pass unchanged; nothing is answered here.
// Measures what the editor asks a server without touching the extension's code.
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface QueryCounter {
  host: string;
  port: number;
  /** Round trips sent so far (Q + S messages). */
  readonly queries: number;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** Counts Q and S messages of one frontend stream, after its startup packets. */
function frontendParser(onQuery: () => void): (chunk: Buffer) => void {
  let buf = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (!started) {
        if (buf.length < 8) return;
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        const code = buf.readInt32BE(4);
        buf = buf.subarray(len);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) started = true; // the StartupMessage
        continue;
      }
      if (buf.length < 5) return;
      const type = String.fromCharCode(buf[0]!);
      const len = buf.readInt32BE(1);
      if (buf.length < 1 + len) return;
      if (type === 'Q' || type === 'S') onQuery();
      buf = buf.subarray(1 + len);
    }
  };
}

export async function startQueryCounter(target: { host: string; port: number }): Promise<QueryCounter> {
  let queries = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const parse = frontendParser(() => queries++);
    client.on('data', (b: Buffer) => {
      parse(b);
      upstream.write(b);
    });
    upstream.on('data', (b: Buffer) => client.write(b));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    get queries() {
      return queries;
    },
    close: () =>
      new Promise<void>((res) => {
        for (const s of sockets) s.destroy();
        server.close(() => res());
      }),
  };
}
