// The JSON manifest written beside each backup: what was dumped, how, and whether it was verified.
// Plain data: the CLI prints it, the tree shows it, retention reads it. Never holds a password.
import { readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { accessLike, createBackupFile, type FileAccess } from './fileAccess';
import { manifestPathFor, tempPathFor } from './naming';

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

/** What is beside a backup: no manifest, a pgdba manifest, or a file that is not one (truncated,
 *  not JSON, another program's) — which is not the same as none, and never overwritten. */
export type ManifestRead = { state: 'missing' } | { state: 'ok'; manifest: BackupManifest } | { state: 'corrupt'; reason: string };

/** A manifest that is there but unreadable: a verification cannot check the SHA-256 against it,
 *  and no writer replaces it (it may be the only record of the dump). */
export class CorruptManifestError extends Error {}

export async function inspectManifest(backupPath: string): Promise<ManifestRead> {
  const path = manifestPathFor(backupPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return { state: 'missing' };
    return { state: 'corrupt', reason: `${path} cannot be read: ${(e as Error).message}` };
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    return { state: 'corrupt', reason: `${path} is not valid JSON (${(e as Error).message}): truncated or damaged` };
  }
  const o = m as Partial<BackupManifest> | null;
  if (typeof o !== 'object' || o === null || o.pgdbaManifest !== 1 || typeof o.file !== 'string' || typeof o.database !== 'string') {
    return { state: 'corrupt', reason: `${path} is not a pgdba manifest (no pgdbaManifest: 1, file and database)` };
  }
  return { state: 'ok', manifest: o as BackupManifest };
}

/** The manifest, or undefined when there is none; a corrupt one throws CorruptManifestError. */
export async function readManifest(backupPath: string): Promise<BackupManifest | undefined> {
  const r = await inspectManifest(backupPath);
  if (r.state === 'corrupt') throw new CorruptManifestError(`the manifest is corrupt: ${r.reason}`);
  return r.state === 'ok' ? r.manifest : undefined;
}

/** Written to a temp name (one the temp sweep knows) and renamed, so a reader never sees half a
 *  manifest; with the backup's own access unless told. */
export async function writeManifest(backupPath: string, m: BackupManifest, access?: FileAccess): Promise<void> {
  const path = manifestPathFor(backupPath);
  const tmp = tempPathFor(dirname(path), basename(path), 'manifest');
  const fh = await createBackupFile(tmp, access ?? (await accessLike(backupPath)));
  try {
    try {
      await fh.writeFile(JSON.stringify(m, null, 2) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined); // a full disk must not leave half a manifest beside the backup
    throw e;
  }
}

/** Adds a verification (or Drive) result; a seed file gets a manifest holding just that; a
 *  corrupt one throws (CorruptManifestError) rather than be replaced by one that forgets the dump. */
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
