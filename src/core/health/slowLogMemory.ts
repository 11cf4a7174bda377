// The slow query log section between reports of one server (the extension keeps one per profile):
// the window's LogAnalyzer, where each file's read stopped and what each file gave, so that a
// second report reads only what the log gained. Its figures are those of one whole read of the
// window, as the analyzer's groups (histograms, totals, worst samples) simply go on taking entries.
// The window is fixed by the first report of a calendar day (this machine's): the day before it.
// A new day, other log settings, or a file rotated or truncated under its name start over.
import type { LogAnalyzer, LogCursor, SourceRead } from '../logs';

/** What one report's section read, for the section's words, the tests and the bench. */
export interface SlowLogRead {
  /** Bytes read this time. */
  bytes: number;
  /** true: went on from the cursors of an earlier report. */
  continued: boolean;
  /** Why an earlier report's window was not gone on with. */
  restart?: string;
}

/** The window kept between reports. */
export interface SlowLogWindow {
  /** The log settings and source read: other ones start over. */
  key: string;
  /** Where the log was read ("on HOST", "through SQL"). */
  where: string;
  /** this machine's calendar day of the report that started it. */
  day: string;
  /** ms: entries and files before it are not read. */
  since: number;
  /** When the last report read it (ms). */
  readAt: number;
  analyzer: LogAnalyzer;
  cursors: Map<string, LogCursor>;
  /** Each file's reads added up, for the report's sources (bytes, unplaced lines). */
  reads: Map<string, SourceRead>;
}

export const localDay = (t: Date): string => `${t.getFullYear()}-${t.getMonth() + 1}-${t.getDate()}`;

/** A file's reads as one: bytes, lines and problems added up, the latest format and tail. */
export function mergeRead(before: SourceRead | undefined, r: SourceRead): SourceRead {
  if (!before) return r;
  return {
    ...r,
    from: before.from,
    bytes: before.bytes + r.bytes,
    lines: before.lines + r.lines,
    unplacedLines: before.unplacedLines + r.unplacedLines,
    unplacedSamples: before.unplacedSamples.length ? before.unplacedSamples : r.unplacedSamples,
    oversizedLines: before.oversizedLines + r.oversizedLines,
  };
}

export class SlowLogMemory {
  private window: SlowLogWindow | undefined;
  private turn: Promise<unknown> = Promise.resolve();
  /** What the last report read. */
  last: SlowLogRead | undefined;

  /** Runs fn after any report of this server in flight: two at once would feed one analyzer twice. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** The kept window if a report at `now` with these settings goes on with it; else why not (undefined: none kept). */
  take(now: Date, key: string): { window: SlowLogWindow } | { restart?: string } {
    const w = this.window;
    if (!w) return {};
    this.window = undefined;
    if (w.day !== localDay(now)) return { restart: 'a new day' };
    if (w.key !== key) return { restart: 'the log settings changed' };
    if (now.getTime() < w.readAt) return { restart: 'the report is older than the last one' };
    return { window: w };
  }

  /** Keeps the window after a complete read (a failed or cancelled one is not kept: the next report starts over). */
  keep(w: SlowLogWindow, read: SlowLogRead): void {
    this.window = w;
    this.last = read;
  }

  /** Forgets the window (a report that read nothing, or failed). */
  forget(read?: SlowLogRead): void {
    this.window = undefined;
    this.last = read;
  }
}
