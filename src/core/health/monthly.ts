// The seed's monthly checks besides the plans (plans.ts): index optimisation (tables read
// mostly by sequential scans, with the CREATE INDEX a plan showed when there is one) and
// capacity (the data and backup disks from the host facts with days left at the backups' growth,
// connections, memory against the host's RAM or pgdba.hardware.*).
import { readableIdent } from '../db/sqlIdent';
import { listLocalBackups } from '../backup/listing';
import { listDatabases } from '../stats/databases';
import { listSettings } from '../stats/settings';
import { seqScanTables } from '../stats/usage';
import { SEQ_SCAN_MIN_ROWS_READ } from '../explain/insights';
import { formatBytes, formatCount } from '../format';
import type { AdvisorReport } from '../advisor/types';
import { adviceFix } from './adviceFix';
import { guarded, round, type HealthContext } from './context';
import { confSize, settingMb } from './names';
import { backupTrend, daysLeft, type BackupTrend } from './diskTrend';
import { worstLevel } from './levels';
import type { Finding, HealthLevel } from './types';

/** Free disk below these shares of the data directory's file system. */
const DISK_FREE_WARN_PCT = 20;
const DISK_FREE_CRIT_PCT = 10;
/** Seed: shared_buffers at 25% of RAM; above 40% leaves the OS cache too little. */
const SHARED_BUFFERS_MAX_SHARE = 0.4;

/** advice: the index advisor's report of this run; its index for a table is the one offered. */
export async function indexOptimisation(ctx: HealthContext, advice?: AdvisorReport): Promise<Finding[]> {
  return guarded(ctx, 'index-optimisation', 'monthly', 'Sequential scans', async () => {
    const rows = await seqScanTables(ctx.pool, { ...ctx.v, minSeqScans: 100, limit: 100 });
    const out: Finding[] = [];
    for (const r of rows) {
      if (!r.considerIndex || r.liveTuples < SEQ_SCAN_MIN_ROWS_READ) continue;
      const fix = adviceFix(advice, r.schema, r.table);
      out.push({
        check: 'index-optimisation',
        schedule: 'monthly',
        level: 'warning',
        subject: `${r.schema}.${r.table}`,
        observed: `${formatCount(r.seqScans)} sequential scans against ${formatCount(r.idxScans ?? 0)} index scans, ${formatCount(r.seqTuplesRead)} rows read, ${formatCount(r.liveTuples)} rows`,
        value: r.seqScans,
        why: `A table of ${formatCount(r.liveTuples)} rows read mostly by sequential scans: the queries that filter it likely lack an index.`,
        fix: fix ?? {
          kind: 'note',
          text: `${advice ? 'The index advisor proposes no index for this table from the top statements. ' : ''}Find the statements that read ${r.table} (pg_stat_statements) and index the columns of their WHERE clauses; EXPLAIN shows the Seq Scan and its Filter.`,
        },
      });
    }
    if (out.length === 0) {
      out.push({
        check: 'index-optimisation',
        schedule: 'monthly',
        level: 'ok',
        subject: 'server',
        observed: `no table of ${formatCount(SEQ_SCAN_MIN_ROWS_READ)}+ rows read mostly by sequential scans`,
        why: 'Large tables are reached through their indexes.',
      });
    }
    return out;
  });
}

/** Days left on a disk at the backups' growth below these: plan the room now. */
const DISK_DAYS_WARN = 90;
const DISK_DAYS_CRIT = 30;

/** The level of a disk's free share, and of its days left at the growth. */
function diskLevel(freePct: number, days: number | undefined): HealthLevel {
  const byPct: HealthLevel = freePct < DISK_FREE_CRIT_PCT ? 'critical' : freePct < DISK_FREE_WARN_PCT ? 'warning' : 'ok';
  const byDays: HealthLevel = days === undefined ? 'ok' : days < DISK_DAYS_CRIT ? 'critical' : days < DISK_DAYS_WARN ? 'warning' : 'ok';
  return worstLevel([byPct, byDays]);
}

/** The data directory's disk from the host facts, and its days left at the growth the backups show. */
function dataDiskFinding(ctx: HealthContext, databasesBytes: number, currentDbBytes: number | undefined, trend: BackupTrend | undefined): Finding {
  const base = { check: 'capacity' as const, schedule: 'monthly' as const, subject: 'disk' };
  const host = ctx.host;
  const dir = ctx.overview.dataDirectory;
  if (!dir) {
    return {
      ...base,
      level: 'info',
      observed: `databases hold ${formatBytes(databasesBytes)}; free disk not known`,
      why: 'The data directory is hidden from this role, so its disk cannot be measured.',
      fix: { kind: 'sql', text: `GRANT pg_read_all_settings TO ${readableIdent(ctx.overview.currentUser)};` },
    };
  }
  const d = host && 'source' in host ? host.dataDirectory : undefined;
  if (!d || d.freeBytes === null || d.totalBytes === null) {
    const why = host === undefined ? 'host facts were not read' : 'error' in host ? host.error : (host.unknown.dataDirectory ?? 'not known');
    return {
      ...base,
      level: 'info',
      observed: `databases hold ${formatBytes(databasesBytes)}; free disk not known`,
      why: `The disk of the data directory ${dir} could not be measured: ${why}.`,
    };
  }
  const free = d.freeBytes;
  const total = d.totalBytes;
  const freePct = total > 0 ? (100 * free) / total : 0;
  // The data grows as its dumps do, scaled from dump size to size on disk.
  const perDay = trend && currentDbBytes !== undefined && trend.latestBytes > 0 ? trend.bytesPerDay * (currentDbBytes / trend.latestBytes) : undefined;
  const days = perDay !== undefined ? daysLeft(free, perDay) : undefined;
  const level = diskLevel(freePct, days);
  const growth =
    perDay === undefined
      ? ''
      : days === undefined
        ? `; ${ctx.overview.currentDatabase} is not growing (its last ${trend!.points} backups)`
        : `; about ${formatCount(days)} days left at ${formatBytes(perDay)}/day (${ctx.overview.currentDatabase}'s growth from its last ${trend!.points} backups)`;
  return {
    ...base,
    level,
    observed: `${formatBytes(free)} free of ${formatBytes(total)} (${round(freePct)}%); databases hold ${formatBytes(databasesBytes)}${growth}`,
    value: round(freePct, 1),
    ...(level !== 'ok' ? { threshold: level === 'critical' ? DISK_FREE_CRIT_PCT : DISK_FREE_WARN_PCT } : {}),
    why:
      level === 'ok'
        ? `More than ${DISK_FREE_WARN_PCT}% of the data directory's disk is free${days !== undefined ? `, for more than ${DISK_DAYS_WARN} days at this growth` : ''}.`
        : 'A full disk stops the server (no WAL can be written): make room or grow the volume before it happens.',
    ...(level !== 'ok'
      ? { fix: { kind: 'note' as const, text: 'Remove old backups from this disk, VACUUM FULL the bloated tables, or grow the volume.' } }
      : {}),
  };
}

/** The backup directory's disk: each kept backup grows as the trend says, so the kept set takes `kept` × that a day. */
function backupDiskFinding(ctx: HealthContext, trend: BackupTrend | undefined): Finding | undefined {
  const host = ctx.host;
  const d = host && 'source' in host ? host.backupDirectory : undefined;
  if (!d || d.freeBytes === null || d.totalBytes === null) return undefined;
  const freePct = d.totalBytes > 0 ? (100 * d.freeBytes) / d.totalBytes : 0;
  const perDay = trend ? trend.bytesPerDay * trend.kept : undefined;
  const days = perDay !== undefined ? daysLeft(d.freeBytes, perDay) : undefined;
  const level = diskLevel(freePct, days);
  return {
    check: 'capacity',
    schedule: 'monthly',
    subject: 'backup disk',
    level,
    observed: `${formatBytes(d.freeBytes)} free of ${formatBytes(d.totalBytes)} (${round(freePct)}%) in ${d.path}${
      days !== undefined ? `; about ${formatCount(days)} days left as the ${trend!.kept} kept backups grow by ${formatBytes(perDay)}/day` : ''
    }`,
    value: round(freePct, 1),
    why:
      level === 'ok'
        ? "The backups' disk has room for the backups kept."
        : 'A full backup disk makes the next nightly backup fail: the last good one then ages without a successor.',
    ...(level !== 'ok' ? { fix: { kind: 'note' as const, text: 'Keep fewer backups (--keep), move older ones off this disk, or grow it.' } } : {}),
  };
}

/** ": the host's RAM is not known (why)" — what the host facts said, for an info finding. */
function hostUnknown(ctx: HealthContext, fact: 'ramBytes'): string {
  const h = ctx.host;
  if (!h) return '';
  return ` (the host's RAM is not known: ${'error' in h ? h.error : (h.unknown[fact] ?? 'not read')})`;
}

export async function capacity(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'capacity', 'monthly', 'Capacity', async () => {
    const out: Finding[] = [];
    const dbs = await listDatabases(ctx.pool, { ...ctx.v, sizes: true });
    const bytes = dbs.reduce((s, d) => s + (d.bytes ?? 0), 0);
    const current = dbs.find((d) => d.name === ctx.overview.currentDatabase)?.bytes ?? undefined;
    const backups = ctx.backupDir ? await listLocalBackups(ctx.backupDir, ctx.overview.currentDatabase) : [];
    const trend = backupTrend(backups, ctx.now);
    out.push(dataDiskFinding(ctx, bytes, current, trend));
    const backupDisk = backupDiskFinding(ctx, trend);
    if (backupDisk) out.push(backupDisk);
    const o = ctx.overview;
    const hw = ctx.hardware;
    const base = { check: 'capacity' as const, schedule: 'monthly' as const };
    if (hw.maxConnections !== undefined) {
      const over = o.maxConnections > hw.maxConnections;
      out.push({
        ...base,
        level: over ? 'warning' : 'ok',
        subject: 'max_connections',
        observed: `max_connections = ${o.maxConnections}, sized for ${hw.maxConnections} (pgdba.hardware.maxConnections); ${o.connections} in use now`,
        value: o.maxConnections,
        threshold: hw.maxConnections,
        why: over
          ? 'The server accepts more connections than its memory was sized for; each may use work_mem several times.'
          : 'max_connections is within what the server was sized for.',
        ...(over ? { fix: { kind: 'setting' as const, text: `max_connections = ${hw.maxConnections}  # and PgBouncer in front for more clients` } } : {}),
      });
    } else {
      out.push({
        ...base,
        level: 'info',
        subject: 'max_connections',
        observed: `${o.connections} of ${o.maxConnections} in use now`,
        why: 'Connections now against the limit; set pgdba.hardware.maxConnections to hold it against what the server was sized for.',
      });
    }
    const [sb, wm] = await Promise.all([listSettings(ctx.pool, { ...ctx.v, name: 'shared_buffers' }), listSettings(ctx.pool, { ...ctx.v, name: 'work_mem' })]);
    const sbMb = settingMb(sb[0]);
    const wmMb = settingMb(wm[0]);
    if (hw.ramGB !== undefined && sbMb !== undefined && wmMb !== undefined) {
      const ramMb = hw.ramGB * 1024;
      const worst = sbMb + o.maxConnections * wmMb;
      const sbShare = sbMb / ramMb;
      const level: HealthLevel = sbShare > SHARED_BUFFERS_MAX_SHARE || worst > ramMb ? 'warning' : sbShare < 0.15 ? 'info' : 'ok';
      out.push({
        ...base,
        level,
        subject: 'memory',
        observed: `shared_buffers ${confSize(sbMb)} (${round(100 * sbShare)}% of ${hw.ramGB} GB, ${hw.ramFrom ?? 'pgdba.hardware.ramGB'}), work_mem ${confSize(wmMb)} × ${o.maxConnections} connections = ${confSize(worst)} at worst`,
        why:
          level === 'ok'
            ? "shared_buffers is near the seed's 25% of RAM and a sort in every connection would still fit."
            : worst > ramMb
              ? 'One work_mem-sized sort in every allowed connection would need more than the RAM: the kernel would start killing processes.'
              : sbShare > SHARED_BUFFERS_MAX_SHARE
                ? 'shared_buffers takes so much RAM that the OS page cache, which PostgreSQL also relies on, is starved.'
                : "shared_buffers is well below the seed's 25% of RAM: the cache hit ratio will suffer as data grows.",
        ...(level === 'ok'
          ? {}
          : {
              fix: {
                kind: 'setting' as const,
                text: `shared_buffers = ${confSize(ramMb / 4)}\nwork_mem = ${confSize(Math.max(4, Math.min(wmMb, (ramMb * 0.25) / o.maxConnections)))}`,
              },
            }),
      });
    } else {
      out.push({
        ...base,
        level: 'info',
        subject: 'memory',
        observed: `shared_buffers ${sbMb !== undefined ? confSize(sbMb) : '?'}, work_mem ${wmMb !== undefined ? confSize(wmMb) : '?'}`,
        why: `Set pgdba.hardware.ramGB to hold memory settings against the server's RAM${hostUnknown(ctx, 'ramBytes')}.`,
      });
    }
    return out;
  });
}
