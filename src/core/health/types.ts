// The health report as plain data: what the CLI prints as JSON, the extension renders as
// Markdown, and the tests assert on. One finding per thing a DBA would look at.

export type Schedule = 'daily' | 'weekly' | 'monthly';
export const SCHEDULES: readonly Schedule[] = ['daily', 'weekly', 'monthly'];

/** ok: looked and fine; info: worth knowing, or could not be read (and why). */
export type HealthLevel = 'ok' | 'info' | 'warning' | 'critical';
export const LEVELS: readonly HealthLevel[] = ['critical', 'warning', 'info', 'ok'];

/** The seed's monitoring schedule, one id per line of it. */
export type CheckId =
  | 'slow-queries'
  | 'slow-log'
  | 'cache-hit'
  | 'connections'
  | 'autovacuum'
  | 'checkpoints'
  | 'bloat'
  | 'index-usage'
  | 'growth'
  | 'backup'
  | 'index-optimisation'
  | 'query-plans'
  | 'capacity'
  | 'access'
  | 'wraparound'
  | 'sequences'
  | 'invalid-indexes'
  | 'redundant-indexes'
  | 'fk-indexes'
  | 'invalid-constraints'
  | 'primary-keys'
  | 'table-statistics'
  | 'vacuum-scale'
  | 'sessions'
  | 'replication'
  | 'security'
  | 'index-advice'
  | 'pgbouncer';

export interface Fix {
  /** sql: a statement to run; setting: a postgresql.conf line; command: a shell command; note: advice. */
  kind: 'sql' | 'setting' | 'command' | 'note';
  text: string;
}

export interface Finding {
  check: CheckId;
  schedule: Schedule;
  level: HealthLevel;
  /** What it is about: "server", a database, "public.orders", an index, a backup file. */
  subject: string;
  /** The figure as read, with its unit and, when there is one, the threshold it was held against. */
  observed: string;
  value?: number;
  threshold?: number;
  /** One sentence: why this level. */
  why: string;
  fix?: Fix;
}

export interface ServerInfo {
  /** Profile name, or user@host:port/db for a URL. */
  name: string;
  /** user@host:port/db — never a password. */
  target: string;
  version?: string;
  versionNum?: number;
}

export interface HealthSummary {
  worst: HealthLevel;
  counts: Record<HealthLevel, number>;
  /** The most severe finding (first in report order), for the summary table. */
  top?: Pick<Finding, 'check' | 'level' | 'subject' | 'observed'>;
}

export interface HealthReport {
  server: ServerInfo;
  generatedAt: string;
  schedules: Schedule[];
  findings: Finding[];
  summary: HealthSummary;
}

/** One row of a report over many servers: a report, or why there is none. */
export type ServerOutcome = { ok: true; report: HealthReport } | { ok: false; server: ServerInfo; error: string };

export interface MultiHealthReport {
  generatedAt: string;
  servers: ServerOutcome[];
  /** Over every server; an unreachable one counts as critical. */
  worst: HealthLevel;
  critical: number;
}
