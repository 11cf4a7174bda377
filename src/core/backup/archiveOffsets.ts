// Data offsets for a custom-format archive that pg_dump wrote to a pipe. pg_dump can only go back
// and record where each table's data starts when its output is seekable; through `| gzip` (the
// seed's pipeline) or `| zstd` (ours on pg_dump < 16) every TOC entry says "position not set", and
// pg_restore -j then makes each worker crawl the file from the start to find its table (slower
// than one job). Once such an archive is decompressed to a temp file, one sequential pass finds
// every data block and writes its position into the TOC, in place, in fields of the same size:
// the temp file becomes what pg_dump would have written to a file, and -j restores data in
// parallel. Only ever applied to our own temp copy, never to a person's backup file.
//
// The layout (PostgreSQL's src/bin/pg_dump/pg_backup_archiver.c ReadHead/ReadToc and
// pg_backup_custom.c), archive versions 1.10–1.16 (pg_dump 9.0 … 19):
//   header  "PGDMP" vmaj vmin vrev intSize offSize format
//           1.15+: compression algorithm byte; else int compression level
//           7 ints (creation time), str dbname, str server version, str pg_dump version
//   toc     int count; per entry: int dumpId, int hadDumper, str tableoid, str oid, str tag,
//           str desc, int section, str defn, str dropStmt, str copyStmt, str namespace,
//           str tablespace, 1.14+: str tableam, 1.16+: int relkind, str owner, str withOids,
//           str… dependencies until a null str; custom format: byte offset flag + offSize bytes
//   data    per block: byte type (1 data, 3 blobs), int dumpId, then int length + bytes… until 0
//           (blobs: int oid, chunks until 0, … until oid 0)
// int = sign byte + intSize bytes little-endian; str = int length (-1: null) + bytes.
import { open, type FileHandle } from 'node:fs/promises';

const OFFSET_NOT_SET = 1;
const OFFSET_SET = 2;
const BLK_DATA = 1;
const BLK_BLOBS = 3;
const version = (maj: number, min: number) => maj * 256 + min;

export interface TocDataEntry {
  dumpId: number;
  desc: string;
  tag: string;
  /** 1 not set, 2 set, 3 no data. */
  state: number;
  offset: number;
  /** Where the entry's offset flag byte sits in the file. */
  fieldPos: number;
}

export interface ArchiveToc {
  version: string;
  intSize: number;
  offSize: number;
  entries: TocDataEntry[];
  /** First byte after the TOC: where data blocks begin. */
  dataStart: number;
}

export class ArchiveFormatError extends Error {}

/** Buffered positional reads over a file handle; `need` refills, everything else is sync. */
class Reader {
  private buf = Buffer.alloc(4 * 1024 * 1024);
  private start = 0;
  private len = 0;
  pos = 0;
  intSize = 4;

  constructor(private readonly fh: FileHandle) {}

  /** Ensures n bytes at pos are buffered; false at end of file. */
  async need(n: number): Promise<boolean> {
    if (this.pos >= this.start && this.pos + n <= this.start + this.len) return true;
    if (n > this.buf.length) this.buf = Buffer.alloc(n);
    const { bytesRead } = await this.fh.read(this.buf, 0, this.buf.length, this.pos);
    this.start = this.pos;
    this.len = bytesRead;
    return bytesRead >= n;
  }

  has(n: number): boolean {
    return this.pos >= this.start && this.pos + n <= this.start + this.len;
  }

  byte(): number {
    return this.buf[this.pos++ - this.start]!;
  }

  int(): number {
    const negative = this.byte() !== 0;
    let v = 0;
    for (let i = 0; i < this.intSize; i++) v += this.byte() * 2 ** (8 * i);
    return negative ? -v : v;
  }

  async readInt(): Promise<number> {
    if (!(await this.need(1 + this.intSize))) throw new ArchiveFormatError('archive ends inside its table of contents');
    return this.int();
  }

  async readByte(): Promise<number> {
    if (!(await this.need(1))) throw new ArchiveFormatError('archive ends inside its header');
    return this.byte();
  }

  async readStr(): Promise<string | null> {
    const n = await this.readInt();
    if (n < 0) return null;
    if (!(await this.need(n))) throw new ArchiveFormatError('archive ends inside a string');
    const s = this.buf.toString('utf8', this.pos - this.start, this.pos - this.start + n);
    this.pos += n;
    return s;
  }
}

export interface ArchiveHeader {
  /** The archive format, e.g. "1.14.0". */
  version: string;
  database: string | null;
  /** As the server and pg_dump print them, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
  serverVersion: string | null;
  dumpVersion: string | null;
}

/** The header, of any archive version from 1.10 on (later ones keep its layout so far). */
async function readHeader(r: Reader): Promise<ArchiveHeader & { v: number; offSize: number }> {
  if (!(await r.need(5)) || r.byte() !== 0x50 || r.byte() !== 0x47 || r.byte() !== 0x44 || r.byte() !== 0x4d || r.byte() !== 0x50) {
    throw new ArchiveFormatError('not a pg_dump custom-format archive (no PGDMP header)');
  }
  const [vmaj, vmin, vrev] = [await r.readByte(), await r.readByte(), await r.readByte()];
  const v = version(vmaj, vmin);
  if (v < version(1, 10)) throw new ArchiveFormatError(`archive version ${vmaj}.${vmin}.${vrev} is older than this reader knows (1.10)`);
  r.intSize = await r.readByte();
  const offSize = await r.readByte();
  const format = await r.readByte();
  if (format !== 1) throw new ArchiveFormatError(`archive format ${format} is not the custom format`);
  if (r.intSize < 1 || r.intSize > 8 || offSize < 1 || offSize > 8) throw new ArchiveFormatError(`unexpected integer sizes ${r.intSize}/${offSize}`);
  if (v >= version(1, 15)) await r.readByte();
  else await r.readInt();
  for (let i = 0; i < 7; i++) await r.readInt();
  const database = await r.readStr();
  const serverVersion = await r.readStr();
  const dumpVersion = await r.readStr();
  return { version: `${vmaj}.${vmin}.${vrev}`, database, serverVersion, dumpVersion, v, offSize };
}

async function readHeaderAndToc(r: Reader): Promise<ArchiveToc> {
  const { v, offSize, version: archiveVersion } = await readHeader(r);
  if (v > version(1, 16)) throw new ArchiveFormatError(`archive version ${archiveVersion} is not one this reader knows (1.10–1.16)`);

  const count = await r.readInt();
  const entries: TocDataEntry[] = [];
  for (let i = 0; i < count; i++) {
    const dumpId = await r.readInt();
    await r.readInt(); // hadDumper
    await r.readStr(); // tableoid
    await r.readStr(); // oid
    const tag = (await r.readStr()) ?? '';
    const desc = (await r.readStr()) ?? '';
    await r.readInt(); // section
    for (let k = 0; k < 5; k++) await r.readStr(); // defn, dropStmt, copyStmt, namespace, tablespace
    if (v >= version(1, 14)) await r.readStr(); // tableam
    if (v >= version(1, 16)) await r.readInt(); // relkind
    await r.readStr(); // owner
    await r.readStr(); // withOids
    while ((await r.readStr()) !== null); // dependencies
    if (!(await r.need(1 + offSize))) throw new ArchiveFormatError('archive ends inside its table of contents');
    const fieldPos = r.pos;
    const state = r.byte();
    let offset = 0;
    for (let k = 0; k < offSize; k++) offset += r.byte() * 2 ** (8 * k);
    entries.push({ dumpId, desc, tag, state, offset, fieldPos });
  }
  return { version: archiveVersion, intSize: r.intSize, offSize, entries, dataStart: r.pos };
}

export async function readArchiveToc(path: string): Promise<ArchiveToc> {
  const fh = await open(path, 'r');
  try {
    return await readHeaderAndToc(new Reader(fh));
  } finally {
    await fh.close();
  }
}

export async function readArchiveHeader(path: string): Promise<ArchiveHeader> {
  const fh = await open(path, 'r');
  try {
    const { version: v, database, serverVersion, dumpVersion } = await readHeader(new Reader(fh));
    return { version: v, database, serverVersion, dumpVersion };
  } finally {
    await fh.close();
  }
}

/** The major of the pg_dump that made the archive ("15.18 (Debian …)" → 15), if its header says. */
export async function archiveDumpMajor(path: string): Promise<number | undefined> {
  const h = await readArchiveHeader(path).catch(() => undefined);
  const m = /^(\d+)/.exec(h?.dumpVersion ?? '');
  return m ? Number(m[1]) : undefined;
}

/** True when every entry with data has its position recorded: pg_restore -j can seek. */
export function hasDataOffsets(toc: ArchiveToc | undefined): boolean {
  return toc !== undefined && toc.entries.every((e) => e.state !== OFFSET_NOT_SET);
}

/** Walks the data blocks from dataStart: dumpId → position of the block's type byte. */
async function scanBlocks(r: Reader, dataStart: number): Promise<Map<number, number>> {
  const found = new Map<number, number>();
  const n = 1 + r.intSize;
  r.pos = dataStart;
  // Skips length-prefixed chunks until a zero length; refills only at buffer edges.
  const skipChunks = async () => {
    for (;;) {
      if (!r.has(n) && !(await r.need(n))) throw new ArchiveFormatError('archive ends inside a data block');
      const len = r.int();
      if (len === 0) return;
      if (len < 0) throw new ArchiveFormatError(`negative chunk length at byte ${r.pos}`);
      r.pos += len;
    }
  };
  while (await r.need(1)) {
    const at = r.pos;
    const type = r.byte();
    if (type !== BLK_DATA && type !== BLK_BLOBS) throw new ArchiveFormatError(`unexpected block type ${type} at byte ${at}`);
    if (!(await r.need(n))) throw new ArchiveFormatError('archive ends inside a block header');
    found.set(r.int(), at);
    if (type === BLK_DATA) {
      await skipChunks();
    } else {
      for (;;) {
        if (!(await r.need(n))) throw new ArchiveFormatError('archive ends inside a blobs block');
        if (r.int() === 0) break;
        await skipChunks();
      }
    }
  }
  return found;
}

/**
 * Records data positions in an archive written to a pipe. Returns how many entries it set
 * (0 when the archive had them already). Throws ArchiveFormatError, having written nothing,
 * when the file is not what the layout above says: the caller then restores without -j data.
 */
export async function addDataOffsets(path: string): Promise<number> {
  const fh = await open(path, 'r+');
  try {
    const r = new Reader(fh);
    const toc = await readHeaderAndToc(r);
    const missing = toc.entries.filter((e) => e.state === OFFSET_NOT_SET);
    if (missing.length === 0) return 0;
    const blocks = await scanBlocks(r, toc.dataStart);
    const field = Buffer.alloc(1 + toc.offSize);
    // Check everything before writing anything.
    for (const e of missing) if (!blocks.has(e.dumpId)) throw new ArchiveFormatError(`no data block for TOC entry ${e.dumpId} (${e.desc} ${e.tag})`);
    for (const e of missing) {
      const pos = blocks.get(e.dumpId)!;
      field[0] = OFFSET_SET;
      for (let k = 0; k < toc.offSize; k++) field[1 + k] = Math.floor(pos / 2 ** (8 * k)) % 256;
      await fh.write(field, 0, field.length, e.fieldPos);
    }
    await fh.sync();
    return missing.length;
  } finally {
    await fh.close();
  }
}
