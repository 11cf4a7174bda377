// A configuration file and what it includes, read from the server's machine through HostAccess,
// for the one include walk of src/core/conf/confIncludes.ts (resolveConfTree, bounded, loops and
// fan-out stopped with a finding). That walk is synchronous and the host is not: the walk runs on
// a snapshot, each run asks for what the snapshot lacks, and those paths are fetched before the
// next run. A run reads one include level more than the last, so the rounds are bounded by the
// walk's own depth limit, and each path is fetched once.
import { MAX_CONF_FILE_BYTES, confFileRefusal, resolveConfTree, type ConfFileStat, type ConfFileSystem } from '../conf/confIncludes';
import type { HostAccess, HostStat } from '../host/hostAccess';
import { HostPermissionError } from '../host/hostAccess';

/** Every round reads one nesting level (an include_dir two: the list, then its files). */
const MAX_ROUNDS = 2 * 10 + 4;
const LIST_TIMEOUT_MS = 15_000;
const MAX_DIR_LISTING_BYTES = 4 * 1024 * 1024;

export interface HostConfSnapshot {
  /** The files and directories read, as the include walk and the linter see them. */
  fs: ConfFileSystem;
  /** The main file's text. */
  text: string;
  /** Paths of the files the walk reached (the main one first). */
  files: string[];
}

/** What stat's mode says a path is (S_IFMT). */
export function confStatOf(st: HostStat): ConfFileStat {
  if (st.isFile) return { kind: 'file', size: st.size };
  if (st.isDirectory) return { kind: 'directory', size: st.size };
  const type = st.mode & 0o170000;
  const kind =
    type === 0o010000 ? 'FIFO' : type === 0o020000 ? 'character device' : type === 0o060000 ? 'block device' : type === 0o140000 ? 'socket' : 'special file';
  return { kind, size: st.size };
}

/** A directory's entry names over the host (find prints them NUL-separated: any byte but NUL and / is a name). */
async function listDir(host: HostAccess, dir: string): Promise<string[] | undefined> {
  const r = await host.exec(['find', dir, '-mindepth', '1', '-maxdepth', '1', '-printf', '%f\\0'], {
    timeoutMs: LIST_TIMEOUT_MS,
    maxBytes: MAX_DIR_LISTING_BYTES,
  });
  if (r.code !== 0) return undefined;
  return r.stdout
    .toString('utf8')
    .split('\0')
    .filter((n) => n !== '');
}

/** The text of a regular file of at most MAX_CONF_FILE_BYTES, else undefined (the walk reports why, from stat). */
async function readText(host: HostAccess, path: string, st: ConfFileStat | undefined): Promise<string | undefined> {
  if (st === undefined || confFileRefusal(st) !== undefined) return undefined;
  try {
    return (await host.readFile(path, { maxBytes: MAX_CONF_FILE_BYTES })).toString('utf8');
  } catch (e) {
    if (e instanceof HostPermissionError) return undefined; // "cannot be read": the walk says so
    throw e;
  }
}

/** Reads `mainPath` and everything it includes from the host. The main file must be readable. */
export async function readHostConfTree(host: HostAccess, mainPath: string): Promise<HostConfSnapshot> {
  const stats = new Map<string, ConfFileStat | undefined>();
  const texts = new Map<string, string | undefined>();
  const dirs = new Map<string, string[] | undefined>();
  const mainStat = await host.stat(mainPath);
  if (!mainStat) throw new Error(`${host.label}: ${mainPath} does not exist`);
  const refusal = confFileRefusal(confStatOf(mainStat));
  if (refusal) throw new Error(`${host.label}: ${mainPath} ${refusal}`);
  const text = (await host.readFile(mainPath, { maxBytes: MAX_CONF_FILE_BYTES })).toString('utf8');
  stats.set(mainPath, confStatOf(mainStat));
  texts.set(mainPath, text);

  const wanted = { stat: new Set<string>(), text: new Set<string>(), dir: new Set<string>() };
  const fs: ConfFileSystem = {
    readFile: (p) => {
      if (!texts.has(p)) wanted.text.add(p);
      return texts.get(p);
    },
    listDir: (p) => {
      if (!dirs.has(p)) wanted.dir.add(p);
      return dirs.get(p);
    },
    stat: (p) => {
      if (!stats.has(p)) wanted.stat.add(p);
      return stats.get(p);
    },
  };
  let files: string[] = [mainPath];
  for (let round = 0; ; round++) {
    wanted.stat.clear();
    wanted.text.clear();
    wanted.dir.clear();
    files = resolveConfTree(mainPath, text, fs).files.map((f) => f.path);
    const paths = new Set([...wanted.stat, ...wanted.text]);
    if (paths.size === 0 && wanted.dir.size === 0) break;
    if (round >= MAX_ROUNDS) throw new Error(`${host.label}: the includes of ${mainPath} did not settle after ${MAX_ROUNDS} reads`);
    for (const p of paths) {
      const st = await host.stat(p).catch((e: unknown) => {
        if (e instanceof HostPermissionError) return undefined;
        throw e;
      });
      stats.set(p, st && confStatOf(st));
      texts.set(p, await readText(host, p, stats.get(p)));
    }
    for (const d of wanted.dir) {
      const names = await listDir(host, d);
      dirs.set(d, names);
      if (names !== undefined && !stats.has(d)) stats.set(d, { kind: 'directory', size: 0 });
    }
  }
  // From here on the snapshot is what it is: a path the walk did not reach reads as missing.
  return {
    fs: { readFile: (p) => texts.get(p), listDir: (p) => dirs.get(p), stat: (p) => stats.get(p) },
    text,
    files,
  };
}
