// Host facts: what the server's machine is (CPUs, RAM, the data directory's disk, OS, kernel,
// uptime), read from the machine itself — through HostAccess (this machine, or the profile's SSH
// hop) — or, for a superuser without either, from what SQL can read of it (pg_read_file of
// /proc), said as such. A fact that could not be read is null with the reason, never guessed.
import { sharedRead } from './sharedRead';
import type { Queryable } from '../stats/sql';
import { readDiskSpaces } from './diskSpace';
import type { HostAccess } from './hostAccess';
import { firstLine, readHostFiles } from './hostFiles';
import { localHost } from './localHost';
import { parseCpusAllowed, parseMeminfo, parseOsRelease, parseProcStat, parseUptime } from './procParsers';
import { readRotational } from './rotational';

export type HostSource = 'ssh' | 'local' | 'sql';

export interface DirectoryFacts {
  /** null: the server hides its data directory from this role. */
  path: string | null;
  freeBytes: number | null;
  totalBytes: number | null;
}

export interface HostFacts {
  source: HostSource;
  /** How the host is named to a person: "this machine", the SSH hop, "the server (SQL)". */
  host: string;
  cpus: number | null;
  ramBytes: number | null;
  /** The data directory's device: true spinning, false solid state, null not known. */
  rotational: boolean | null;
  os: string | null;
  kernel: string | null;
  uptimeSeconds: number | null;
  dataDirectory: DirectoryFacts;
  backupDirectory?: DirectoryFacts;
  /** Why each null fact is null, in words. */
  unknown: Partial<Record<FactName, string>>;
}

export type FactName = 'cpus' | 'ramBytes' | 'rotational' | 'os' | 'kernel' | 'uptimeSeconds' | 'dataDirectory' | 'backupDirectory';

/** The host could not be read at all: the reason, and what to do. */
export class HostFactsError extends Error {
  override readonly name = 'HostFactsError';
}

export const FACTS_TIMEOUT_MS = 10_000;

/** Bytes of a /proc or /etc file any read takes at most. */
const FILE_BYTES = 1024 * 1024;

/** A host that is this machine: the loopback names, or a Unix socket directory. */
export function isLocalHost(host: string): boolean {
  return /^(localhost|127\.0\.0\.1|::1|\[::1\]|\/.*)$/.test(host);
}

/**
 * Where a profile's host facts come from: its SSH hop; this machine when the server is local
 * (with VS Code Remote-SSH the extension runs on the server, so its localhost is local too);
 * else what SQL can read.
 */
export function hostSourceFor(p: { host: string; ssh?: string }): HostSource {
  if (p.ssh) return 'ssh';
  return isLocalHost(p.host) ? 'local' : 'sql';
}

export interface ServerFactsOptions {
  profile: { host: string; ssh?: string };
  /** The server's connection: the data directory is read from it, and the facts for source "sql". */
  db: Queryable;
  backupDirectory?: string;
  /** Opens the profile's SSH hop (src/core/ssh/); without it a profile with `ssh` gets a HostFactsError. */
  openSsh?: (profile: { host: string; ssh?: string }) => Promise<HostAccess>;
  timeoutMs?: number;
}

/** The facts of a profile's server machine, from the source hostSourceFor picks. */
export async function readServerFacts(o: ServerFactsOptions): Promise<HostFacts> {
  const timeoutMs = o.timeoutMs ?? FACTS_TIMEOUT_MS;
  const dataDir = await readDataDirectory(o.db);
  const source = hostSourceFor(o.profile);
  if (source === 'sql') return readSqlFacts(o.db, dataDir, o.backupDirectory);
  if (source === 'local') return readHostFacts(localHost, dataDir, o.backupDirectory, timeoutMs);
  if (!o.openSsh) throw new HostFactsError(`the SSH hop ${o.profile.ssh} cannot be opened here: this build has no SSH support yet`);
  const host = await o.openSsh(o.profile);
  try {
    return await readHostFacts(host, dataDir, o.backupDirectory, timeoutMs);
  } finally {
    host.release();
  }
}

/** The data directory as the server says it, or why this role may not see it. */
export type DataDirectory = { path: string } | { path: null; reason: string };

export async function readDataDirectory(db: Queryable): Promise<DataDirectory> {
  // pg_settings hides data_directory (no error) from a role without superuser or pg_read_all_settings.
  const r = await db.query<{ dir: string | null; role: string }>(
    "SELECT (SELECT setting FROM pg_settings WHERE name = 'data_directory') AS dir, current_user AS role",
  );
  const row = r.rows[0];
  if (row?.dir) return { path: row.dir };
  return {
    path: null,
    reason: `the server hides data_directory from ${row?.role ?? 'this role'}: connect as a superuser or GRANT pg_read_all_settings TO that role`,
  };
}

// /proc/self is the reading command itself: its allowed CPUs are what nproc would count.
const PROC_FILES = ['/proc/meminfo', '/proc/uptime', '/proc/sys/kernel/osrelease', '/proc/self/status', '/etc/os-release', '/usr/lib/os-release'] as const;

/** The facts of a machine reached through HostAccess; throws HostFactsError when it cannot be read at all. */
export async function readHostFacts(host: HostAccess, dataDir: DataDirectory, backupDirectory: string | undefined, timeoutMs: number): Promise<HostFacts> {
  const source: HostSource = host.kind;
  const unknown: HostFacts['unknown'] = {};
  const why = (e: unknown) => (e instanceof Error ? e.message : String(e));
  const dirs: [string, FactName][] = [];
  if (dataDir.path !== null) dirs.push([dataDir.path, 'dataDirectory']);
  if (backupDirectory !== undefined) dirs.push([backupDirectory, 'backupDirectory']);
  const [files, spaces, rot] = await Promise.all([
    sharedRead(host, 'proc-files', () => readHostFiles(host, PROC_FILES, timeoutMs)).catch((e: unknown) => {
      throw new HostFactsError(`${host.label} cannot be read: ${why(e)}`);
    }),
    dirs.length
      ? readDiskSpaces(
          host,
          dirs.map(([p]) => p),
          timeoutMs,
        ).catch((e: unknown) => dirs.map(() => new Error(why(e))))
      : Promise.resolve([]),
    dataDir.path !== null ? readRotational(host, dataDir.path, timeoutMs) : Promise.resolve(undefined),
  ]);
  const space = (i: number): DirectoryFacts => {
    const [path, name] = dirs[i]!;
    const s = spaces[i];
    if (s === undefined || s instanceof Error) {
      unknown[name] = s ? s.message : 'df printed nothing';
      return { path, freeBytes: null, totalBytes: null };
    }
    return { path, freeBytes: s.freeBytes, totalBytes: s.totalBytes };
  };
  const data = dataDir.path !== null ? space(0) : undefined;
  const backup = backupDirectory !== undefined ? space(dirs.length - 1) : undefined;
  const facts = factsFromFiles(source, host.label, files, unknown);
  const status = files.get('/proc/self/status');
  facts.cpus = status !== undefined ? (parseCpusAllowed(status) ?? null) : null;
  if (facts.cpus === null) unknown.cpus = status === undefined ? '/proc/self/status could not be read' : '/proc/self/status has no Cpus_allowed_list';
  if (dataDir.path === null) {
    unknown.dataDirectory = dataDir.reason;
    unknown.rotational = dataDir.reason;
  } else if (rot && rot.rotational === null) unknown.rotational = rot.reason;
  facts.rotational = rot?.rotational ?? null;
  facts.dataDirectory = data ?? { path: null, freeBytes: null, totalBytes: null };
  if (backup) facts.backupDirectory = backup;
  return facts;
}

function positive(n: number): number | null {
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** RAM, OS, kernel, uptime from the files' texts; each missing one recorded in `unknown`. */
function factsFromFiles(source: HostSource, label: string, files: ReadonlyMap<string, string>, unknown: HostFacts['unknown']): HostFacts {
  const mem = files.get('/proc/meminfo');
  const ramBytes = mem !== undefined ? (parseMeminfo(mem).totalBytes ?? null) : null;
  if (ramBytes === null) unknown.ramBytes = mem === undefined ? '/proc/meminfo could not be read' : '/proc/meminfo has no MemTotal';
  const up = files.get('/proc/uptime');
  const uptimeSeconds = up !== undefined ? (parseUptime(up) ?? null) : null;
  if (uptimeSeconds === null) unknown.uptimeSeconds = '/proc/uptime could not be read';
  const kernelText = files.get('/proc/sys/kernel/osrelease')?.trim();
  const kernel = kernelText ? kernelText : null;
  if (kernel === null) unknown.kernel = '/proc/sys/kernel/osrelease could not be read';
  const rel = files.get('/etc/os-release') ?? files.get('/usr/lib/os-release');
  const os = rel !== undefined ? (parseOsRelease(rel) ?? null) : null;
  if (os === null) unknown.os = rel === undefined ? 'neither /etc/os-release nor /usr/lib/os-release could be read' : 'os-release names no system';
  return {
    source,
    host: label,
    cpus: null,
    ramBytes,
    rotational: null,
    os,
    kernel,
    uptimeSeconds,
    dataDirectory: { path: null, freeBytes: null, totalBytes: null },
    unknown,
  };
}

/**
 * What SQL alone reads of the server's machine: pg_read_file of /proc (superuser or
 * pg_read_server_files); no file system sizes (SQL has no statfs) and no device. A role that
 * may not read files gets a HostFactsError that says what would.
 */
export async function readSqlFacts(db: Queryable, dataDir: DataDirectory, backupDirectory?: string): Promise<HostFacts> {
  const paths = ['/proc/meminfo', '/proc/uptime', '/proc/sys/kernel/osrelease', '/proc/stat', '/etc/os-release', '/usr/lib/os-release'];
  let row: Record<string, string | null>;
  try {
    // missing_ok: a file that is not there is NULL, not an error; the length bounds every read.
    const r = await db.query<Record<string, string | null>>(
      `SELECT ${paths.map((_, i) => `pg_read_file($${i + 1}, 0, ${FILE_BYTES}, true) AS f${i}`).join(', ')}`,
      paths,
    );
    row = r.rows[0] ?? {};
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === '42501') {
      throw new HostFactsError(
        `this role may not read the server's files (${err.message ?? 'permission denied'}): host facts from SQL need a superuser or pg_read_server_files; or give the profile an SSH hop`,
      );
    }
    throw new HostFactsError(`the server's machine cannot be read through SQL: ${firstLine(err.message ?? String(e))}`);
  }
  const files = new Map<string, string>();
  paths.forEach((p, i) => {
    const text = row[`f${i}`];
    if (typeof text === 'string') files.set(p, text);
  });
  const unknown: HostFacts['unknown'] = {};
  const facts = factsFromFiles('sql', 'the server (SQL)', files, unknown);
  const stat = files.get('/proc/stat');
  facts.cpus = stat !== undefined ? positive(parseProcStat(stat).cpus) : null;
  if (facts.cpus === null) unknown.cpus = '/proc/stat could not be read';
  unknown.rotational = 'SQL cannot tell which device holds the data directory: name an SSH hop for it';
  const noSizes = 'SQL gives no file system sizes: name an SSH hop, or run df on the server';
  facts.dataDirectory = { path: dataDir.path, freeBytes: null, totalBytes: null };
  unknown.dataDirectory = dataDir.path === null ? dataDir.reason : noSizes;
  if (backupDirectory !== undefined) {
    facts.backupDirectory = { path: backupDirectory, freeBytes: null, totalBytes: null };
    unknown.backupDirectory = noSizes;
  }
  return facts;
}

/** The `pgdba host --format json` shape, exactly: no labels, no reasons (those go to stderr). */
export function hostFactsJson(f: HostFacts): Record<string, unknown> {
  const dir = (d: DirectoryFacts) => ({ path: d.path, freeBytes: d.freeBytes, totalBytes: d.totalBytes });
  return {
    source: f.source,
    cpus: f.cpus,
    ramBytes: f.ramBytes,
    rotational: f.rotational,
    os: f.os,
    kernel: f.kernel,
    uptimeSeconds: f.uptimeSeconds,
    dataDirectory: dir(f.dataDirectory),
    ...(f.backupDirectory ? { backupDirectory: dir(f.backupDirectory) } : {}),
  };
}
