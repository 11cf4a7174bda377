// The test runner's check that a rig leaves the temp dir as it found it. Each rig runs with
// TMPDIR set to a fresh /tmp/pgdba-run-XXXXXX: everything the tests, the rigs and the tools
// they start (PostgreSQL, code-server, chromium) put in os.tmpdir() lands there, and nothing another
// run on this machine makes does — so what is left in it when the rig ends is the rig's, precisely.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pidAlive, sweepStaleClusters } from './pgServer';
import { sweepStaleHosts } from './vscodeHost';

const RUN_PREFIX = 'pgdba-run-';
/** The runner's pid, for sweepKilledRuns; made by the runner, so not a leftover. */
const OWNER = 'owner.json';

export interface Leftover {
  name: string;
  /** "dir, 12 entries", "socket", "40 bytes": enough to tell what it is without opening it. */
  what: string;
  /** Live processes that still use it (an open file, a cwd, a bound socket under it). */
  heldBy: string[];
}

export interface RigTemp {
  /** The rig's TMPDIR. */
  dir: string;
  /**
   * Lists what the rig left, removes what no live process holds, and the folder when empty.
   * `outside`: pgdba-* names new in /tmp itself meanwhile — another run's on this machine, or made
   * by a path that ignores TMPDIR; they cannot be told apart, so they are reported, not failed.
   */
  close(): { left: Leftover[]; outside: string[] };
}

/** tsx keeps its transform cache in <tmpdir>/tsx-<uid>: a tool's cache, shared, not a leftover. */
function tsxCacheName(): string {
  return `tsx-${process.geteuid?.() ?? userInfo().username}`;
}

/** Removes the rig temp dirs of runners that were killed (a SIGKILL leaves no chance to clean up). */
export function sweepKilledRuns(root = tmpdir()): string[] {
  const swept: string[] = [];
  for (const name of readdirSync(root)) {
    if (!name.startsWith(RUN_PREFIX)) continue;
    const dir = join(root, name);
    let pid = 0;
    try {
      pid = (JSON.parse(readFileSync(join(dir, OWNER), 'utf8')) as { pid: number }).pid;
    } catch {
      // No owner file: half-made by a killed runner, or being made right now by a live one.
      if (Date.now() - statSync(dir).mtimeMs < 60_000) continue;
    }
    if (pid && pidAlive(pid)) continue;
    // Its PostgreSQL and code-server may still run: the rigs' own sweepers stop them first.
    sweepStaleClusters(dir);
    sweepStaleHosts(dir);
    rmSync(dir, { recursive: true, force: true });
    swept.push(name);
  }
  return swept;
}

export function openRigTemp(root = tmpdir()): RigTemp {
  // Short: PostgreSQL's and code-server's unix sockets live below it (108 bytes at most).
  const dir = mkdtempSync(join(root, RUN_PREFIX));
  chmodSync(dir, 0o1777); // as /tmp: PostgreSQL runs as 'postgres' when we are root, and needs its dirs below
  writeFileSync(join(dir, OWNER), JSON.stringify({ pid: process.pid }));
  const cache = tsxCacheName();
  mkdirSync(join(root, cache), { recursive: true });
  symlinkSync(join(root, cache), join(dir, cache));
  const before = new Set(readdirSync(root));
  return {
    dir,
    close() {
      const outside = readdirSync(root).filter((n) => n.startsWith('pgdba-') && !n.startsWith(RUN_PREFIX) && !before.has(n));
      const names = readdirSync(dir).filter((n) => n !== cache && n !== OWNER);
      const holders = names.length ? processesUsing(dir) : new Map<string, string[]>();
      const left = names.map((name) => ({ name, what: describe(join(dir, name)), heldBy: holders.get(name) ?? [] }));
      for (const l of left) if (l.heldBy.length === 0) rmSync(join(dir, l.name), { recursive: true, force: true });
      if (left.every((l) => l.heldBy.length === 0)) rmSync(dir, { recursive: true, force: true });
      return { left, outside };
    },
  };
}

/** The live processes using something under `dir`, by the name of its entry in `dir`. */
function processesUsing(dir: string): Map<string, string[]> {
  const prefix = `${dir}/`;
  const entryOf = (path: string) => (path.startsWith(prefix) ? path.slice(prefix.length).split('/')[0] : undefined);
  const sockets = new Map<string, string>(); // inode → entry, for unix sockets bound under dir
  try {
    for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const entry = f[7] ? entryOf(f[7]) : undefined;
      if (entry && f[6]) sockets.set(f[6], entry);
    }
  } catch {
    /* no /proc/net/unix: files and cwds only */
  }
  const found = new Map<string, string[]>();
  const add = (entry: string | undefined, who: string) => {
    if (!entry) return;
    const list = found.get(entry) ?? [];
    if (!list.includes(who)) list.push(who);
    found.set(entry, list);
  };
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    let who = p;
    try {
      who = `${p} ${readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 80)}`;
      add(entryOf(readlinkSync(`/proc/${p}/cwd`)), who);
      for (const fd of readdirSync(`/proc/${p}/fd`)) {
        const target = readlinkSync(`/proc/${p}/fd/${fd}`);
        const socket = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        add(socket ? sockets.get(socket) : entryOf(target), who);
      }
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return found;
}

function describe(path: string): string {
  try {
    const st = statSync(path);
    return st.isDirectory() ? `dir, ${readdirSync(path).length} entries` : st.isSocket() ? 'socket' : `${st.size} bytes`;
  } catch {
    return 'gone meanwhile';
  }
}
