// File names of backups: the seed's `<db>-YYYY-MM-DD_HH-MM-SS.dump[.gz]`, and pgdba's `.dump`
// (pg_dump's own compression) and `.dump.zst` (pg_dump -Z0 piped through zstd). Retention only
// ever touches names this module recognises.
import { basename } from 'node:path';

export type ArchiveCompression = 'none' | 'gzip' | 'zstd';

export interface BackupName {
  database: string;
  /** Local wall-clock time of the name, as the seed's `date` printed it. */
  takenAt: Date;
  /** Outer compression of the file (a `.dump` may still be compressed inside by pg_dump). */
  outer: ArchiveCompression;
  file: string;
}

const NAME_RE = /^(.+)-(\d{4})-(\d{2})-(\d{2})_(\d{2})-(\d{2})-(\d{2})\.dump(\.gz|\.zst)?$/;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export function timestampPart(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}_${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
}

export function backupFileName(database: string, at: Date, outer: ArchiveCompression): string {
  if (database.includes('/') || database.includes('\0')) throw new Error(`database name "${database}" cannot be part of a file name`);
  return `${database}-${timestampPart(at)}.dump${outer === 'gzip' ? '.gz' : outer === 'zstd' ? '.zst' : ''}`;
}

export function parseBackupName(pathOrName: string): BackupName | undefined {
  const file = basename(pathOrName);
  const m = NAME_RE.exec(file);
  if (!m) return undefined;
  const [, database, y, mo, d, h, mi, s, ext] = m;
  const takenAt = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(takenAt.getTime())) return undefined;
  return { database: database!, takenAt, outer: ext === '.gz' ? 'gzip' : ext === '.zst' ? 'zstd' : 'none', file };
}

/** The manifest beside a backup. */
export function manifestPathFor(backupPath: string): string {
  return `${backupPath}.manifest.json`;
}

/** Present while a verification runs; holds the verifying process's PID. */
export function lockPathFor(backupPath: string): string {
  return `${backupPath}.verifying.lock`;
}

/** A temp name in the same directory (same file system: the final rename is atomic), hidden. */
export function tempPathFor(dir: string, file: string, tag: string): string {
  return `${dir}/.${file}.${tag}-${process.pid}-${Date.now().toString(36)}.tmp`;
}

/** Scratch database for a full verification: `<db>_verify_<timestamp>` (≤ 63 bytes). */
export function scratchDatabaseName(database: string, at: Date): string {
  const stamp = timestampPart(at).replace(/-/g, '').replace('_', '_');
  return `${database.slice(0, 63 - 8 - stamp.length)}_verify_${stamp}`;
}
