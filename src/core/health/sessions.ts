// Sessions (daily): statements running past longQuerySeconds and transactions idle past
// idleInTransactionSeconds (pgdba.alerts.thresholds), one finding per session with its age, the
// locks it holds, and the statement that ends it; idle_in_transaction_session_timeout is proposed
// when it is off, since it is the setting that ends such sessions by itself.
import { quoteIdent } from '../db/sqlIdent';
import { formatCount, formatDuration } from '../format';
import { longSessions, type LongSessionRow } from '../stats/longSessions';
import { guarded, round, type HealthContext } from './context';
import { thresholdLevel } from './levels';
import { shortQuery } from './names';
import type { Finding, Fix } from './types';

const isIdleInXact = (r: Pick<LongSessionRow, 'state'>) => r.state.startsWith('idle in transaction');

/** What ends the session now, and what bounds the next ones. */
export function sessionFix(r: Pick<LongSessionRow, 'pid' | 'state' | 'user' | 'idleTimeoutMs'>, idleWarnSeconds: number): Fix {
  if (isIdleInXact(r)) {
    const lines = [`SELECT pg_terminate_backend(${r.pid});  -- ends the session and rolls back its transaction`];
    if (r.idleTimeoutMs === 0) {
      const minutes = Math.max(1, Math.round(idleWarnSeconds / 60));
      lines.push(
        `ALTER SYSTEM SET idle_in_transaction_session_timeout = '${minutes}min';  -- off now: ends such sessions by itself`,
        'SELECT pg_reload_conf();',
      );
    }
    return { kind: 'sql', text: lines.join('\n') };
  }
  return {
    kind: 'sql',
    text: `SELECT pg_cancel_backend(${r.pid});  -- cancels the statement; pg_terminate_backend(${r.pid}) ends the session\n-- to bound such statements: ALTER ROLE ${r.user !== null ? quoteIdent(r.user) : '…'} SET statement_timeout = '…';`,
  };
}

export async function sessionsCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'sessions', 'daily', 'Long-running and idle-in-transaction sessions', async () => {
    const q = ctx.t.longQuerySeconds;
    const idle = ctx.t.idleInTransactionSeconds;
    const rows = await longSessions(ctx.pool, { ...ctx.v, minQuerySeconds: q.warn, minIdleSeconds: idle.warn });
    const out: Finding[] = [];
    for (const r of rows) {
      const idleInXact = isIdleInXact(r);
      const age = (idleInXact ? r.idleSeconds : r.queryAgeSeconds) ?? 0;
      const { level, threshold } = idleInXact ? thresholdLevel('idleInTransactionSeconds', age, idle) : thresholdLevel('longQuerySeconds', age, q);
      if (level === 'ok') continue;
      const locks = `${formatCount(r.locksHeld)} lock${r.locksHeld === 1 ? '' : 's'} held${r.relations.length ? ` (${r.relations.join(', ')})` : ''}`;
      out.push({
        check: 'sessions',
        schedule: 'daily',
        level,
        subject: `pid ${r.pid}`,
        observed: `${idleInXact ? `${r.state} for ${formatDuration(age)}, transaction open ${formatDuration(r.xactAgeSeconds)}` : `statement running ${formatDuration(age)}`}${threshold !== undefined ? ` (above ${formatDuration(threshold)})` : ''}; ${locks}; ${r.user ?? '?'} on ${r.database ?? '?'}`,
        value: round(age),
        ...(threshold !== undefined ? { threshold } : {}),
        why: idleInXact
          ? `A transaction left open keeps its locks and stops VACUUM from removing the rows it might still see, in every table: ${shortQuery(r.query, 60)} was its last statement.`
          : `A statement this long holds its locks and its snapshot the whole time: ${shortQuery(r.query, 60)}.`,
        fix: sessionFix(r, idle.warn),
      });
    }
    if (out.length === 0)
      out.push({
        check: 'sessions',
        schedule: 'daily',
        level: 'ok',
        subject: 'server',
        observed: `no statement over ${formatDuration(q.warn)}, no transaction idle over ${formatDuration(idle.warn)}`,
        why: 'No session holds its locks and its snapshot for long.',
      });
    return out;
  });
}
