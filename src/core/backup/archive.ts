// A backup file as pg_restore needs it. pg_restore -j must seek, so a .gz / .zst is first
// decompressed to a hidden temp file beside it (same disk the backups already live on), and given
// the data offsets a pipe could not record (archiveOffsets.ts); a plain .dump is used as it is. The temp is removed by cleanup(), and by the next job if we were killed.
import { unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { decompressCommand } from './compression';
import { DamagedArchiveError, describeWriteError, toolFailure } from './errors';
import { accessLike, createBackupFile } from './fileAccess';
import { parseBackupName, tempPathFor, type ArchiveCompression } from './naming';
import { CancelledError, killAll, startChild, whenAborted } from '../pgtools/proc';
import { findCompressor } from '../pgtools/tools';
import { addDataOffsets } from './archiveOffsets';

export interface PreparedArchive {
  path: string;
  /** True when path is a temp file made here. */
  temporary: boolean;
  cleanup(): Promise<void>;
}

function outerCompressionOf(file: string): ArchiveCompression {
  const n = parseBackupName(file);
  if (n) return n.outer;
  return file.endsWith('.gz') ? 'gzip' : file.endsWith('.zst') ? 'zstd' : 'none';
}

export async function decompressors(): Promise<{ zstd?: string; gzip?: string }> {
  return { zstd: await findCompressor('zstd'), gzip: await findCompressor('gzip') };
}

export async function prepareArchive(file: string, opts: { tmpDir?: string; signal?: AbortSignal } = {}): Promise<PreparedArchive> {
  const cmd = decompressCommand(outerCompressionOf(file), await decompressors(), file);
  if (!cmd) return { path: file, temporary: false, cleanup: () => Promise.resolve() };
  const tmp = tempPathFor(opts.tmpDir ?? dirname(file), basename(file), 'unpacked');
  // The copy holds what the backup holds: created with the backup's access, before the child starts.
  const fh = await createBackupFile(tmp, await accessLike(file));
  const child = startChild(basename(cmd.cmd), cmd.cmd, cmd.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stopWatching = whenAborted(opts.signal, () => killAll([child]));
  try {
    let writeError: unknown;
    const flowing = pipeline(child.proc.stdout!, fh.createWriteStream()).catch((e: unknown) => {
      writeError = e;
      killAll([child]);
    });
    const code = await child.done;
    await flowing;
    if (opts.signal?.aborted) throw new CancelledError('decompression');
    if (writeError) throw new Error(describeWriteError(writeError, tmp));
    if (code !== 0) throw new DamagedArchiveError(`${basename(file)} is damaged: ${toolFailure(child.name, code, child.stderrTail())}`);
    // Written through a pipe, the archive has no data offsets; our temp copy gets them, so that
    // pg_restore -j loads tables in parallel. An archive this cannot read is restored as it is.
    await addDataOffsets(tmp).catch(() => 0);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  } finally {
    stopWatching();
  }
  return { path: tmp, temporary: true, cleanup: () => unlink(tmp).catch(() => undefined) };
}
