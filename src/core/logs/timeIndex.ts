// Where each time is in a log, so a range (the panel's brush) reads only its part of a large log.
// While a source is read whole, or on from its cursor, an entry's start is marked every
// `segmentBytes` (its byte offset and line), and each segment between two marks keeps the earliest
// and latest time of its entries. A range read then reads the runs of segments whose times meet
// the range, with one segment more on each side: a stderr DETAIL line may belong to an entry a few
// entries back (the parser's window), and the log's times are not strictly ordered. Entries
// without a time are in every range (LogAnalyzer keeps them), so a segment holding one is always
// read. The report of a range read this way is the report of the whole log read for that range.

/** What makes a file the one indexed: a rotated or rewritten file under the same name is not. */
export interface SourceIdentity {
  head: string;
  headBytes: number;
  ino?: number;
  gzip: boolean;
}

interface Segment {
  offset: number;
  /** The number of the segment's first line. */
  line: number;
  min: number;
  max: number;
  untimed: boolean;
}

interface SourceIndex {
  identity: SourceIdentity;
  segments: Segment[];
  /** Past the last line indexed: the byte offset and the lines before it (of the decompressed stream for gzip). */
  end: { offset: number; lines: number };
  /** The file's size when it was read: a gzip file indexed is one that has not changed. */
  size: number;
}

/** A part of a source to read: bytes [from, to), its first line numbered `firstLine`. */
export interface ByteRun {
  from: number;
  to: number;
  firstLine: number;
}

export const SEGMENT_BYTES = 1024 * 1024;
/** Lines a pending mark waits for an entry to start before it gives up (a line of one huge entry). */
const MARK_PATIENCE = 4096;

const sameFile = (a: SourceIdentity, b: SourceIdentity) =>
  a.head === b.head && a.headBytes === b.headBytes && a.gzip === b.gzip && (a.ino === undefined || b.ino === undefined || a.ino === b.ino);

const newSegment = (offset: number, line: number): Segment => ({ offset, line, min: Infinity, max: -Infinity, untimed: false });

/** Marks one source while it is read: readLines reports each line's offset, the parser each entry. */
export class IndexRecorder {
  private pending: number | undefined;
  private readonly offsets = new Map<number, number>();
  private nextMark: number;
  private current: Segment;

  constructor(
    private readonly index: SourceIndex,
    private readonly segmentBytes: number,
    from: number,
  ) {
    this.current = index.segments.at(-1)!;
    this.nextMark = from + segmentBytes;
  }

  line(lineNo: number, offset: number): void {
    if (this.pending === undefined) {
      if (offset < this.nextMark) return;
      this.pending = lineNo;
    }
    this.offsets.set(lineNo, offset);
    if (this.offsets.size > MARK_PATIENCE) {
      this.pending = undefined;
      this.offsets.clear();
      this.nextMark = offset + this.segmentBytes;
    }
  }

  /** An entry, given in the log's order, with the number of its first line. */
  entry(lineNo: number, time: number | undefined): void {
    if (this.pending !== undefined && lineNo >= this.pending) {
      const offset = this.offsets.get(lineNo);
      if (offset !== undefined) {
        this.current = newSegment(offset, lineNo);
        this.index.segments.push(this.current);
        this.nextMark = offset + this.segmentBytes;
      }
      this.pending = undefined;
      this.offsets.clear();
    }
    const s = this.current;
    if (time === undefined) s.untimed = true;
    else {
      if (time < s.min) s.min = time;
      if (time > s.max) s.max = time;
    }
  }

  /** The read ended past `offset`, with `lines` lines before it. */
  end(offset: number, lines: number): void {
    this.index.end = { offset, lines };
  }
}

export class LogIndex {
  private readonly sources = new Map<string, SourceIndex>();

  constructor(readonly segmentBytes = SEGMENT_BYTES) {}

  /**
   * A recorder for a read of `label` starting at `start`: from 0 the source is indexed anew; from
   * where its index ends it goes on. Any other start leaves a gap, so the source is dropped and a
   * range read reads it whole.
   */
  recorder(label: string, identity: SourceIdentity, size: number, start: { offset: number; lines: number }): IndexRecorder | undefined {
    let s = this.sources.get(label);
    if (start.offset === 0) {
      s = { identity, segments: [newSegment(0, 1)], end: { offset: 0, lines: 0 }, size };
      this.sources.set(label, s);
    } else if (!s || !sameFile(s.identity, identity) || s.end.offset !== start.offset || s.end.lines !== start.lines) {
      this.sources.delete(label);
      return undefined;
    } else {
      s.segments.push(newSegment(start.offset, start.lines + 1));
      s.size = size;
    }
    return new IndexRecorder(s, this.segmentBytes, start.offset);
  }

  /**
   * The parts of `label` that hold every entry of [since, until), for a file now `size` bytes;
   * undefined: read it whole (never indexed, another file now, or gzip, which cannot be read from
   * the middle). What the file gained past its index is always read.
   */
  runs(label: string, identity: SourceIdentity, size: number, since: number, until: number): ByteRun[] | undefined {
    const s = this.sources.get(label);
    if (!s || !sameFile(s.identity, identity)) return undefined;
    const segs = s.segments;
    const meets = (g: Segment) => g.untimed || (g.max >= since && g.min < until);
    if (identity.gzip) return size === s.size && !segs.some(meets) ? [] : undefined;
    if (size < s.end.offset) return undefined;
    const wanted = segs.map(meets);
    const runs: ByteRun[] = [];
    for (let i = 0; i < segs.length; i++) {
      if (!(wanted[i] || wanted[i - 1] || wanted[i + 1])) continue;
      const from = segs[i]!.offset;
      const to = segs[i + 1]?.offset ?? s.end.offset;
      const last = runs.at(-1);
      if (last && last.to === from) last.to = to;
      else runs.push({ from, to, firstLine: segs[i]!.line });
    }
    if (size > s.end.offset) {
      const last = runs.at(-1);
      if (last && last.to === s.end.offset) last.to = size;
      else runs.push({ from: s.end.offset, to: size, firstLine: s.end.lines + 1 });
    }
    return runs.filter((r) => r.to > r.from);
  }

  /** Forget everything (a read that stopped half way leaves no index behind it). */
  clear(): void {
    this.sources.clear();
  }
}
