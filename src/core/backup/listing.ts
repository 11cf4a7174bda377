// The backups in a directory: pgdba's own and the seed's `.dump.gz`, newest first, each with what
// its manifest says (or nothing, for a seed file never verified; a corrupt manifest said so) — plain data for tree and CLI.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inspectManifest, type BackupManifest } from './manifest';
import { parseBackupName, type ArchiveCompression } from './naming';
import { verificationRunning } from './verify';

export type VerificationState = 'verified' | 'failed' | 'unverified' | 'running';

export interface LocalBackup {
  path: string;
  file: string;
  database: string;
  /** From the name (local time, as the seed's script wrote it). */
  takenAt: string;
  sizeBytes: number;
  outer: ArchiveCompression;
  /** pgdba made it (a manifest with dump facts), or not (the seed's script). */
  origin: 'pgdba' | 'other';
  verification: VerificationState;
  verificationReason?: string;
  /** ok: a pgdba manifest; missing: none beside it; corrupt: a file there that is not one. */
  manifestState: 'ok' | 'missing' | 'corrupt';
  /** Why the manifest is corrupt, in words. */
  manifestProblem?: string;
  manifest?: BackupManifest;
}

export async function listLocalBackups(dir: string, database?: string): Promise<LocalBackup[]> {
  const abs = resolve(dir);
  let names: string[];
  try {
    names = await readdir(abs);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw e;
  }
  const out: LocalBackup[] = [];
  for (const file of names) {
    const n = parseBackupName(file);
    if (!n || (database && n.database !== database)) continue;
    const path = join(abs, file);
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) continue;
    const read = await inspectManifest(path);
    const manifest = read.state === 'ok' ? read.manifest : undefined;
    const v = manifest?.verification;
    const running = await verificationRunning(path);
    out.push({
      path,
      file,
      database: n.database,
      takenAt: n.takenAt.toISOString(),
      sizeBytes: st.size,
      outer: n.outer,
      origin: manifest?.dump ? 'pgdba' : 'other',
      verification: running ? 'running' : v ? (v.ok ? 'verified' : 'failed') : 'unverified',
      ...(v?.reason ? { verificationReason: v.reason } : {}),
      manifestState: read.state,
      ...(read.state === 'corrupt' ? { manifestProblem: read.reason } : {}),
      ...(manifest ? { manifest } : {}),
    });
  }
  return out.sort(newestFirst);
}

/** By the time in the name, then the n-th of that second (…-2 after …), then the name. */
export function newestFirst(a: LocalBackup, b: LocalBackup): number {
  const seq = (x: LocalBackup) => parseBackupName(x.file)?.sequence ?? 1;
  return b.takenAt.localeCompare(a.takenAt) || seq(b) - seq(a) || b.file.localeCompare(a.file);
}

/** Hours since the newest backup: the tree warns past 26 (a nightly run was missed). */
export function newestAgeHours(backups: readonly LocalBackup[], now = new Date()): number | undefined {
  const newest = backups[0];
  return newest ? (now.getTime() - new Date(newest.takenAt).getTime()) / 3_600_000 : undefined;
}
