// Saving one of the server's own files as the seed does it by hand, through HostAccess: first
// NAME.YYYY-MM-DD_HH-MM-SS.bak beside it (a copy with the file's mode and owner), then the file
// replaced atomically (writeFileAtomic: temp beside it + rename, mode and owner kept). A file this
// user may not write is refused before anything is written, with the reason and the sudo command
// that does the same save by hand (the new text staged in a file of the user's own, every path
// shell-quoted).
import { MAX_CONF_FILE_BYTES } from '../conf/confIncludes';
import { timestampPart } from '../backup/naming';
import type { HostAccess, HostStat } from '../host/hostAccess';
import { HostPermissionError } from '../host/hostAccess';
import { OwnerNotKeptError, writeFileAtomic } from '../host/writeFileAtomic';
import { shellQuote } from '../shellQuote';

export interface SavedServerFile {
  path: string;
  /** The copy of what was there before. */
  backup: string;
  mode: number;
  uid: number;
  gid: number;
}

/** The save was refused; nothing was written on the host but, when `staged` is set, the new text there. */
export class ServerFileRefusedError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    /** The command a person with sudo runs on the host to do the same save. */
    readonly command: string | undefined,
    /** The new text, written where this user may write, for `command`. */
    readonly staged?: string,
  ) {
    super(`${reason}.${command ? ` To save it as root, run on the server's machine:\n${command}` : ''}`);
    this.name = 'ServerFileRefusedError';
  }
}

const TEST_TIMEOUT_MS = 10_000;

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `path.YYYY-MM-DD_HH-MM-SS.bak`, or `…-2.bak`, `-3` for another save in the same second. */
export async function backupPathFor(host: HostAccess, path: string, now: Date): Promise<string> {
  const stem = `${path}.${timestampPart(now)}`;
  for (let n = 1; n < 100; n++) {
    const candidate = `${stem}${n > 1 ? `-${n}` : ''}.bak`;
    if (!(await host.stat(candidate))) return candidate;
  }
  throw new Error(`${host.label}: 99 backups of ${path} in one second: not saving another`);
}

/** The host's own test(1) answers whether this user may write `path`: root, ACLs and read-only mounts included. */
async function mayWrite(host: HostAccess, path: string): Promise<boolean> {
  const r = await host.exec(['test', '-w', path], { timeoutMs: TEST_TIMEOUT_MS });
  return r.code === 0;
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** Stages the new text in a private temp file of this user on the host (mktemp), for the sudo command. */
async function stage(host: HostAccess, path: string, data: Buffer): Promise<string | undefined> {
  try {
    const r = await host.exec(['mktemp', '-t', `pgdba-${baseOf(path).replace(/[^A-Za-z0-9._-]/g, '_')}.XXXXXX`], { timeoutMs: TEST_TIMEOUT_MS });
    const staged = r.stdout.toString('utf8').trim();
    if (r.code !== 0 || !staged.startsWith('/')) return undefined;
    await host.writeFile(staged, data, { mode: 0o600 });
    return staged;
  } catch {
    return undefined; // no staging: the command edits the file in place instead
  }
}

function sudoCommand(path: string, backup: string, st: HostStat, staged: string | undefined): string {
  const q = shellQuote;
  const copy = `sudo cp -p -- ${q(path)} ${q(backup)}`;
  if (staged === undefined) return `${copy} && sudoedit -- ${q(path)}`;
  const tmp = `${dirOf(path)}/.${baseOf(path)}.pgdba-sudo.tmp`;
  return `${copy} && sudo install -o ${st.uid} -g ${st.gid} -m ${octal(st.mode)} -- ${q(staged)} ${q(tmp)} && sudo mv -f -- ${q(tmp)} ${q(path)} && rm -f -- ${q(staged)}`;
}

async function refuse(host: HostAccess, path: string, backup: string, st: HostStat, data: Buffer, reason: string): Promise<never> {
  const staged = await stage(host, path, data);
  throw new ServerFileRefusedError(path, reason, sudoCommand(path, backup, st, staged), staged);
}

export async function saveServerFile(host: HostAccess, path: string, text: string, opts: { now?: Date } = {}): Promise<SavedServerFile> {
  const data = Buffer.from(text, 'utf8');
  if (data.length > MAX_CONF_FILE_BYTES)
    throw new Error(`${path}: ${data.length} bytes is more than a configuration file holds (${MAX_CONF_FILE_BYTES}); not saved`);
  const st = await host.stat(path);
  // Never create one: a path that went away (a package upgrade, a moved cluster) is news to the person.
  if (!st) throw new Error(`${host.label}: ${path} no longer exists; not saved (open the server's configuration again)`);
  if (!st.isFile) throw new Error(`${host.label}: ${path} is not a regular file; not saved`);
  const backup = await backupPathFor(host, path, opts.now ?? new Date());
  const who = host.kind === 'ssh' ? `the SSH user of ${host.label}` : 'this user';
  const owner = `owned by ${st.uid}:${st.gid}, mode ${octal(st.mode)}`;
  if (!(await mayWrite(host, path))) return refuse(host, path, backup, st, data, `${host.label}: ${who} may not write ${path} (${owner})`);
  try {
    const old = await host.readFile(path, { maxBytes: MAX_CONF_FILE_BYTES });
    await writeFileAtomic(host, backup, old, st);
    await writeFileAtomic(host, path, data, st);
  } catch (e) {
    if (e instanceof HostPermissionError)
      return refuse(
        host,
        path,
        backup,
        st,
        data,
        `${host.label}: ${who} may not write in ${dirOf(path)}, where the backup and the new file go (${path} is ${owner})`,
      );
    if (e instanceof OwnerNotKeptError) return refuse(host, path, backup, st, data, `${host.label}: ${e.message}`);
    throw e;
  }
  return { path, backup, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
}
