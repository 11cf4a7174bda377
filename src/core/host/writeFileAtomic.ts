// Replaces a file on the server's machine so that a reader sees the old text or the new, never a
// part: the data goes to a temp file beside it (same file system, so rename(2) is atomic), which
// gets the old file's mode and owner before it takes the name. A write that fails midway (a full
// disk, a dropped SSH session) removes the temp and leaves the file as it was.
import type { HostAccess, HostStat } from './hostAccess';

/** The owner could not be kept: the writer may not give the file to its owner (chown refused). */
export class OwnerNotKeptError extends Error {
  constructor(
    readonly path: string,
    readonly owner: { uid: number; gid: number },
    detail: string,
  ) {
    super(
      `${path} belongs to ${owner.uid}:${owner.gid}; a copy written by this user could not be given back to that owner (${detail.trim() || 'chown refused'})`,
    );
    this.name = 'OwnerNotKeptError';
  }
}

const CHOWN_TIMEOUT_MS = 10_000;

function dirAndName(path: string): { dir: string; name: string } {
  const i = path.lastIndexOf('/');
  return i < 0 ? { dir: '.', name: path } : { dir: i === 0 ? '/' : path.slice(0, i), name: path.slice(i + 1) };
}

/** `.<name>.pgdba-<pid>-<time>.tmp` beside `path`: hidden, and named after what made it. */
export function tempBeside(path: string): string {
  const { dir, name } = dirAndName(path);
  return `${dir === '/' ? '' : dir}/.${name}.pgdba-${process.pid}-${Date.now().toString(36)}.tmp`;
}

/**
 * Writes `data` to `path` atomically with `like`'s permission bits, uid and gid (the file's own
 * stat before the write; a new file takes `like` from elsewhere). Throws HostPermissionError when
 * the directory may not be written, OwnerNotKeptError when the owner cannot be kept.
 */
export async function writeFileAtomic(host: HostAccess, path: string, data: Buffer, like: HostStat): Promise<void> {
  const tmp = tempBeside(path);
  const mode = like.mode & 0o7777;
  // 0600 until it has its owner: a file of passwords is never open to others, even for a moment.
  try {
    await host.writeFile(tmp, data, { mode: mode & 0o600 });
    const st = await host.stat(tmp);
    if (!st) throw new Error(`${tmp} vanished while it was written`);
    if (st.uid !== like.uid || st.gid !== like.gid) {
      const r = await host.exec(['chown', `${like.uid}:${like.gid}`, '--', tmp], { timeoutMs: CHOWN_TIMEOUT_MS });
      if (r.code !== 0) throw new OwnerNotKeptError(path, like, r.stderr);
    }
    await host.chmod(tmp, mode);
    if (st.size !== data.length) throw new Error(`${tmp}: ${st.size} bytes written of ${data.length}`);
    await host.rename(tmp, path);
  } catch (e) {
    await host.unlink(tmp).catch(() => undefined);
    throw e;
  }
}
