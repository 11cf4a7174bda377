// The one way HostAccess implementations read a file: to its end, within a bound. A file's size
// is only a hint — procfs and sysfs files say 0 and have content, a log grows while it is read —
// so the read goes until the file says end of file, and past the bound is an error, never a cut.

export interface BoundedRead {
  maxBytes: number;
  offset?: number;
  /** A chunk: at most this many bytes from `offset` (fewer at the end), never an error for the size. */
  length?: number;
}

/**
 * `size` is what stat said (checked first, to name it in the error); `readAt` reads into `buf` at
 * `position` and resolves with the bytes read, 0 at the end.
 */
export async function readBounded(
  size: number,
  opts: BoundedRead,
  chunkBytes: number,
  readAt: (buf: Buffer, position: number) => Promise<number>,
  tooLarge: (size: number) => Error,
): Promise<Buffer> {
  const offset = opts.offset ?? 0;
  const whole = opts.length === undefined;
  if (whole && size - offset > opts.maxBytes) throw tooLarge(size);
  // One byte past the bound tells a file that grew past it from one that ends there.
  const limit = whole ? opts.maxBytes + 1 : Math.min(opts.length ?? 0, opts.maxBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const buf = Buffer.allocUnsafe(Math.min(chunkBytes, limit - total));
    const n = await readAt(buf, offset + total);
    if (n === 0) break;
    chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    total += n;
  }
  if (whole && total > opts.maxBytes) throw tooLarge(offset + total);
  return Buffer.concat(chunks, total);
}
