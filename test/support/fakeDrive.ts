// A local stand-in for Google Drive v3 (docs/architecture.md: the one stand-in allowed): the resumable upload
// protocol, files.list with a parents query, files.get (metadata and alt=media; a folder's metadata), files.delete.
// Content lives on disk, so a 1 GB upload costs this server no memory. Faults are injected per
// test: a connection dropped mid-chunk, a 503 answered once.
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, createReadStream, createWriteStream, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface StoredFile {
  id: string;
  name: string;
  parents: string[];
  size: number;
  md5Checksum: string;
  createdTime: string;
  path: string;
}

interface Session {
  meta: { name: string; parents: string[] };
  total: number;
  received: number;
  path: string;
  md5: ReturnType<typeof createHash>;
  done?: StoredFile;
}

export interface FakeDriveFaults {
  /** Drop the connection after this many bytes of the next chunk, this many times. */
  dropMidChunk?: number;
  /** Answer 503 to the next N chunk PUTs. */
  fail503?: number;
}

export interface FakeDrive {
  rootUrl: string;
  token: string;
  files: Map<string, StoredFile>;
  /** Folders files.get knows (id → name); a test adds the ones it means to exist. */
  folders: Map<string, string>;
  faults: FakeDriveFaults;
  /** What happened, for assertions: 'put 0-262143', 'drop', '503', 'status', … */
  log: string[];
  /** Corrupts a stored file's bytes (its md5Checksum stays): downloads must notice. */
  corrupt(id: string): void;
  stop(): Promise<void>;
}

export async function startFakeDrive(): Promise<FakeDrive> {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-fakedrive-'));
  const token = randomBytes(8).toString('hex');
  const files = new Map<string, StoredFile>();
  const folders = new Map<string, string>();
  const sessions = new Map<string, Session>();
  const faults: FakeDriveFaults = {};
  const log: string[] = [];
  const meta = (f: StoredFile) => ({
    id: f.id,
    name: f.name,
    size: String(f.size),
    md5Checksum: f.md5Checksum,
    createdTime: f.createdTime,
    parents: f.parents,
  });
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (b: Buffer) => (s += b.toString()));
      req.on('end', () => resolve(s));
    });

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const isUpload = url.pathname === '/upload/drive/v3/files';
      if (!isUpload || req.method === 'POST') {
        if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { error: { code: 401, message: 'Invalid Credentials' } });
      }
      if (isUpload && req.method === 'POST' && url.searchParams.get('uploadType') === 'resumable') {
        const body = JSON.parse((await readBody(req)) || '{}') as { name?: string; parents?: string[] };
        const id = randomBytes(8).toString('hex');
        sessions.set(id, {
          meta: { name: body.name ?? 'untitled', parents: body.parents ?? [] },
          total: Number(req.headers['x-upload-content-length'] ?? -1),
          received: 0,
          path: join(dir, `up-${id}`),
          md5: createHash('md5'),
        });
        log.push('session');
        res.writeHead(200, {
          location: `${url.origin.replace('http://x', `http://127.0.0.1:${port()}`)}/upload/drive/v3/files?uploadType=resumable&upload_id=${id}`,
        });
        return res.end();
      }
      if (isUpload && req.method === 'PUT') return chunk(req, res, url);
      const m = /^\/drive\/v3\/files(?:\/([^/]+))?$/.exec(url.pathname);
      if (!m) return json(res, 404, { error: { code: 404, message: 'not found' } });
      const id = m[1];
      if (!id && req.method === 'GET') {
        const q = url.searchParams.get('q') ?? '';
        const parent = /'([^']+)' in parents/.exec(q)?.[1];
        const list = [...files.values()].filter((f) => !parent || f.parents.includes(parent));
        log.push(`list ${q}`);
        return json(res, 200, { files: list.map(meta) });
      }
      const folder = id && req.method === 'GET' ? folders.get(id) : undefined;
      if (folder !== undefined) return json(res, 200, { id, name: folder, mimeType: 'application/vnd.google-apps.folder' });
      const f = id ? files.get(id) : undefined;
      if (!f) return json(res, 404, { error: { code: 404, message: `File not found: ${id ?? ''}` } });
      if (req.method === 'DELETE') {
        files.delete(f.id);
        rmSync(f.path, { force: true });
        res.writeHead(204);
        return res.end();
      }
      if (req.method === 'GET' && url.searchParams.get('alt') === 'media') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(statSync(f.path).size) });
        return createReadStream(f.path).pipe(res);
      }
      return json(res, 200, meta(f));
    })().catch((e: unknown) => json(res, 500, { error: { code: 500, message: String(e) } }));
  });

  function chunk(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const s = sessions.get(url.searchParams.get('upload_id') ?? '');
    if (!s) return json(res, 404, { error: { code: 404, message: 'upload session not found' } });
    const range = String(req.headers['content-range'] ?? '');
    const status = () => {
      if (s.done) return json(res, 200, meta(s.done));
      res.writeHead(308, s.received > 0 ? { range: `bytes=0-${s.received - 1}` } : {});
      res.end();
    };
    if (/^bytes \*\//.test(range)) {
      log.push('status');
      req.resume();
      return status();
    }
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    if (!m) return json(res, 400, { error: { code: 400, message: `bad Content-Range ${range}` } });
    const start = Number(m[1]);
    if (faults.fail503) {
      faults.fail503--;
      log.push('503');
      req.resume();
      return json(res, 503, { error: { code: 503, message: 'Service Unavailable' } });
    }
    if (start !== s.received) {
      // Drive keeps what it has; the client must continue from Range.
      log.push(`misplaced ${start} (have ${s.received})`);
      req.resume();
      return status();
    }
    log.push(`put ${m[1]}-${m[2]}`);
    const drop = faults.dropMidChunk ? (faults.dropMidChunk--, true) : false;
    const out = createWriteStream(s.path, { flags: 'a' });
    let seen = 0;
    const dropAt = Math.floor((Number(m[2]) - start + 1) / 2);
    req.on('data', (b: Buffer) => {
      if (drop && seen + b.length >= dropAt) {
        // Only the bytes before the drop count: Drive persists what reached it.
        const part = b.subarray(0, Math.max(0, dropAt - seen));
        s.md5.update(part);
        out.write(part);
        s.received += part.length;
        seen = dropAt;
        log.push('drop');
        req.pause();
        out.end(() => req.socket.destroy());
        return;
      }
      if (drop && seen >= dropAt) return;
      s.md5.update(b);
      out.write(b);
      s.received += b.length;
      seen += b.length;
    });
    req.on('end', () => {
      if (drop) return;
      out.end(() => {
        if (s.received === s.total && !s.done) {
          const id = randomBytes(10).toString('hex');
          const f: StoredFile = { id, ...s.meta, size: s.total, md5Checksum: s.md5.digest('hex'), createdTime: new Date().toISOString(), path: join(dir, id) };
          rmSync(f.path, { force: true });
          renameSync(s.path, f.path);
          files.set(id, f);
          s.done = f;
        }
        status();
      });
    });
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = () => (server.address() as AddressInfo).port;
  return {
    rootUrl: `http://127.0.0.1:${port()}/`,
    token,
    files,
    folders,
    faults,
    log,
    corrupt(id) {
      const f = files.get(id);
      if (f) appendFileSync(f.path, 'x');
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          r();
        });
      }),
  };
}
