// Does a backup restore? Quick: the archive is read end to end without a server — pg_restore
// --list reads only the table of contents, so pg_restore also writes the whole script to
// /dev/null, which decompresses every data block; a manifest's SHA-256 is checked first.
// Full: restored into a scratch database, row counts compared, the scratch database dropped.
// Only a verdict on the backup goes into its manifest (damaged, does not restore, counts differ);
// a connection, a tool, the disk or a cancel is thrown and leaves the record as it was.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { prepareArchive } from './archive';
import { CorruptManifestError, inspectManifest, readManifest, updateManifest, type TableCount, type Verification } from './manifest';
import { DamagedArchiveError, PgRestoreFailedError } from './errors';
import { createBackupFile } from './fileAccess';
import { lockPathFor, parseBackupName, scratchDatabaseName } from './naming';
import { CancelledError, runCapture } from '../pgtools/proc';
import { countRows, databaseExists, dropDatabase, restoreInto } from './restoreCore';
import { pidAlive } from './tempFiles';
import { withDatabase, type PgConnection } from '../db/connection';
import { pgRestoreFor, type ToolOptions } from '../pgtools/tools';
import { archiveDumpMajor } from './archiveOffsets';

export interface VerifyOptions {
  file: string;
  full?: boolean;
  /** full: the server to restore on; its database is the live one compared with. */
  target?: PgConnection;
  tools?: ToolOptions;
  jobs?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  now?: Date;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Is a verification of this backup running (lock file of a live process)? */
export async function verificationRunning(backupPath: string): Promise<boolean> {
  try {
    const pid = Number((await readFile(lockPathFor(backupPath), 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 && pidAlive(pid);
  } catch {
    return false;
  }
}

async function quickCheck(file: string, archive: string, opts: VerifyOptions): Promise<{ reason?: string; tocEntries?: number }> {
  const manifest = await readManifest(file);
  if (manifest?.dump) {
    opts.onProgress?.('checking SHA-256');
    const sum = await sha256File(file);
    if (sum !== manifest.dump.sha256) return { reason: `SHA-256 differs from the manifest: the file changed or is damaged since ${manifest.dump.startedAt}` };
  }
  const pgRestore = await pgRestoreFor({ archiveMajor: await archiveDumpMajor(archive) }, opts.tools);
  opts.onProgress?.('reading the table of contents');
  // spawn's own signal option kills pg_restore on Cancel; the caller turns that into CancelledError.
  const list = await runCapture(pgRestore.path, ['--list', '--', archive], { signal: opts.signal });
  if (list.code !== 0) return { reason: `pg_restore cannot read the archive: ${list.stderr.split('\n').pop() ?? ''}` };
  const tocEntries = list.stdout.split('\n').filter((l) => /^\d+;/.test(l)).length;
  opts.onProgress?.('reading every data block');
  const all = await runCapture(pgRestore.path, ['-f', '/dev/null', '--', archive], { signal: opts.signal });
  if (all.code !== 0) return { reason: `the archive is damaged: ${all.stderr.split('\n').pop() ?? ''}`, tocEntries };
  return { tocEntries };
}

async function fullCheck(
  archive: string,
  database: string,
  opts: VerifyOptions,
): Promise<{ reason?: string; tables: TableCount[]; reference: 'live' | 'manifest' }> {
  const target = opts.target;
  if (!target) throw new Error('a full verification needs a server to restore on (--url or PG* variables)');
  const scratch = scratchDatabaseName(database, opts.now ?? new Date());
  const admin = withDatabase(target, 'postgres');
  try {
    opts.onProgress?.(`restoring into ${scratch}`);
    try {
      await restoreInto(archive, withDatabase(target, scratch), { create: true, jobs: opts.jobs, tools: opts.tools, signal: opts.signal });
    } catch (e) {
      if (opts.signal?.aborted || !restoreFailedOnArchive(e)) throw e;
      return { reason: `the archive does not restore: ${(e as Error).message}`, tables: [], reference: 'manifest' };
    }
    const got = await countRows(withDatabase(target, scratch));
    let reference: 'live' | 'manifest' = 'manifest';
    let expected = new Map<string, number>();
    if (await databaseExists(admin, database)) {
      reference = 'live';
      expected = new Map((await countRows(withDatabase(target, database))).map((t) => [`${t.schema}.${t.name}`, t.rows]));
    } else {
      const m = await readManifest(opts.file);
      for (const t of m?.dump?.tables ?? []) if (t.rowEstimate >= 0) expected.set(`${t.schema}.${t.name}`, t.rowEstimate);
    }
    const tables: TableCount[] = got.map((t) => ({ ...t, expected: expected.get(`${t.schema}.${t.name}`) }));
    const bad = tables.filter((t) => t.expected !== undefined && !countsAgree(t.rows, t.expected, reference));
    const missing = [...expected.keys()].filter((k) => !got.some((t) => `${t.schema}.${t.name}` === k));
    const reason = missing.length
      ? `tables missing after restore: ${missing.slice(0, 5).join(', ')}`
      : bad.length
        ? `row counts differ from the ${reference === 'live' ? 'live database (it may have changed since the backup)' : 'manifest'}: ${bad
            .slice(0, 5)
            .map((t) => `${t.schema}.${t.name} ${t.rows} vs ${t.expected}`)
            .join(', ')}`
        : undefined;
    return { reason, tables, reference };
  } finally {
    await dropDatabase(admin, scratch).catch(() => undefined);
  }
}

/** pg_restore ran and exited non-zero for what is in the archive, not because the server could
 *  not be reached or went away, nor killed from outside. */
function restoreFailedOnArchive(e: unknown): boolean {
  return e instanceof PgRestoreFailedError && !e.aboutTheServer;
}

/** Live counts are exact; manifest counts are pg_class estimates, good to ~10%. */
function countsAgree(rows: number, expected: number, reference: 'live' | 'manifest'): boolean {
  if (reference === 'live') return rows === expected;
  return Math.abs(rows - expected) <= Math.max(10, expected * 0.1);
}

async function takeLock(lock: string): Promise<void> {
  const fh = await createBackupFile(lock);
  await fh.writeFile(String(process.pid)).finally(() => fh.close());
}

export async function verifyBackup(opts: VerifyOptions): Promise<Verification> {
  const file = opts.file;
  const name = parseBackupName(file);
  const database = name?.database ?? basename(file).replace(/\.dump(\.gz|\.zst)?$/, '');
  // No SHA-256 to check against and nothing a verdict may replace: say so before any work.
  const read = await inspectManifest(file);
  if (read.state === 'corrupt')
    throw new CorruptManifestError(
      `the manifest is unreadable, so the SHA-256 cannot be checked: ${read.reason}; restore it from a copy, or move it aside to verify without it`,
    );
  const lock = lockPathFor(file);
  await takeLock(lock).catch(async (e: { code?: string }) => {
    if (e.code === 'EEXIST' && !(await verificationRunning(file))) return unlink(lock).then(() => takeLock(lock));
    throw new Error(e.code === 'EEXIST' ? `${basename(file)} is being verified already` : `cannot write ${lock}: ${String(e.code)}`);
  });
  const started = Date.now();
  let archive: Awaited<ReturnType<typeof prepareArchive>> | undefined;
  try {
    let v: Verification;
    try {
      archive = await prepareArchive(file, { signal: opts.signal });
      const q = await quickCheck(file, archive.path, opts);
      // A cancelled check is no verdict: nothing goes into the manifest.
      if (opts.signal?.aborted) throw new CancelledError('verification');
      v = { kind: opts.full ? 'full' : 'quick', ok: !q.reason, at: new Date().toISOString(), durationMs: 0, tocEntries: q.tocEntries, reason: q.reason };
      if (opts.full && !q.reason) {
        const f = await fullCheck(archive.path, database, opts);
        if (opts.signal?.aborted) throw new CancelledError('verification');
        v = { ...v, ok: !f.reason, reason: f.reason, tables: f.tables, reference: f.reference };
      }
    } catch (e) {
      // Only a damaged file is a verdict; a cancel, a tool, a server or the disk is not.
      if (opts.signal?.aborted || !(e instanceof DamagedArchiveError)) throw e;
      v = { kind: opts.full ? 'full' : 'quick', ok: false, at: new Date().toISOString(), durationMs: 0, reason: e.message };
    }
    v.durationMs = Date.now() - started;
    await updateManifest(file, { file: basename(file), database }, { verification: v });
    return v;
  } finally {
    await archive?.cleanup();
    await unlink(lock).catch(() => undefined);
  }
}
