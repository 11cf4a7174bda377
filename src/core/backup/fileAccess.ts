// Backups hold every row, so their files are the owner's alone (0600), or the owner's and one
// group's (0640) when the person names a group; the directory 0750. Mode and group are set on the
// open, still empty file, never after data is in it; umask cannot widen or narrow them.
import { execFile } from 'node:child_process';
import { chmod, chown, open, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { ensureOutputDir } from './outputDir';

/** How a backup file is created: its permission bits and, when a group may read it, the group. */
export interface FileAccess {
  mode: number;
  gid?: number;
}

export const PRIVATE: FileAccess = { mode: 0o600 };

async function groupId(group: string): Promise<number> {
  if (/^\d+$/.test(group)) return Number(group);
  // getent sees LDAP/sssd groups as well; /etc/group where getent is missing.
  const line = await promisify(execFile)('getent', ['group', '--', group]).then(
    (r) => r.stdout,
    () => readFile('/etc/group', 'utf8').then((t) => t.split('\n').find((l) => l.split(':')[0] === group) ?? ''),
  );
  const gid = Number(line.split(':')[2]);
  if (!line || !Number.isInteger(gid)) throw new Error(`group "${group}" does not exist: give an existing group (getent group) or its number`);
  return gid;
}

/** The access of new backup files: 0600, or 0640 with the group (--group, pgdba.backup.group). */
export async function accessFor(group: string | undefined): Promise<FileAccess> {
  return group ? { mode: 0o640, gid: await groupId(group) } : PRIVATE;
}

/** A file made from another (a manifest, an unpacked copy) gets its group and at most 0640. */
export async function accessLike(path: string): Promise<FileAccess> {
  const st = await stat(path).catch(() => undefined);
  if (!st) return PRIVATE;
  // Only a group this process may give a file to (its own, or any as root).
  const mayChown = process.getuid?.() === 0 || process.getgroups?.().includes(st.gid);
  return st.mode & 0o040 && mayChown ? { mode: 0o640, gid: st.gid } : PRIVATE;
}

/** Creates path (it must not exist yet) with that access; the caller writes through the handle. */
export async function createBackupFile(path: string, access: FileAccess = PRIVATE): Promise<FileHandle> {
  const fh = await open(path, 'wx', access.mode);
  try {
    if (access.gid !== undefined) await fh.chown(-1, access.gid);
    await fh.chmod(access.mode);
    return fh;
  } catch (e) {
    await fh.close();
    await unlink(path).catch(() => undefined);
    throw e;
  }
}

/** The backup directory: made (ensureOutputDir: words for a file in the way) and given 0750 and
 *  the group when missing — still empty, so nothing was ever open. An existing one is left as it
 *  is, with a warning when others may enter it. */
export async function prepareBackupDir(dir: string, access: FileAccess = PRIVATE): Promise<string[]> {
  const existed = await stat(dir).then(
    () => true,
    () => false,
  );
  await ensureOutputDir(dir, 'the backups');
  if (!existed) {
    if (access.gid !== undefined) await chown(dir, -1, access.gid);
    await chmod(dir, 0o750);
    return [];
  }
  const mode = (await stat(dir)).mode & 0o777;
  if (!(mode & 0o007)) return [];
  return [`${dir} is open to other users (mode ${mode.toString(8).padStart(4, '0')}) and backups hold every row: chmod o-rwx ${dir}`];
}
