// File names of backups: the seed's `<db>-YYYY-MM-DD_HH-MM-SS.dump[.gz]`, and pgdba's `.dump`
// (pg_dump's own compression) and `.dump.zst` (pg_dump -Z0 piped through zstd); a second backup
// of the same database in the same second gets `-2`, `-3`… after the time. Retention only ever
// touches names this module recognises. And the names of the databases pgdba derives from one.
import { basename } from 'node:path';

export type ArchiveCompression = 'none' | 'gzip' | 'zstd';

export interface BackupName {
  database: string;
  /** Local wall-clock time of the name, as the seed's `date` printed it. */
  takenAt: Date;
  /** Outer compression of the file (a `.dump` may still be compressed inside by pg_dump). */
  outer: ArchiveCompression;
  file: string;
  /** 1, or n of a `-n` after the time: the n-th backup of that second. */
  sequence: number;
}

const NAME_RE = /^(.+)-(\d{4})-(\d{2})-(\d{2})_(\d{2})-(\d{2})-(\d{2})(?:-(\d{1,3}))?\.dump(\.gz|\.zst)?$/;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export function timestampPart(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}_${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
}

/**
 * Throws, in words, for a database name no backup file may carry: a "/" or NUL cannot be in a
 * file name; a control character is refused too (a newline hid the file from the listing and
 * retention, and any of them garbles a terminal or a script that prints the name).
 */
export function checkBackupDatabaseName(database: string): void {
  // JSON escapes the C0 controls it reports (a newline shows as \n); DEL too, by hand.
  const shown = JSON.stringify(database).replace(/\u007f/g, '\\u007f');
  if (database.includes('/') || database.includes('\0')) throw new Error(`database name ${shown} cannot be part of a file name`);
  if (/[\u0000-\u001f\u007f]/.test(database))
    throw new Error(
      `database name ${shown} has a control character: pgdba does not back it up under a file name that listings and retention could not see; rename the database (ALTER DATABASE … RENAME TO a name without control characters) and back it up again`,
    );
}

/** sequence > 1: the n-th backup of that database in that second. */
export function backupFileName(database: string, at: Date, outer: ArchiveCompression, sequence = 1): string {
  checkBackupDatabaseName(database);
  return `${database}-${timestampPart(at)}${sequence > 1 ? `-${sequence}` : ''}.dump${outer === 'gzip' ? '.gz' : outer === 'zstd' ? '.zst' : ''}`;
}

export function parseBackupName(pathOrName: string): BackupName | undefined {
  const file = basename(pathOrName);
  const m = NAME_RE.exec(file);
  if (!m) return undefined;
  const [, database, y, mo, d, h, mi, s, seq, ext] = m;
  const takenAt = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(takenAt.getTime())) return undefined;
  return { database: database!, takenAt, outer: ext === '.gz' ? 'gzip' : ext === '.zst' ? 'zstd' : 'none', file, sequence: seq ? Number(seq) : 1 };
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

/**
 * `<db><suffix>` within PostgreSQL's 63 bytes, the name cut at a character: PostgreSQL would
 * cut a longer one itself, and then pgdba would connect to a name that does not exist.
 */
export function derivedDatabaseName(database: string, suffix: string): string {
  const room = 63 - Buffer.byteLength(suffix);
  let bytes = 0;
  let head = '';
  for (const ch of database) {
    bytes += Buffer.byteLength(ch);
    if (bytes > room) break;
    head += ch;
  }
  return head + suffix;
}

/** `20250102_030405` */
export function compactStamp(at: Date): string {
  return timestampPart(at).replace(/-/g, '');
}

/** Scratch database for a full verification: `<db>_verify_<timestamp>` (≤ 63 bytes). */
export function scratchDatabaseName(database: string, at: Date): string {
  return derivedDatabaseName(database, `_verify_${compactStamp(at)}`);
}
