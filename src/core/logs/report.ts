// The log report: plain data, the same for the CLI's JSON/text/Markdown/HTML, the panel and the
// tests. The top-level keys and `summary` are issue #17's; the rest adds to them.

export type LogLevel = 'info' | 'warning' | 'critical';

/** Where an entry is: the source's label and its first line (the panel links rows to it). */
export interface LogRef {
  file: string;
  line: number;
  time?: string;
}

export interface LogSummary {
  entries: number;
  statements: number;
  errors: number;
  fatals: number;
  connections: number;
  disconnections: number;
  checkpoints: number;
  autovacuums: number;
  autoanalyzes: number;
  tempFiles: number;
  lockWaits: number;
  deadlocks: number;
  first?: string;
  last?: string;
  /** Not in #17's list: PANICs, WARNINGs, "checkpoints are occurring too frequently", distinct statements. */
  panics: number;
  warnings: number;
  checkpointWarnings: number;
  statementGroups: number;
}

export interface StatementGroup {
  /** libpg-query's fingerprint (or "text:…" for a text the parser refused). */
  id: string;
  query: string;
  count: number;
  totalMs: number;
  meanMs: number;
  /** Within 1 %: durations are kept in a log-scale histogram, so memory does not grow with the log. */
  p95Ms: number;
  maxMs: number;
  users: Record<string, number>;
  databases: Record<string, number>;
  worst: LogRef & { durationMs: number; text: string; parameters?: string; user?: string; database?: string };
}

export interface ErrorGroup {
  level: string;
  sqlstate?: string;
  /** The message with its quoted names and numbers as "…", so one error of many objects is one row. */
  pattern: string;
  count: number;
  sample: LogRef & { message: string; detail?: string; hint?: string; statement?: string; user?: string; database?: string; host?: string };
}

export interface AuthFailures {
  address: string;
  count: number;
  users: Record<string, number>;
  reasons: Record<string, number>;
  first?: string;
  last?: string;
}

export interface SessionStats {
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface ConnectionsReport {
  received: number;
  authorized: number;
  disconnections: number;
  byUser: Record<string, number>;
  byDatabase: Record<string, number>;
  byHost: Record<string, number>;
  sessions: SessionStats & {
    meanMs: number;
    byUser: Record<string, SessionStats>;
    byDatabase: Record<string, SessionStats>;
    byHost: Record<string, SessionStats>;
  };
  authFailures: AuthFailures[];
  tooManyClients: { count: number; messages: Record<string, number>; first?: string; last?: string };
}

export interface HourBucket {
  hour: string;
  statements: number;
  errors: number;
  connections: number;
  disconnections: number;
}

/** A minute's counts (the panel's chart of a short range); the same counts as HourBucket. */
export interface MinuteBucket {
  minute: string;
  statements: number;
  errors: number;
  connections: number;
  disconnections: number;
}

/** An auto_explain plan (text or JSON format) as the log holds it. */
export interface LoggedPlan extends LogRef {
  durationMs: number;
  format: 'text' | 'json';
  /** auto_explain's "Query Text", when it logged one. */
  query?: string;
  /** "duration: … ms  plan:" and the plan's lines, joined by "\n". */
  message: string;
  /** The message was past the bound and is cut: the viewer cannot read it. */
  truncated?: boolean;
  user?: string;
  database?: string;
}

export interface CheckpointRow extends LogRef {
  kind: 'checkpoint' | 'restartpoint';
  trigger: 'timed' | 'requested';
  flags: string;
  buffers?: number;
  writeS?: number;
  syncS?: number;
  totalS?: number;
  distanceKb?: number;
  estimateKb?: number;
}

export interface AutovacuumRow {
  table: string;
  vacuums: number;
  analyzes: number;
  /** Vacuums to prevent wraparound, among `vacuums`. */
  wraparound: number;
  totalS: number;
  maxS: number;
  pagesRemoved: number;
  tuplesRemoved: number;
}

export interface TempFileGroup {
  id: string;
  query: string;
  count: number;
  totalBytes: number;
  maxBytes: number;
  sample: LogRef & { text: string; user?: string; database?: string };
}

export interface LockRow extends LogRef {
  kind: 'waiting' | 'acquired' | 'deadlock';
  pid?: number;
  lockType?: string;
  object?: string;
  waitedMs?: number;
  /** The waiting (or, for a deadlock, the cancelled) process's query. */
  query?: string;
  /** The processes it waited for, and their last logged statement when the log has one. */
  blockers: { pid: number; query?: string }[];
}

export interface BouncerReport {
  lines: number;
  logins: number;
  loginFailures: AuthFailures[];
  poolErrors: { pattern: string; count: number; sample: LogRef & { message: string } }[];
  closeReasons: Record<string, number>;
  stats: (LogRef & {
    xactsPerSec: number;
    queriesPerSec: number;
    inBytesPerSec: number;
    outBytesPerSec: number;
    xactUs: number;
    queryUs: number;
    waitUs: number;
  })[];
}

export interface LogFinding {
  level: LogLevel;
  code: string;
  message: string;
  fix?: string;
  /** The statement group it is about (StatementGroup.id), for a finding on one. */
  group?: string;
}

export interface SourceRead {
  label: string;
  format: string;
  prefix?: string;
  /** Bytes read this time, from `from`. */
  from: number;
  bytes: number;
  lines: number;
  unplacedLines: number;
  unplacedSamples: number[];
  oversizedLines: number;
  incompleteTail: boolean;
}

export interface LogReport {
  summary: LogSummary;
  statements: StatementGroup[];
  errors: ErrorGroup[];
  connections: ConnectionsReport;
  checkpoints: CheckpointRow[];
  autovacuum: AutovacuumRow[];
  tempFiles: TempFileGroup[];
  locks: LockRow[];
  hourly: HourBucket[];
  /** Per minute, for the panel's short ranges: the latest MAX_MINUTES minutes (analyzer.ts) of the read. */
  minutely: MinuteBucket[];
  /** auto_explain's plans, slowest first (at most 200), and how many the log held. */
  plans: LoggedPlan[];
  planCount: number;
  pgbouncer?: BouncerReport;
  findings: LogFinding[];
  sources: SourceRead[];
}
