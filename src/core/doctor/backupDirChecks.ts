// The backup directory as the nightly job meets it: there (the unit's ReadWritePaths= names it, and
// systemd refuses to start a unit whose path is missing), writable by the job's user, and with room
// for the next backup — measured against the last backups' sizes, read from the directory itself.
import { readDiskSpace } from '../host/diskSpace';
import type { HostAccess } from '../host/hostAccess';
import { parseBackupName } from '../backup/naming';
import { formatBytes } from '../format';
import { shellQuote } from '../shellQuote';
import { mayAccess, type HostUser } from './account';
import type { DoctorCheck } from './types';

const TIMEOUT_MS = 20_000;
/** Room for the next backup: the newest one's size with a margin for growth. */
const FAIL_BELOW = 1.2;
/** Fewer nights than this at the newest size: a warning, before it fails. */
const WARN_BELOW = 3;

export interface BackupSize {
  file: string;
  bytes: number;
  takenAt: Date;
}

/** The backups in `dir` (one level, regular files), by `find -printf` on the host; newest first. */
export async function listBackupSizes(host: HostAccess, dir: string, database?: string): Promise<BackupSize[]> {
  const r = await host.exec(['find', dir, '-maxdepth', '1', '-type', 'f', '-printf', '%s\\t%f\\n'], { timeoutMs: TIMEOUT_MS, maxBytes: 4 * 1024 * 1024 });
  if (r.code !== 0) throw new Error(`find on ${host.label}: ${r.stderr.trim().split('\n')[0] || `exit ${r.code}`}`);
  const out: BackupSize[] = [];
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const tab = line.indexOf('\t');
    const name = parseBackupName(line.slice(tab + 1));
    if (tab <= 0 || !name || (database !== undefined && name.database !== database)) continue;
    out.push({ file: name.file, bytes: Number(line.slice(0, tab)), takenAt: name.takenAt });
  }
  return out.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

export async function backupDirChecks(
  host: HostAccess,
  dir: string,
  user: HostUser | undefined,
  o: { database?: string; asUser: boolean },
): Promise<DoctorCheck[]> {
  const owner = user?.name ?? 'the service user';
  const make = `sudo install -d -m 0750 -o ${owner} -g ${owner} ${shellQuote(dir)}`;
  const st = await host.stat(dir).catch((e: unknown) => e as Error);
  if (st instanceof Error) return [{ id: 'backup-dir', level: 'fail', summary: `${dir} cannot be looked at: ${st.message}` }];
  if (!st) return [{ id: 'backup-dir', level: 'fail', summary: `${dir} does not exist on ${host.label}`, fix: make }];
  if (!st.isDirectory) return [{ id: 'backup-dir', level: 'fail', summary: `${dir} is not a directory`, fix: `move it away, then: ${make}` }];
  const checks: DoctorCheck[] = [];
  const writable = await canWrite(host, dir, st, user, o.asUser);
  if (writable !== true)
    checks.push({ id: 'backup-dir', level: 'fail', summary: writable, fix: `sudo chown ${owner}: ${shellQuote(dir)} && sudo chmod 0750 ${shellQuote(dir)}` });
  else if ((st.mode & 0o007) !== 0)
    checks.push({
      id: 'backup-dir',
      level: 'warn',
      summary: `${dir} is writable by ${owner}, and open to every user (mode ${octal(st.mode)})`,
      fix: `sudo chmod 0750 ${shellQuote(dir)}`,
    });
  else checks.push({ id: 'backup-dir', level: 'ok', summary: `${dir} is writable by ${owner} (mode ${octal(st.mode)})` });
  checks.push(await freeSpaceCheck(host, dir, o.database));
  return checks;
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** A file made and removed when doctor runs as the job's user; else the mode bits say. */
async function canWrite(
  host: HostAccess,
  dir: string,
  st: Parameters<typeof mayAccess>[0],
  user: HostUser | undefined,
  asUser: boolean,
): Promise<true | string> {
  if (asUser) {
    const probe = `${dir.replace(/\/+$/, '')}/.pgdba-doctor-${process.pid}-${Date.now()}`;
    try {
      await host.writeFile(probe, Buffer.alloc(0), { mode: 0o600 });
      await host.unlink(probe);
      return true;
    } catch (e) {
      return `${dir} is not writable by ${user?.name ?? 'this user'}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  if (!user) return `${dir}: whether the service user may write it is not known (the user was not found)`;
  return mayAccess(st, user, 0o3) ? true : `${dir} is not writable by ${user.name} (owner uid ${st.uid}, group ${st.gid}, mode ${octal(st.mode)})`;
}

async function freeSpaceCheck(host: HostAccess, dir: string, database: string | undefined): Promise<DoctorCheck> {
  let free: number;
  try {
    free = (await readDiskSpace(host, dir, TIMEOUT_MS)).freeBytes;
  } catch (e) {
    return { id: 'free-space', level: 'warn', summary: `the free space of ${dir} is not known: ${e instanceof Error ? e.message : String(e)}` };
  }
  const backups = await listBackupSizes(host, dir, database).catch(() => []);
  const newest = backups[0];
  if (!newest)
    return {
      id: 'free-space',
      level: 'ok',
      summary: `${formatBytes(free)} free; no backups${database ? ` of ${database}` : ''} yet to measure the next one by`,
    };
  const nights = free / Math.max(1, newest.bytes);
  const said = `${formatBytes(free)} free; the newest backup, ${newest.file}, is ${formatBytes(newest.bytes)}`;
  if (nights < FAIL_BELOW)
    return {
      id: 'free-space',
      level: 'fail',
      summary: `${said}: the next one may not fit`,
      fix: `free space on ${dir}'s file system, or keep fewer backups (--keep)`,
    };
  if (nights < WARN_BELOW)
    return {
      id: 'free-space',
      level: 'warn',
      summary: `${said}: room for ${nights.toFixed(1)} more`,
      fix: `free space on ${dir}'s file system, or keep fewer backups (--keep)`,
    };
  return { id: 'free-space', level: 'ok', summary: `${said}: room for ${nights >= 100 ? 'more than 100' : Math.floor(nights)} more` };
}
