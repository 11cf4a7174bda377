// The accounts on the checked machine: the user the nightly job runs as (the installed unit's
// User=, else the one asked for, else whoever runs doctor), read with getent and id through
// HostAccess, and what such a user may do with a file by its mode bits.
import type { HostAccess, HostStat } from '../host/hostAccess';

export interface HostUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  /** Every group id, the primary one included. */
  groups: number[];
}

const TIMEOUT_MS = 10_000;

async function run(host: HostAccess, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await host.exec(argv, { timeoutMs: TIMEOUT_MS, maxBytes: 64 * 1024 });
  return { code: r.code, out: r.stdout.toString('utf8').trim(), err: r.stderr.trim() };
}

/** The account NAME on the host, or undefined when it has none (getent sees LDAP/sssd users too). */
export async function lookupUser(host: HostAccess, name: string): Promise<HostUser | undefined> {
  const p = await run(host, ['getent', 'passwd', '--', name]);
  if (p.code === 2) return undefined; // getent: key not found
  if (p.code !== 0) throw new Error(`getent passwd on ${host.label}: ${p.err || `exit ${p.code}`}`);
  const f = p.out.split('\n')[0]!.split(':');
  const uid = Number(f[2]);
  const gid = Number(f[3]);
  if (f.length < 7 || !Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`getent passwd on ${host.label} printed no account line for ${name}`);
  const g = await run(host, ['id', '-G', '--', name]);
  const groups = g.code === 0 ? g.out.split(/\s+/).map(Number).filter(Number.isInteger) : [gid];
  return { name: f[0]!, uid, gid, home: f[5]!, groups };
}

/** Who runs the checks on the host (over SSH: the hop's login). */
export async function currentUserName(host: HostAccess): Promise<string> {
  const r = await run(host, ['id', '-un']);
  if (r.code !== 0 || !r.out) throw new Error(`id -un on ${host.label}: ${r.err || `exit ${r.code}`}`);
  return r.out;
}

/** The unit's `User=`, when the unit is installed; undefined when it is not, or names none. */
export async function unitUser(host: HostAccess, unitPath: string): Promise<string | undefined> {
  const st = await host.stat(unitPath).catch(() => undefined);
  if (!st?.isFile) return undefined;
  const text = (await host.readFile(unitPath, { maxBytes: 256 * 1024 })).toString('utf8');
  let user: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^\s*User\s*=\s*(\S+)\s*$/.exec(line);
    if (m) user = m[1]; // the last assignment wins, as systemd reads it
  }
  return user;
}

/** Whether `user` may read (4), write (2) or search (1) what `st` describes, by its mode bits. */
export function mayAccess(st: Pick<HostStat, 'mode' | 'uid' | 'gid'>, user: Pick<HostUser, 'uid' | 'groups'>, bits: number): boolean {
  if (user.uid === 0) return true;
  if (st.uid === user.uid) return ((st.mode >> 6) & bits) === bits;
  if (user.groups.includes(st.gid)) return ((st.mode >> 3) & bits) === bits;
  return (st.mode & bits) === bits;
}
