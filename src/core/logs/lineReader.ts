// A source's bytes to lines, streamed: chunks of CHUNK_BYTES through the source (gzip through
// zlib), decoded as UTF-8 (invalid bytes become U+FFFD, never a throw), split on newlines. A line
// longer than MAX_LINE is cut there and counted. The last line without a newline is not read:
// it is still being written (or the file was cut), and the next incremental read starts at it.
import { StringDecoder } from 'node:string_decoder';
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

async function* chunks(source: LogSource, from: number, size: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  for (let offset = from; offset < size;) {
    signal?.throwIfAborted();
    const b = await source.read(offset, Math.min(CHUNK_BYTES, size - offset));
    if (b.length === 0) return;
    offset += b.length;
    yield b;
  }
}

/** The first bytes (decompressed), for format detection. */
export async function headText(source: LogSource, size: number, bytes = 64 * 1024): Promise<string> {
  const b = await source.read(0, Math.min(bytes, size));
  if (!source.gzip) return b.toString('utf8');
  try {
    return gunzipSync(b, { finishFlush: zconst.Z_SYNC_FLUSH })
      .subarray(0, bytes * 4)
      .toString('utf8');
  } catch {
    return '';
  }
}

/**
 * Calls `onLine` for each complete line from `from` (a byte offset; 0 for gzip) to `size`.
 * Line numbers start at `firstLine`.
 */
export async function readLines(
  source: LogSource,
  opts: { from: number; size: number; firstLine: number; signal?: AbortSignal },
  problems: ReadProblems,
  onLine: (text: string, lineNo: number) => void,
): Promise<LinesRead> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let skipping = false; // inside a line past MAX_LINE, until its newline
  let lineNo = opts.firstLine;
  let consumed = opts.from; // bytes of the stream seen so far
  let endOffset = opts.from;
  let lines = 0;
  const input: AsyncIterable<Buffer> = source.gzip
    ? Readable.from(chunks(source, 0, opts.size, opts.signal)).pipe(createGunzip())
    : chunks(source, opts.from, opts.size, opts.signal);
  for await (const buf of input) {
    const lastNl = buf.lastIndexOf(10);
    if (lastNl >= 0) endOffset = consumed + lastNl + 1;
    consumed += buf.length;
    const text = decoder.write(buf);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let line: string;
      if (skipping) {
        skipping = false;
        start = nl + 1;
        lineNo++;
        continue;
      }
      if (carry) {
        line = carry + text.slice(start, nl);
        carry = '';
      } else line = text.slice(start, nl);
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      start = nl + 1;
      onLine(line, lineNo++);
      lines++;
    }
    if (!skipping) {
      carry += text.slice(start);
      if (carry.length > MAX_LINE) {
        problems.oversizedLines++;
        onLine(carry.slice(0, MAX_LINE), lineNo);
        lines++;
        carry = '';
        skipping = true;
      }
    }
  }
  if (carry + decoder.end() !== '' || skipping) problems.incompleteTail = true;
  return { endOffset, lines };
}
