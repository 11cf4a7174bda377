// One HTTP(S) request on node's own client, for Drive upload chunks. Not fetch(): undici copies a
// request body several times and keeps the copies until a later GC, so a 1 GB upload in 8 MiB
// chunks peaked at ~150 MB RSS; node:http writes the chunk buffer as it is (measured in
// bench/backup.ts).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpResponse {
  status: number;
  header(name: string): string | null;
  text(): Promise<string>;
  /** Reads and drops the body, so the socket goes back to the agent. */
  drain(): Promise<void>;
}

export interface HttpRequestInit {
  method: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  signal?: AbortSignal;
}

export function sendRequest(url: string, init: HttpRequestInit): Promise<HttpResponse> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = init.body ?? '';
  return new Promise((resolve, reject) => {
    const req = request(
      u,
      { method: init.method, headers: { ...init.headers, 'Content-Length': String(Buffer.byteLength(body)) }, signal: init.signal },
      (res: IncomingMessage) => {
        let consumed: Promise<string> | undefined;
        const read = () =>
          (consumed ??= new Promise<string>((done, fail) => {
            const parts: Buffer[] = [];
            res.on('data', (b: Buffer) => parts.push(b));
            res.on('end', () => done(Buffer.concat(parts).toString('utf8')));
            res.on('error', fail);
          }));
        resolve({
          status: res.statusCode ?? 0,
          header: (name) => {
            const v = res.headers[name.toLowerCase()];
            return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
          },
          text: read,
          drain: async () => {
            await read().catch(() => undefined);
          },
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
