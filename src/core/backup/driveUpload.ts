// Drive's resumable upload, by hand: the googleapis client sends media as one multipart request
// that cannot resume. A session is opened with the metadata; the file goes in chunks (a multiple
// of 256 KiB) with Content-Range; 308 says how much arrived. After a network error or a 5xx the
// session is asked where it stands (`bytes */size`) and the upload goes on from there. One chunk
// buffer is all the memory an upload of any size takes; md5 is computed on the way.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { DriveFile, DriveSession } from './driveClient';
import { sendRequest, type HttpRequestInit, type HttpResponse } from './httpRequest';

export interface UploadOptions {
  /** Bytes per PUT; a multiple of 256 KiB (default 8 MiB). */
  chunkSize?: number;
  maxRetries?: number;
  /** First backoff; doubled each retry (jitter added). */
  backoffMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: { bytesSent: number; total: number; retries: number }) => void;
}

class Retryable extends Error {}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(new Error('upload cancelled'))), { once: true });
  });

/** "bytes=0-1048575" → 1048576 bytes received; no header → 0. */
export function receivedFromRange(range: string | null): number {
  const m = /bytes=0-(\d+)/.exec(range ?? '');
  return m ? Number(m[1]) + 1 : 0;
}

async function send(url: string, init: HttpRequestInit): Promise<HttpResponse> {
  let r: HttpResponse;
  try {
    r = await sendRequest(url, init);
  } catch (e) {
    if (init.signal?.aborted) throw new Error('upload cancelled');
    throw new Retryable(`network error: ${(e as Error).message}`);
  }
  if (r.status >= 500 || r.status === 429) {
    await r.drain();
    throw new Retryable(`Drive answered ${r.status}`);
  }
  return r;
}

export async function uploadResumable(s: DriveSession, path: string, meta: { name: string; parents: string[] }, opts: UploadOptions = {}): Promise<DriveFile> {
  const chunkSize = opts.chunkSize ?? 8 * 1024 * 1024;
  if (chunkSize % (256 * 1024) !== 0) throw new Error('chunkSize must be a multiple of 256 KiB');
  const total = (await stat(path)).size;
  const maxRetries = opts.maxRetries ?? 8;
  let retries = 0;
  const withRetry = async <T>(what: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await what();
      } catch (e) {
        if (!(e instanceof Retryable) || retries >= maxRetries)
          throw e instanceof Retryable ? new Error(`upload of ${meta.name} failed: ${e.message} (after ${retries} retries)`) : e;
        await sleep((opts.backoffMs ?? 500) * 2 ** retries + Math.random() * 100, opts.signal);
        retries++;
      }
    }
  };

  const fields = 'id,name,size,md5Checksum,createdTime';
  const sessionUrl = await withRetry(async () => {
    const r = await send(`${s.rootUrl}upload/drive/v3/files?uploadType=resumable&supportsAllDrives=true&fields=${fields}`, {
      method: 'POST',
      headers: {
        ...(await s.headers()),
        'Content-Type': 'application/json; charset=UTF-8',
        'X-Upload-Content-Type': 'application/octet-stream',
        'X-Upload-Content-Length': String(total),
      },
      body: JSON.stringify(meta),
      signal: opts.signal,
    });
    const loc = r.header('location');
    if (r.status < 200 || r.status > 299 || !loc) throw new Error(`Drive refused the upload of ${meta.name}: ${r.status} ${await r.text()}`);
    return loc;
  });

  const fh = await open(path, 'r');
  const buf = Buffer.allocUnsafe(Math.min(chunkSize, Math.max(total, 1)));
  const md5 = createHash('md5');
  let hashed = 0;
  let offset = 0;
  let result: DriveFile | undefined;
  try {
    const finish = async (r: HttpResponse): Promise<DriveFile> => {
      const f = JSON.parse(await r.text()) as { id: string; name: string; size?: string; md5Checksum?: string; createdTime?: string };
      return {
        id: f.id,
        name: f.name,
        ...(f.size ? { size: Number(f.size) } : {}),
        ...(f.md5Checksum ? { md5Checksum: f.md5Checksum } : {}),
        ...(f.createdTime ? { createdTime: f.createdTime } : {}),
      };
    };
    while (!result) {
      result = await withRetry(async () => {
        const len = Math.min(chunkSize, total - offset);
        const { bytesRead } = await fh.read(buf, 0, len, offset);
        if (offset + bytesRead > hashed && offset <= hashed) {
          md5.update(buf.subarray(hashed - offset, bytesRead));
          hashed = offset + bytesRead;
        }
        const range = total === 0 ? 'bytes */0' : `bytes ${offset}-${offset + bytesRead - 1}/${total}`;
        let r: HttpResponse;
        try {
          r = await send(sessionUrl, { method: 'PUT', headers: { 'Content-Range': range }, body: buf.subarray(0, bytesRead), signal: opts.signal });
        } catch (e) {
          if (e instanceof Retryable) offset = await askOffset(sessionUrl, total, opts.signal).catch(() => offset); // where it stands
          throw e;
        }
        if (r.status === 200 || r.status === 201) return finish(r);
        if (r.status === 308) {
          await r.drain();
          offset = receivedFromRange(r.header('range'));
          opts.onProgress?.({ bytesSent: offset, total, retries });
          return undefined;
        }
        throw new Error(`Drive refused a chunk of ${meta.name}: ${r.status} ${await r.text()}`);
      });
    }
  } finally {
    await fh.close();
  }
  const local = md5.digest('hex');
  if (hashed !== total) throw new Error(`upload of ${meta.name}: read ${hashed} of ${total} bytes`);
  if (result.md5Checksum && result.md5Checksum !== local) {
    throw new Error(`Drive's copy of ${meta.name} differs: md5 ${result.md5Checksum}, local ${local}`);
  }
  opts.onProgress?.({ bytesSent: total, total, retries });
  return { ...result, md5Checksum: result.md5Checksum ?? local };
}

/** `Content-Range: bytes *\/size` asks the session how much it has. */
async function askOffset(sessionUrl: string, total: number, signal?: AbortSignal): Promise<number> {
  const r = await sendRequest(sessionUrl, { method: 'PUT', headers: { 'Content-Range': `bytes */${total}` }, signal });
  await r.drain();
  if (r.status === 308) return receivedFromRange(r.header('range'));
  throw new Error(`status query answered ${r.status}`);
}
