// The seed's thresholds applied to the dashboard's points, through the same evaluators as the
// tree (stats/alerts.ts), and a tracker that tells which alerts are new crossings: a person is
// notified once when a metric crosses a threshold, not every tick while it stays over it.
import { cacheHitAlerts, connectionAlerts, sortAlerts, thresholdAlert, type Alert } from '../stats/alerts';
import type { AlertLevel, Thresholds } from '../stats/thresholds';
import { clientSessions, type DashboardPoint } from './rates';

/** Checkpoints per minute over the last minute of points (a window of at least a minute, as the tree's). */
export function checkpointsPerMinute(recent: readonly DashboardPoint[]): number | undefined {
  const last = recent[recent.length - 1];
  if (!last) return undefined;
  const inWindow = recent.filter((p) => p.t > last.t - 60_000);
  const counted = inWindow.filter((p) => p.checkpoints !== null);
  if (counted.length === 0) return undefined;
  const n = counted.reduce((s, p) => s + p.checkpoints!, 0);
  return n; // a window of one minute at most, divided by max(window, 1 min) = 1
}

/** Alerts the newest point raises; `recent` is the history ending with it (for windowed rates). */
export function pointAlerts(recent: readonly DashboardPoint[], t: Thresholds): Alert[] {
  const p = recent[recent.length - 1];
  if (!p) return [];
  const alerts: Alert[] = [...connectionAlerts({ connections: clientSessions(p), maxConnections: p.maxConnections }, t)];
  if (p.cacheHitPct !== null && p.blocksAccessed !== null) {
    const hit = Math.round((p.cacheHitPct * p.blocksAccessed) / 100);
    alerts.push(
      ...cacheHitAlerts([{ database: 'all databases', blocksHit: hit, blocksRead: p.blocksAccessed - hit, hitRatioPct: p.cacheHitPct, statsReset: null }], t),
    );
  }
  const perMinute = checkpointsPerMinute(recent);
  if (perMinute !== undefined)
    alerts.push(...thresholdAlert('checkpointFrequency', 'checkpointsPerMinute', 'server', perMinute, t, '/min', 'checkpoint frequency'));
  if (p.longestLockWaitSeconds !== null) {
    const who = `${p.lockWaiting} session${p.lockWaiting === 1 ? '' : 's'} waiting for a lock; the longest wait`;
    alerts.push(...thresholdAlert('lockWait', 'lockWaitSeconds', 'server', p.longestLockWaitSeconds, t, 's', who));
  }
  // What moves by the minute of #15's checks: the oldest database's XID age, long statements, idle transactions.
  alerts.push(...thresholdAlert('wraparound', 'wraparoundPct', 'server', p.wraparoundPct, t, '%', 'oldest XID age of autovacuum_freeze_max_age:'));
  if (p.longestQuerySeconds !== null)
    alerts.push(
      ...thresholdAlert(
        'longQuery',
        'longQuerySeconds',
        'server',
        p.longestQuerySeconds,
        t,
        's',
        `${p.longRunning} long statement${p.longRunning === 1 ? '' : 's'}; the longest`,
      ),
    );
  if (p.longestIdleInTransactionSeconds !== null) {
    const who = `${p.longIdleInTransaction} session${p.longIdleInTransaction === 1 ? '' : 's'} idle in a transaction; the longest`;
    alerts.push(...thresholdAlert('idleInTransaction', 'idleInTransactionSeconds', 'server', p.longestIdleInTransactionSeconds, t, 's', who));
  }
  if (p.bouncerMaxWaitSeconds !== null && p.bouncerClWaiting !== null)
    alerts.push(
      ...thresholdAlert(
        'bouncerMaxWait',
        'bouncerMaxWaitSeconds',
        'PgBouncer',
        p.bouncerMaxWaitSeconds,
        t,
        's',
        `${p.bouncerClWaiting} client(s) waiting; the longest maxwait`,
      ),
    );
  return sortAlerts(alerts);
}

const RANK: Record<AlertLevel, number> = { warning: 1, critical: 2 };

/** Remembers each metric's level; says which alerts are crossings (fine → warning → critical). */
export class CrossingTracker {
  private readonly levels = new Map<string, AlertLevel>();

  /** The alerts of this tick that crossed a threshold upwards since the last tick. */
  update(alerts: readonly Alert[]): Alert[] {
    const crossed: Alert[] = [];
    const seen = new Set<string>();
    for (const a of alerts) {
      const key = `${a.metric}\u0000${a.subject}`;
      seen.add(key);
      const before = this.levels.get(key);
      if (!before || RANK[a.level] > RANK[before]) crossed.push(a);
      this.levels.set(key, a.level);
    }
    // Back under the threshold: the next crossing is news again.
    for (const key of [...this.levels.keys()]) if (!seen.has(key)) this.levels.delete(key);
    return crossed;
  }
}

/** The horizontal lines each chart draws: the thresholds that belong to it. */
export interface ThresholdLines {
  connectionsPct: { warn: number; crit: number };
  cacheHitPct: { warn: number; crit: number };
  checkpointsPerMinute: { warn: number; crit: number };
  lockWaitSeconds: { warn: number; crit: number };
  longQuerySeconds: { warn: number; crit: number };
  idleInTransactionSeconds: { warn: number; crit: number };
}

export function thresholdLines(t: Thresholds): ThresholdLines {
  const pick = (x: { warn: number; crit: number }) => ({ warn: x.warn, crit: x.crit });
  return {
    connectionsPct: pick(t.connectionsPct),
    cacheHitPct: pick(t.cacheHitRatioPct),
    checkpointsPerMinute: pick(t.checkpointsPerMinute),
    lockWaitSeconds: pick(t.lockWaitSeconds),
    longQuerySeconds: pick(t.longQuerySeconds),
    idleInTransactionSeconds: pick(t.idleInTransactionSeconds),
  };
}
