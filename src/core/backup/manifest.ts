// The JSON manifest written beside each backup: what was dumped, how, and whether it was verified.
// Plain data: the CLI prints it, the tree shows it, retention reads it. Never holds a password.
import { readFile, rename, writeFile, open, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { manifestPathFor } from './naming';

export type CompressionMethod = 'pg_dump-zstd' | 'zstd-pipe' | 'pg_dump-gzip' | 'gzip-pipe' | 'none';

export interface TableEstimate {
  schema: string;
  name: string;
  /** pg_class.reltuples at backup time; -1 when the table was never analyzed. */
  rowEstimate: number;
}

export interface TableCount {
  schema: string;
  name: string;
  rows: number;
  /** What it was compared with, when it was. */
  expected?: number;
}

export interface Verification {
  kind: 'quick' | 'full';
  ok: boolean;
  at: string;
  durationMs: number;
  /** Why it failed, in words a person can act on. */
  reason?: string;
  /** full: what the counts were compared with. */
  reference?: 'live' | 'manifest';
  tables?: TableCount[];
  tocEntries?: number;
}

/** Facts of the pg_dump run; absent for a file pgdba did not make (the seed's .dump.gz). */
export interface DumpFacts {
  server: { host: string; port: number; user: string; version: string; major: number };
  pgDumpVersion: string;
  startedAt: string;
  durationMs: number;
  sizeBytes: number;
  sha256: string;
  format: 'custom';
  compression: { method: CompressionMethod; level: number; why: string };
  tables: TableEstimate[];
}

export interface BackupManifest {
  pgdbaManifest: 1;
  file: string;
  database: string;
  dump?: DumpFacts;
  verification?: Verification;
  drive?: { fileId: string; folderId: string; md5Checksum: string; uploadedAt: string };
}

export async function readManifest(backupPath: string): Promise<BackupManifest | undefined> {
  try {
    const m = JSON.parse(await readFile(manifestPathFor(backupPath), 'utf8')) as Partial<BackupManifest>;
    return m.pgdbaManifest === 1 ? (m as BackupManifest) : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temp name and renamed, so a reader never sees half a manifest. */
export async function writeManifest(backupPath: string, m: BackupManifest): Promise<void> {
  const path = manifestPathFor(backupPath);
  const tmp = `${dirname(path)}/.${Date.now().toString(36)}-${process.pid}.manifest.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(m, null, 2) + '\n');
    const fh = await open(tmp, 'r');
    await fh.sync().finally(() => fh.close());
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined); // a full disk must not leave half a manifest beside the backup
    throw e;
  }
}

/** Adds a verification (or Drive) result; a seed file gets a manifest holding just that. */
export async function updateManifest(
  backupPath: string,
  origin: { file: string; database: string },
  patch: Partial<Pick<BackupManifest, 'verification' | 'drive'>>,
): Promise<BackupManifest> {
  const m = (await readManifest(backupPath)) ?? { pgdbaManifest: 1, file: origin.file, database: origin.database };
  const next = { ...m, ...patch };
  await writeManifest(backupPath, next);
  return next;
}
