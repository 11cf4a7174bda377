// Reads log sources into an analyzer: each source's format found from its head, the sources in
// time order (rotated files by their first timestamp, then their modification time), each read
// in chunks from where the last read stopped when its cursor says the file is the same one. A
// read can mark where each time is (LogIndex), and a later read of a time range then reads only
// the parts of each source that index names.
import { createHash } from 'node:crypto';
import type { LogAnalyzer } from './analyzer';
import { CsvParser } from './csvParser';
import { detectFormat, type Detected } from './detect';
import { jsonEntry } from './jsonParser';
import { headOf, orAbort, readLines } from './lineReader';
import { bouncerLine } from './pgbouncer';
import type { SourceRead } from './report';
import type { LogSource, SourceStat } from './sources';
import { StderrParser } from './stderrParser';
import type { ByteRun, IndexRecorder, LogIndex, SourceIdentity } from './timeIndex';
import { emptyProblems, type LogFormat, type ReadProblems } from './types';

/** Where a source's last read stopped, to go on from there (a live log followed). */
export interface LogCursor {
  label: string;
  /** Byte offset past the last complete line read. */
  offset: number;
  /** Lines before `offset`, so line numbers go on. */
  lines: number;
  size: number;
  mtimeMs: number;
  ino?: number;
  /** sha1 of the file's first `headBytes` (at most 4 KB): a rotated or truncated file under the same name is read from the start. */
  head: string;
  headBytes: number;
}

export interface ReadLogsOptions {
  format?: LogFormat;
  prefix?: string;
  signal?: AbortSignal;
  /** Cursors of a previous read, by label. */
  cursors?: ReadonlyMap<string, LogCursor>;
  /** Mark in this index where each time is in what this read reads. */
  indexInto?: LogIndex;
  /**
   * Read only the parts of each source that `index` (filled by an earlier read) says may hold
   * entries of [since, until); the analyzer's own window keeps exactly those. Cursors are not
   * used nor returned: such a read is a view, not a step of following the log.
   */
  within?: { index: LogIndex; since: number; until: number };
  /** After each chunk: the source bytes read so far of the `total` this read will read (not for `within` reads). */
  onProgress?: (done: number, total: number) => void;
}

const HEAD_HASH_BYTES = 4096;

interface Planned {
  source: LogSource;
  stat: SourceStat;
  detected: Detected;
  headHash: string;
  headBytes: number;
  /**
   * Where to start: a byte offset and the lines before it; offset -1: read before, not read again
   * (`carried`: its cursor). `skip`: a gzip file whose first lines were read under another name.
   */
  start: { offset: number; lines: number; skip?: number };
  carried?: LogCursor;
}

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');
const isGzipName = (label: string) => /\.gz$/i.test(label);

/**
 * The cursor of a file read before under another name, when rotation moved it (logrotate's
 * x.log → x.log.1, then x.log.2.gz): the same content, by the hash of its first bytes (decompressed
 * for gzip) and its inode where both sides know one (SFTP gives none). A cursor goes to one file only.
 */
function movedCursor(source: LogSource, stat: SourceStat, content: Buffer, cursors: ReadonlyMap<string, LogCursor>, taken: Set<string>): LogCursor | undefined {
  let found: LogCursor | undefined;
  for (const c of cursors.values()) {
    if (taken.has(c.label) || c.label === source.label || isGzipName(c.label) || c.headBytes === 0 || content.length < c.headBytes) continue;
    if (!source.gzip && (c.offset > stat.size || (c.ino !== undefined && stat.ino !== undefined && c.ino !== stat.ino))) continue;
    if (sha1(content.subarray(0, c.headBytes)) !== c.head) continue;
    if (c.ino !== undefined && c.ino === stat.ino) return c; // the same inode: no better match
    found ??= c;
  }
  return found;
}

async function plan(source: LogSource, opts: ReadLogsOptions, taken: Set<string>): Promise<Planned> {
  const stat = await orAbort(source.stat(), opts.signal);
  if (!stat) throw new Error(`${source.label} does not exist`);
  const content = await orAbort(headOf(source, stat.size), opts.signal);
  const headBytes = Math.min(HEAD_HASH_BYTES, stat.size);
  const headHash = sha1(await orAbort(source.read(0, headBytes), opts.signal));
  const detected = detectFormat(source.label, content.toString('utf8'), opts);
  const base = { source, stat, detected, headHash, headBytes };
  const cursor = opts.cursors?.get(source.label);
  if (cursor && cursor.headBytes <= stat.size) {
    const sameHead = (cursor.headBytes === headBytes ? headHash : sha1(await orAbort(source.read(0, cursor.headBytes), opts.signal))) === cursor.head;
    const sameFile = sameHead && (cursor.ino === undefined || stat.ino === undefined || cursor.ino === stat.ino);
    // A gzip file read before whole is not read again unless it changed.
    if (source.gzip && sameFile && cursor.size === stat.size && cursor.mtimeMs === stat.mtimeMs) {
      taken.add(cursor.label);
      return { ...base, start: { offset: -1, lines: cursor.lines }, carried: cursor };
    }
    if (!source.gzip && sameFile && stat.size >= cursor.offset) {
      taken.add(cursor.label);
      return { ...base, start: { offset: cursor.offset, lines: cursor.lines } };
    }
  }
  const moved = opts.cursors && movedCursor(source, stat, content, opts.cursors, taken);
  if (!moved) return { ...base, start: { offset: 0, lines: 0 } };
  taken.add(moved.label);
  if (!source.gzip) return { ...base, start: { offset: moved.offset, lines: moved.lines } };
  // gzip keeps the uncompressed size (mod 2^32) in its last four bytes: read to its end before, it is not read again.
  const isize = stat.size >= 4 ? (await orAbort(source.read(stat.size - 4, 4), opts.signal)).readUInt32LE(0) : -1;
  if (moved.offset === moved.size && isize === moved.size % 2 ** 32) {
    const carried: LogCursor = { ...moved, label: source.label, size: stat.size, mtimeMs: stat.mtimeMs, head: headHash, headBytes };
    if (stat.ino !== undefined) carried.ino = stat.ino;
    else delete carried.ino;
    return { ...base, start: { offset: -1, lines: moved.lines }, carried };
  }
  return { ...base, start: { offset: 0, lines: 0, skip: moved.lines } };
}

/** One source's lines to the analyzer, in its format; `entry` hears each entry's first line and time first. */
function lineParser(
  p: Planned,
  analyzer: LogAnalyzer,
  problems: ReadProblems,
  entry?: (line: number, time: number | undefined) => void,
): { line: (text: string, lineNo: number) => void; end: () => void } {
  const label = p.source.label;
  const add = entry
    ? (e: Parameters<LogAnalyzer['add']>[0]) => {
        entry(e.line, e.time);
        analyzer.add(e);
      }
    : (e: Parameters<LogAnalyzer['add']>[0]) => analyzer.add(e);
  const format = p.detected.format;
  if (format === 'stderr' || format === 'syslog') {
    const parser = new StderrParser(label, p.detected.matcher!, format === 'syslog', add, problems);
    return { line: (t, n) => parser.line(t, n), end: () => parser.end() };
  }
  if (format === 'csvlog') {
    const parser = new CsvParser(label, add, problems);
    return { line: (t, n) => parser.line(t, n), end: () => parser.end() };
  }
  const none = () => {};
  if (format === 'jsonlog')
    return {
      line: (t, n) => {
        if (t === '') return;
        const e = jsonEntry(t, label, n, problems);
        if (e) add(e);
      },
      end: none,
    };
  return {
    line: (t, n) => {
      if (t === '') return;
      const b = bouncerLine(t, label, n, problems);
      if (!b) return;
      entry?.(b.line, b.time);
      analyzer.addBouncer(b);
    },
    end: none,
  };
}

const identityOf = (p: Planned): SourceIdentity => ({
  head: p.headHash,
  headBytes: p.headBytes,
  gzip: p.source.gzip,
  ...(p.stat.ino !== undefined ? { ino: p.stat.ino } : {}),
});

const readOf = (p: Planned, from: number, bytes: number, lines: number, problems: ReadProblems): SourceRead => ({
  label: p.source.label,
  format: p.detected.format,
  ...(p.detected.matcher ? { prefix: p.detected.matcher.prefix } : {}),
  from,
  bytes,
  lines,
  unplacedLines: problems.unplacedLines,
  unplacedSamples: problems.unplacedSamples.map((s) => s.line),
  oversizedLines: problems.oversizedLines,
  incompleteTail: problems.incompleteTail,
});

/** Reads every source into `analyzer`; returns what each read did and the cursors for the next read. */
export async function readLogs(
  sources: LogSource[],
  analyzer: LogAnalyzer,
  opts: ReadLogsOptions = {},
): Promise<{ reads: SourceRead[]; cursors: LogCursor[] }> {
  const planned: Planned[] = [];
  const taken = new Set<string>();
  for (const s of sources) {
    planned.push(await plan(s, opts, taken));
  }
  planned.sort((a, b) => (a.detected.firstTime ?? a.stat.mtimeMs) - (b.detected.firstTime ?? b.stat.mtimeMs) || a.stat.mtimeMs - b.stat.mtimeMs);
  const reads: SourceRead[] = [];
  const cursors: LogCursor[] = [];
  const total = planned.reduce((n, p) => n + (p.start.offset < 0 ? 0 : p.stat.size - (p.source.gzip ? 0 : p.start.offset)), 0);
  let done = 0;
  const onChunk = opts.onProgress && !opts.within ? (bytes: number) => opts.onProgress!((done += bytes), total) : undefined;
  for (const p of planned) {
    opts.signal?.throwIfAborted();
    const label = p.source.label;
    const start = p.start;
    const problems = emptyProblems();
    const format = p.detected.format;
    const cursorOf = (offset: number, lines: number): LogCursor => ({
      label,
      offset,
      lines,
      size: p.stat.size,
      mtimeMs: p.stat.mtimeMs,
      ...(p.stat.ino !== undefined ? { ino: p.stat.ino } : {}),
      head: p.headHash,
      headBytes: p.headBytes,
    });
    if (start.offset < 0) {
      const prev = p.carried!;
      cursors.push(prev);
      reads.push({ label, format, from: prev.offset, bytes: 0, lines: 0, unplacedLines: 0, unplacedSamples: [], oversizedLines: 0, incompleteTail: false });
      continue;
    }
    const runs: ByteRun[] | undefined = opts.within?.index.runs(label, identityOf(p), p.stat.size, opts.within.since, opts.within.until);
    if (runs) {
      // A range read: each run from a mark, with a parser of its own (a run starts at an entry).
      let bytes = 0;
      let lines = 0;
      for (const run of runs) {
        const parser = lineParser(p, analyzer, problems);
        const r = await readLines(
          p.source,
          { from: run.from, size: run.to, firstLine: run.firstLine, ...(opts.signal ? { signal: opts.signal } : {}) },
          problems,
          parser.line,
        );
        parser.end();
        bytes += r.endOffset - run.from;
        lines += r.lines;
      }
      reads.push(readOf(p, runs[0]?.from ?? 0, bytes, lines, problems));
      continue;
    }
    const recorder: IndexRecorder | undefined = opts.indexInto?.recorder(label, identityOf(p), p.stat.size, start);
    const parser = lineParser(p, analyzer, problems, recorder && ((line, time) => recorder.entry(line, time)));
    const r = await readLines(
      p.source,
      { from: start.offset, size: p.stat.size, firstLine: start.lines + 1, ...(opts.signal ? { signal: opts.signal } : {}), ...(onChunk ? { onChunk } : {}) },
      problems,
      (t, n, at) => {
        if (start.skip !== undefined && n <= start.skip) return; // read under its earlier name
        recorder?.line(n, at);
        parser.line(t, n);
      },
    );
    parser.end();
    recorder?.end(r.endOffset, start.lines + r.lines);
    if (!opts.within) cursors.push(cursorOf(r.endOffset, start.lines + r.lines));
    reads.push(readOf(p, start.offset, p.source.gzip ? p.stat.size : r.endOffset - start.offset, r.lines, problems));
  }
  return { reads, cursors };
}
