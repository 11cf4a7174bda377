// The seed's weekly checks: table bloat, index usage, database growth (backup performance is in
// backupCheck.ts). Bloat is the stats core's estimate; unused indexes those never scanned since
// the statistics were reset that back no constraint (primary keys, unique and exclusion constraints
// do their job unscanned) and are valid (an invalid one is invalid-indexes').
import { bloatAlerts } from '../stats/alerts';
import { databaseCacheHit } from '../stats/cacheHit';
import { tableBloat } from '../stats/bloat';
import { listDatabases } from '../stats/databases';
import { indexUsage } from '../stats/usage';
import { formatBytes, formatCount } from '../format';
import { guarded, round, type HealthContext } from './context';
import { qualified } from './names';
import type { Finding } from './types';

/** Unused indexes smaller than this cost little: info rather than warning. */
const UNUSED_INDEX_WARN_BYTES = 1024 * 1024;

export async function bloat(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'bloat', 'weekly', 'Table bloat', async () => {
    const th = ctx.t.tableBloatPct;
    const rows = await tableBloat(ctx.pool, { ...ctx.v, minBytes: th.minBytes, limit: 200 });
    const out: Finding[] = bloatAlerts(rows, ctx.t).map((a) => {
      const r = rows.find((x) => `${x.schema}.${x.table}` === a.subject)!;
      return {
        check: 'bloat',
        schedule: 'weekly',
        level: a.level,
        subject: a.subject,
        observed: `~${round(r.bloatPct)}% of ${formatBytes(r.realBytes)} is empty space (${formatBytes(r.bloatBytes)}), above ${a.threshold}%`,
        value: a.value,
        threshold: a.threshold,
        why: 'VACUUM makes the space of dead rows reusable but cannot give back pages in the middle of the table, so scans read them all.',
        fix: {
          kind: 'sql',
          text: `VACUUM (FULL, ANALYZE) ${qualified(r.schema, r.table)};  -- takes an ACCESS EXCLUSIVE lock: run it off-hours (or use pg_repack)`,
        },
      };
    });
    const unreliable = rows.filter((r) => !r.estimateReliable).length;
    if (out.length === 0) {
      const worst = rows.find((r) => r.estimateReliable);
      out.push({
        check: 'bloat',
        schedule: 'weekly',
        level: 'ok',
        subject: 'server',
        observed: worst ? `largest estimate ~${round(worst.bloatPct)}% (${worst.schema}.${worst.table})` : `no table over ${formatBytes(th.minBytes)}`,
        why: `No table of ${formatBytes(th.minBytes)} or more is estimated over ${th.warn}% bloat.`,
      });
    }
    if (unreliable > 0) {
      out.push({
        check: 'bloat',
        schedule: 'weekly',
        level: 'info',
        subject: `${unreliable} table${unreliable > 1 ? 's' : ''}`,
        observed: 'no estimate',
        why: 'The estimate needs column statistics: these tables were never analysed, or their columns are hidden from this role.',
        fix: { kind: 'sql', text: 'ANALYZE;' },
      });
    }
    return out;
  });
}

export async function indexUsageCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'index-usage', 'weekly', 'Index usage', async () => {
    const rows = await indexUsage(ctx.pool, { ...ctx.v, limit: 200 });
    // An invalid index is never scanned because it cannot be: reported once, by invalid-indexes.
    const unused = rows.filter((r) => r.usage === 'unused' && !r.backsConstraint && r.isValid);
    // Since when the scans count: this database's statistics reset (NULL: never reset).
    const reset = unused.length ? (await databaseCacheHit(ctx.pool, ctx.v)).find((d) => d.database === ctx.overview.currentDatabase)?.statsReset : undefined;
    const since = reset ? `since ${reset.slice(0, 16).replace('T', ' ')} UTC (statistics reset)` : 'since the statistics began';
    const out: Finding[] = unused.map((r) => ({
      check: 'index-usage',
      schedule: 'weekly',
      // A table no query has read since the statistics began says nothing yet about its indexes.
      level: r.bytes >= UNUSED_INDEX_WARN_BYTES && r.tableReads > 0 ? 'warning' : 'info',
      subject: `${r.schema}.${r.index}`,
      observed: `0 scans ${since}, ${formatBytes(r.bytes)} on ${r.table}${r.tableReads > 0 ? '' : ', a table no query has read either'}`,
      value: 0,
      why:
        r.tableReads > 0
          ? 'Never used by a query since the statistics were reset, yet every INSERT and UPDATE of the table must maintain it (check standbys and monthly reports first).'
          : `No query has read ${r.table} since the statistics began, so whether this index is needed is not known yet: look again after a normal week of traffic.`,
      fix: { kind: 'sql', text: `DROP INDEX CONCURRENTLY ${qualified(r.schema, r.index)};` },
    }));
    const low = rows.filter((r) => r.usage === 'low').length;
    if (out.length === 0) {
      out.push({
        check: 'index-usage',
        schedule: 'weekly',
        level: 'ok',
        subject: 'server',
        observed: `${rows.length} index${rows.length === 1 ? '' : 'es'} looked at, none unused${low ? `, ${low} with fewer than 10 scans` : ''}`,
        why: 'Every index that backs no constraint has been scanned since the statistics were reset.',
      });
    }
    return out;
  });
}

export async function growth(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'growth', 'weekly', 'Database sizes', async () => {
    const rows = (await listDatabases(ctx.pool, { ...ctx.v, sizes: true })).filter((d) => !d.isTemplate && d.bytes !== null);
    const total = rows.reduce((s, d) => s + (d.bytes ?? 0), 0);
    const sorted = rows.sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0));
    const shown = sorted.slice(0, 5).map((d) => `${d.name} ${formatBytes(d.bytes)}`);
    const oldestXid = Math.max(0, ...rows.map((d) => d.xidAge));
    return [
      {
        check: 'growth',
        schedule: 'weekly',
        level: 'info',
        subject: 'server',
        observed: `${formatBytes(total)} in ${rows.length} database${rows.length === 1 ? '' : 's'}: ${shown.join(', ')}${sorted.length > 5 ? ', …' : ''}; oldest XID age ${formatCount(oldestXid)}`,
        value: total,
        why: 'Sizes today; the night-to-night trend of this database is in the backup sizes (Backups) and the room left in Capacity.',
      },
    ];
  });
}
