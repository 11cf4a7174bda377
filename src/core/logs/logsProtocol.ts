// The log panel's messages, both directions; the extension and webview/logs import this file.
// Everything from the page is validated (parseWebviewMessage) before the extension acts; a page
// names a log line only by a source the panel read (the host checks the label is one of them).
import type { LogReport } from './report';

/** Where the panel read the log: files on this machine or the SSH hop's, or the server through SQL. */
export interface LogSourceInfo {
  kind: 'local' | 'ssh' | 'sql' | 'files';
  /** In words: "/var/lib/postgresql/16/main/log on deploy@db.example (SSH)". */
  text: string;
  files: string[];
}

/** A time range, milliseconds since the epoch: since ≤ t < until. */
export interface TimeRange {
  since: number;
  until: number;
}

export type HostMessage =
  /** A read under way; `cancellable`: the page offers Cancel. */
  | { type: 'loading'; text: string; cancellable?: boolean }
  /** No source could be read: why, and what to do. */
  | { type: 'failed'; message: string }
  /** The person cancelled a read: what is on screen now, and how to read again. */
  | { type: 'cancelled'; message: string }
  | {
      type: 'report';
      title: string;
      source: LogSourceInfo;
      /** The range the report is of; undefined: the whole log read so far. */
      range?: TimeRange;
      report: LogReport;
      readAt: string;
      /** What the last read took, and the bytes it read (a Refresh reads what was added). */
      readMs: number;
      readBytes: number;
      /** Explain needs a connection profile (a panel on picked files has one to pick). */
      canExplain: boolean;
      /** A read still under way: the report of what it read so far, of `total` source bytes. */
      progress?: { done: number; total: number };
    };

/** How often a long read posts its report so far (the panel; bench:logpanel times the first). */
export const PROGRESS_MS = 1500;

export type WebviewMessage =
  | { type: 'ready' }
  /** The brush: re-read the tables for this range; none: the whole log. */
  | { type: 'range'; range?: TimeRange }
  /** Read what the log gained since the last read. */
  | { type: 'refresh' }
  /** Stop the read under way. */
  | { type: 'cancel' }
  | { type: 'openRef'; file: string; line: number }
  /** Explain a statement group's worst sample. */
  | { type: 'explain'; statementId: string }
  /** Open a logged auto_explain plan (its index in report.plans). */
  | { type: 'openPlan'; index: number };

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 8.64e15;
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

function parseRange(v: unknown): TimeRange | undefined | null {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  return isTime(r.since) && isTime(r.until) && r.since < r.until ? { since: r.since, until: r.until } : null;
}

export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'refresh':
    case 'cancel':
      return { type: m.type };
    case 'range': {
      const range = parseRange(m.range);
      if (range === null) return undefined;
      return range ? { type: 'range', range } : { type: 'range' };
    }
    case 'openRef':
      return isText(m.file, 4096) && isIndex(m.line) && m.line >= 1 ? { type: 'openRef', file: m.file, line: m.line } : undefined;
    case 'explain':
      return isText(m.statementId, 200) ? { type: 'explain', statementId: m.statementId } : undefined;
    case 'openPlan':
      return isIndex(m.index) ? { type: 'openPlan', index: m.index } : undefined;
    default:
      return undefined;
  }
}
