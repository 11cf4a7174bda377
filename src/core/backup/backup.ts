// One backup: pg_dump in custom format, compressed once, streamed to a temp file in the target
// directory while it is hashed and counted; fsynced and given its name only when every process
// exited 0 — the first free one of its second, so no backup ever replaces another.
// On failure or cancel every process is killed and the temp file deleted: nothing is left.
import { createHash } from 'node:crypto';
import { link, open, rename, stat, unlink } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { planCompression, type CompressionChoice } from './compression';
import { describeWriteError, toolFailure } from './errors';
import { accessFor, createBackupFile, prepareBackupDir } from './fileAccess';
import { writeManifest, type BackupManifest, type TableEstimate } from './manifest';
import { backupFileName, checkBackupDatabaseName, tempPathFor } from './naming';
import { CancelledError, killAll, startChild, whenAborted, type Child } from '../pgtools/proc';
import { sweepStaleTemps } from './tempFiles';
import { childEnv, databaseArgs, withClient, type PgConnection } from '../db/connection';
import { findCompressor, pgDumpFor, type ToolOptions } from '../pgtools/tools';

export interface BackupProgress {
  phase: 'dumping' | 'syncing' | 'done';
  /** Lines of pg_dump --verbose seen: objects read, dumped and saved. */
  objects: number;
  tablesDumped: number;
  tablesTotal: number;
  bytesWritten: number;
  current?: string;
}

export interface BackupOptions {
  target: PgConnection;
  dir: string;
  tools?: ToolOptions;
  compression?: CompressionChoice;
  cpus?: number;
  /** A group that may read the backup (0640); without one it is the owner's alone (0600). */
  group?: string;
  signal?: AbortSignal;
  onProgress?: (p: BackupProgress) => void;
  /** The time in the file name (tests). */
  now?: Date;
}

export interface BackupResult {
  path: string;
  manifest: BackupManifest;
  /** Said to the person, not failures: the directory is open to others. */
  warnings: string[];
}

interface ServerFacts {
  version: string;
  major: number;
  tables: TableEstimate[];
}

async function readServerFacts(target: PgConnection): Promise<ServerFacts> {
  return withClient(target, async (c) => {
    const v = await c.query<{ num: string; text: string }>("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text");
    const num = Number(v.rows[0]?.num);
    const t = await c.query<{ schema: string; name: string; est: number }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.reltuples::float8 AS est
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
        ORDER BY 1, 2`,
    );
    return {
      version: (v.rows[0]?.text ?? '').split(' ')[0] ?? '',
      major: Math.floor(num / 10000),
      tables: t.rows.map((r) => ({ schema: r.schema, name: r.name, rowEstimate: Math.round(Number(r.est)) })),
    };
  });
}

export async function runBackup(opts: BackupOptions): Promise<BackupResult> {
  const { target, signal } = opts;
  const stillWanted = () => {
    if (signal?.aborted) throw new CancelledError('backup');
  };
  stillWanted();
  checkBackupDatabaseName(target.database); // before anything runs
  const started = Date.now();
  const access = await accessFor(opts.group);
  const facts = await readServerFacts(target);
  stillWanted();
  const pgDump = await pgDumpFor(facts.major, opts.tools);
  const cpus = opts.cpus ?? availableParallelism();
  const plan = planCompression(pgDump.major, await findCompressor('zstd', opts.tools), cpus, opts.compression);

  const dir = resolve(opts.dir);
  const warnings = await prepareBackupDir(dir, access);
  await sweepStaleTemps(dir);
  stillWanted();
  const at = opts.now ?? new Date();
  const nameFor = (sequence: number) => backupFileName(target.database, at, plan.outer, sequence);
  let file = nameFor(1);
  let finalPath = join(dir, file); // in messages until the file has its name
  const tmp = tempPathFor(dir, file, 'part');
  const out = (await createBackupFile(tmp, access)).createWriteStream();

  const progress: BackupProgress = { phase: 'dumping', objects: 0, tablesDumped: 0, tablesTotal: facts.tables.length, bytesWritten: 0 };
  let lastEmit = 0;
  const emit = (force = false) => {
    const now = Date.now();
    if (!force && now - lastEmit < 200) return; // plain data, but not a flood
    lastEmit = now;
    opts.onProgress?.({ ...progress });
  };

  const children: Child[] = [];
  const dump = startChild('pg_dump', pgDump.path, ['-Fc', ...plan.pgDumpArgs, '--verbose', '--no-password', ...databaseArgs(target, 'pg_dump')], {
    env: childEnv(target),
    stdio: ['ignore', 'pipe', 'pipe'],
    onStderrLine: (line) => {
      const m = /^pg_dump: (?:dumping contents of table|processing data for table) "?([^"]+)"?/.exec(line);
      progress.objects++;
      if (m) {
        progress.tablesDumped++;
        progress.current = m[1];
      }
      emit();
    },
  });
  children.push(dump);
  let source = dump.proc.stdout!;
  if (plan.pipe) {
    // pg_dump's stdout goes straight into the compressor: the uncompressed bytes never pass
    // through this process.
    const z = startChild('zstd', plan.pipe.cmd, plan.pipe.args, { stdio: [dump.proc.stdout!, 'pipe', 'pipe'] });
    children.push(z);
    // The child holds its own copy of the pipe; ours must close, or pg_dump's 'close' never comes.
    dump.proc.stdout!.destroy();
    source = z.proc.stdout!;
  }

  const sha = createHash('sha256');
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      sha.update(chunk);
      progress.bytesWritten += chunk.length;
      emit();
      cb(null, chunk);
    },
  });
  const stopWatching = whenAborted(signal, () => {
    killAll(children);
    counter.destroy(new CancelledError('backup'));
  });
  let writeError: unknown;
  try {
    const flowing = pipeline(source, counter, out).catch((e: unknown) => {
      writeError = e;
      killAll(children); // a full disk must not leave pg_dump waiting on a pipe
    });
    const codes = await Promise.all(children.map((c) => c.done));
    await flowing;
    if (signal?.aborted) throw new CancelledError('backup');
    // A write error first: the processes it killed would only report a broken pipe.
    if (writeError) throw new Error(describeWriteError(writeError, finalPath));
    for (const [i, c] of children.entries()) {
      if (codes[i] !== 0) throw new Error(toolFailure(c.name, codes[i]!, c.stderrTail()));
    }
    progress.phase = 'syncing';
    emit(true);
    const fh = await open(tmp, 'r+');
    await fh.sync().finally(() => fh.close());
    file = await claimName(tmp, dir, nameFor);
    finalPath = join(dir, file);
    await syncDir(dir);
  } catch (e) {
    killAll(children);
    await unlink(tmp).catch(() => undefined);
    if ((e as { code?: string }).code) throw new Error(describeWriteError(e, finalPath)); // fsync, rename
    throw e;
  } finally {
    stopWatching();
  }

  const manifest: BackupManifest = {
    pgdbaManifest: 1,
    file,
    database: target.database,
    dump: {
      server: { host: target.host, port: target.port, user: target.user, version: facts.version, major: facts.major },
      pgDumpVersion: pgDump.text,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      sizeBytes: progress.bytesWritten,
      sha256: sha.digest('hex'),
      format: 'custom',
      compression: { method: plan.method, level: plan.level, why: plan.why },
      tables: facts.tables,
    },
  };
  await writeManifest(finalPath, manifest, access);
  progress.phase = 'done';
  emit(true);
  return { path: finalPath, manifest, warnings };
}

/**
 * Gives tmp the first free name of its second (…33.dump, …33-2.dump, …). link() fails when the
 * name is taken — atomically, where a check before rename() would race another backup of the
 * same second and overwrite it. A file system without hard links gets the check and rename.
 */
async function claimName(tmp: string, dir: string, nameFor: (sequence: number) => string): Promise<string> {
  const MAX = 100;
  for (let n = 1; n <= MAX; n++) {
    const path = join(dir, nameFor(n));
    try {
      await link(tmp, path);
      await unlink(tmp);
      return nameFor(n);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
      if (
        await stat(path).then(
          () => true,
          () => false,
        )
      )
        continue;
      await rename(tmp, path);
      return nameFor(n);
    }
  }
  throw new Error(`${MAX} backups named ${nameFor(1)} (and -2…) exist already in ${dir}: not overwriting a backup`);
}

/** A rename is durable only once the directory entry is on disk. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    /* some file systems refuse fsync on a directory; the rename still happened */
  } finally {
    await fh.close();
  }
}
