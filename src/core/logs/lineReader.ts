// A source's bytes to lines, streamed: chunks of CHUNK_BYTES through the source (gzip through
// zlib), decoded as UTF-8 (invalid bytes become U+FFFD, never a throw), split on newlines. A line
// longer than MAX_LINE bytes is cut there and counted. The last line without a newline is not read:
// it is still being written (or the file was cut), and the next incremental read starts at it.
import { createGunzip, gunzipSync, constants as zconst } from 'node:zlib';
import { Readable } from 'node:stream';
import { CHUNK_BYTES, type LogSource } from './sources';
import type { ReadProblems } from './types';

export const MAX_LINE = 16 * 1024 * 1024;

export interface LinesRead {
  /** Byte offset just past the last complete line (of the decompressed stream for gzip). */
  endOffset: number;
  lines: number;
}

/** `p`, or the signal's reason as soon as it aborts: a Cancel does not wait out a stalled hop's deadline. */
export function orAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e as Error)),
    );
  });
}

async function* chunks(source: LogSource, from: number, size: number, signal?: AbortSignal, onChunk?: (bytes: number) => void): AsyncGenerator<Buffer> {
  for (let offset = from; offset < size;) {
    const b = await orAbort(source.read(offset, Math.min(CHUNK_BYTES, size - offset)), signal);
    if (b.length === 0) return;
    offset += b.length;
    onChunk?.(b.length);
    yield b;
  }
}

/** The first bytes of the content (decompressed for gzip: what the first `bytes` of the file hold), for format detection and a rotated file's identity. */
export async function headOf(source: LogSource, size: number, bytes = 64 * 1024): Promise<Buffer> {
  const b = await source.read(0, Math.min(bytes, size));
  if (!source.gzip) return b;
  try {
    return gunzipSync(b, { finishFlush: zconst.Z_SYNC_FLUSH }).subarray(0, bytes * 4);
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * Calls `onLine` for each complete line from `from` (a byte offset; 0 for gzip) to `size`.
 * Line numbers start at `firstLine`. Each line is decoded from the bytes on its own, never cut
 * from a decoded chunk: a string kept by a report (a sample, a process's last query) then holds
 * its line, not the 4 MB chunk it came in (V8 keeps the parent of a sliced string alive).
 */
export async function readLines(
  source: LogSource,
  /** `onChunk`: the source's bytes of each chunk read (compressed ones for gzip), for a read's progress. */
  opts: { from: number; size: number; firstLine: number; signal?: AbortSignal; onChunk?: (bytes: number) => void },
  problems: ReadProblems,
  onLine: (text: string, lineNo: number, offset: number) => void,
): Promise<LinesRead> {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let skipping = false; // inside a line past MAX_LINE, until its newline
  let lineNo = opts.firstLine;
  let consumed = opts.from; // bytes of the stream seen so far
  let endOffset = opts.from;
  let lines = 0;
  /** `at`: the line's byte offset in the stream. */
  const emit = (b: Buffer, start: number, end: number, at: number) => {
    if (end > start && b[end - 1] === 13) end--; // CRLF
    onLine(b.toString('utf8', start, end), lineNo++, at);
    lines++;
  };
  const input: AsyncIterable<Buffer> = source.gzip
    ? Readable.from(chunks(source, 0, opts.size, opts.signal, opts.onChunk)).pipe(createGunzip())
    : chunks(source, opts.from, opts.size, opts.signal, opts.onChunk);
  for await (const buf of input) {
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      const at = endOffset;
      endOffset = consumed + nl + 1;
      if (skipping) {
        skipping = false;
        lineNo++;
      } else if (carryBytes > 0) {
        carry.push(buf.subarray(start, nl));
        const whole = Buffer.concat(carry);
        carry = [];
        carryBytes = 0;
        if (whole.length > MAX_LINE) problems.oversizedLines++;
        emit(whole, 0, Math.min(whole.length, MAX_LINE), at);
      } else emit(buf, start, nl, at);
      start = nl + 1;
    }
    consumed += buf.length;
    if (!skipping && start < buf.length) {
      carry.push(Buffer.from(buf.subarray(start)));
      carryBytes += buf.length - start;
      if (carryBytes > MAX_LINE) {
        problems.oversizedLines++;
        const whole = Buffer.concat(carry);
        carry = [];
        carryBytes = 0;
        emit(whole, 0, MAX_LINE, endOffset); // endOffset: past the line before, so this one's start
        lineNo--; // the rest of the line, to its newline, is skipped: it has this number
        skipping = true;
      }
    }
  }
  if (carryBytes > 0 || skipping) problems.incompleteTail = true;
  return { endOffset, lines };
}
