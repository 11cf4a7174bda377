// How fast a database grows, read from its backups: the dump sizes in the manifests (the file's
// size for a backup without one) against when each was taken, fitted by least squares over the
// recent ones. The capacity check turns it into days left on the data and backup disks.
import type { LocalBackup } from '../backup/listing';

/** Backups older than this are not part of the trend: the growth that matters is today's. */
const TREND_DAYS = 60;
/** Fewer points, or a shorter span, say nothing about a trend. */
const MIN_POINTS = 3;
const MIN_SPAN_DAYS = 2;

export interface BackupTrend {
  /** Growth of one backup, bytes per day (negative: shrinking). */
  bytesPerDay: number;
  /** The newest backup's size. */
  latestBytes: number;
  /** Backups of the database kept now: each grows by bytesPerDay as they rotate. */
  kept: number;
  points: number;
  spanDays: number;
}

export function backupTrend(backups: readonly LocalBackup[], now: Date): BackupTrend | undefined {
  const since = now.getTime() - TREND_DAYS * 86_400_000;
  const pts: { day: number; bytes: number }[] = [];
  for (const b of backups) {
    const at = Date.parse(b.manifest?.dump?.startedAt ?? b.takenAt);
    const bytes = b.manifest?.dump?.sizeBytes ?? b.sizeBytes;
    if (Number.isFinite(at) && at >= since && bytes > 0) pts.push({ day: at / 86_400_000, bytes });
  }
  if (pts.length < MIN_POINTS) return undefined;
  const days = pts.map((p) => p.day);
  const spanDays = Math.max(...days) - Math.min(...days);
  if (spanDays < MIN_SPAN_DAYS) return undefined;
  const n = pts.length;
  const mx = days.reduce((s, d) => s + d, 0) / n;
  const my = pts.reduce((s, p) => s + p.bytes, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of pts) {
    sxy += (p.day - mx) * (p.bytes - my);
    sxx += (p.day - mx) ** 2;
  }
  const newest = pts.reduce((a, b) => (b.day > a.day ? b : a));
  return { bytesPerDay: sxy / sxx, latestBytes: newest.bytes, kept: backups.length, points: n, spanDays };
}

/** Days until `freeBytes` is used up at `bytesPerDay`; undefined when nothing grows. */
export function daysLeft(freeBytes: number, bytesPerDay: number): number | undefined {
  return bytesPerDay > 0 ? Math.floor(freeBytes / bytesPerDay) : undefined;
}
