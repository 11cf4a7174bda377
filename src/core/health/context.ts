// What every check gets: the connection, the server's version, the thresholds, the settings
// that shape advice (pgdba.hardware.* over the host facts), the host facts, and a helper to turn a failed read into an info finding.
import type pg from 'pg';
import { toStatsError } from '../stats/errors';
import { readableIdent } from '../db/sqlIdent';
import type { VersionArgs } from '../stats/query';
import type { ServerOverviewRow } from '../stats/server';
import type { StatementsStatusRow } from '../stats/statements';
import type { Thresholds } from '../stats/thresholds';
import type { HostFacts } from '../host/facts';
import type { CheckId, Finding, Schedule } from './types';

export interface HardwareHints {
  ramGB?: number;
  cpus?: number;
  maxConnections?: number;
  /** Where ramGB came from, as a report says it: "pgdba.hardware.ramGB" (the default) or the host facts. */
  ramFrom?: string;
}

export interface HealthContext {
  /** A pool: the plan check needs a client of its own for BEGIN … ROLLBACK. */
  pool: pg.Pool;
  v: VersionArgs;
  t: Thresholds;
  overview: ServerOverviewRow;
  /** pg_stat_statements' state in this database; undefined when it could not be read. */
  statements?: StatementsStatusRow;
  hardware: HardwareHints;
  /** Directory of the nightly backups; undefined: the backup check says it was not given. */
  backupDir?: string;
  /** Top queries whose plans are read (monthly). */
  planLimit: number;
  /** statement_timeout of each EXPLAIN. */
  explainTimeoutMs: number;
  /** The server machine's facts (its disks, RAM), or why they could not be read. */
  host?: HostFacts | { error: string };
  now: Date;
  signal?: AbortSignal;
}

/** A check that could not read its figures: an info finding with the reason, never a crash. */
export function unreadable(check: CheckId, schedule: Schedule, e: unknown, what: string, role = 'CURRENT_USER'): Finding {
  const err = toStatsError(e, what);
  return {
    check,
    schedule,
    level: 'info',
    subject: 'server',
    observed: 'not read',
    why: err.message,
    ...(err.kind === 'permission'
      ? { fix: { kind: 'sql' as const, text: `GRANT pg_monitor TO ${role === 'CURRENT_USER' ? role : readableIdent(role)};` } }
      : {}),
  };
}

export const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;

/** Runs a check; any error becomes one info finding. */
export async function guarded(
  ctx: Pick<HealthContext, 'overview'>,
  check: CheckId,
  schedule: Schedule,
  what: string,
  run: () => Promise<Finding[]>,
): Promise<Finding[]> {
  try {
    return await run();
  } catch (e) {
    return [unreadable(check, schedule, e, what, ctx.overview.currentUser)];
  }
}
