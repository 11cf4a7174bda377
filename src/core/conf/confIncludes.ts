// Follows include / include_if_exists / include_dir as PostgreSQL does (relative paths against the
// including file's directory; include_dir takes the *.conf files not starting with "." in byte
// order; nesting deeper than 10 is an error), through a small file-system port so the core
// stays testable without a disk.
import type { SourceRange } from '../lint/finding';
import { parseConf, type ConfInclude, type ParsedConf } from './confParser';

/** What stat says of a path, without opening it. */
export interface ConfFileStat {
  kind: 'file' | 'directory' | 'FIFO' | 'character device' | 'block device' | 'socket' | 'special file';
  size: number;
}

/** What the include resolver needs from a file system. */
export interface ConfFileSystem {
  /** The file's text, or undefined when it cannot be read or is not a regular file of at most
   *  MAX_CONF_FILE_BYTES (a port never reads /dev/zero or a FIFO). */
  readFile(path: string): string | undefined;
  /** Entry names of a directory, or undefined when it is not a readable directory. */
  listDir(path: string): string[] | undefined;
  /** What is at the path, from stat alone; undefined when nothing is. Existence checks (@file,
   *  %include, include) and the reason a read was refused come from here, never from a read. */
  stat(path: string): ConfFileStat | undefined;
}

export interface ConfFileUnit {
  path: string;
  parsed: ParsedConf;
  /** The directive that pulled this file in (undefined for the main file). */
  includedBy?: { file: string; directive: ConfInclude };
}

export interface IncludeProblem {
  /** PGC003 include file missing, PGC004 nesting too deep or an include loop, PGC006 include
   *  budget spent, PGC007 include target not a regular file of at most 10 MB. */
  code: 'PGC003' | 'PGC004' | 'PGC006' | 'PGC007';
  file: string;
  range: SourceRange;
  message: string;
}

/** The files in the order the server reads them, each item once, plus include problems. */
export interface ConfTree {
  files: ConfFileUnit[];
  /** Settings and directives in the server's reading order, each with its file. */
  order: { file: string; item: ParsedConf['items'][number] }[];
  problems: IncludeProblem[];
  /** What the resolution read: files (the main one included) and characters. */
  read: { files: number; chars: number };
}

/** A real configuration file is far under this; anything larger is refused, never read. */
export const MAX_CONF_FILE_BYTES = 10 * 1024 * 1024;
/** Includes are followed until this many files or characters have been read in one resolution:
 *  a file included five times by itself would otherwise be read 5^10 times. */
export const MAX_INCLUDED_FILES = 1000;
export const MAX_INCLUDED_CHARS = 64 * 1024 * 1024;

const MAX_DEPTH = 10;

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

function dirnameOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  if (i < 0) return '.';
  return i === 0 ? p.slice(0, 1) : p.slice(0, i);
}

/** Joins and removes "." and ".." segments (canonicalize_path's job). */
export function joinPath(dir: string, rel: string): string {
  if (isAbsolutePath(rel)) return rel;
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const parts = `${dir}${sep}${rel}`.split(/[\\/]+/);
  const out: string[] = [];
  for (const part of parts) {
    if (part === '.' || (part === '' && out.length > 0)) continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(part);
  }
  return out.join(sep) || sep;
}

/** Why what stat describes is not read as a configuration file, or undefined when it is one. */
export function confFileRefusal(st: ConfFileStat): string | undefined {
  if (st.kind === 'directory') return 'is a directory';
  if (st.kind !== 'file') return `is a ${st.kind}, not a regular file`;
  if (st.size > MAX_CONF_FILE_BYTES) return `is larger than ${MAX_CONF_FILE_BYTES / 1024 / 1024} MB (${st.size} bytes): not a configuration file`;
  return undefined;
}

type Frame =
  | { kind: 'file'; path: string; items: ParsedConf['items']; next: number; depth: number }
  | { kind: 'dir'; files: string[]; next: number; depth: number; directive: ConfInclude; from: string };

/**
 * Iterative depth-first walk (a deep chain never touches the call stack) over an explicit stack
 * whose file frames are the include chain: a file already on it is a loop, reported at the
 * include line and not followed; a budget of files and characters stops any fan-out.
 */
export function resolveConfTree(mainPath: string, mainText: string, fs?: ConfFileSystem, preParsed?: ParsedConf): ConfTree {
  const tree: ConfTree = { files: [], order: [], problems: [], read: { files: 1, chars: mainText.length } };
  const stack: Frame[] = [];
  const chain = new Map<string, number>(); // path → frames of it on the stack
  let spent = false;
  const enter = (path: string, parsed: ParsedConf, depth: number, includedBy?: ConfFileUnit['includedBy']) => {
    tree.files.push({ path, parsed, includedBy });
    stack.push({ kind: 'file', path, items: parsed.items, next: 0, depth });
    chain.set(path, (chain.get(path) ?? 0) + 1);
  };
  /** Reads one include target; `quiet` for what the server skips silently when missing. */
  const follow = (target: string, directive: ConfInclude, from: string, depth: number, quiet: boolean) => {
    const problem = (code: IncludeProblem['code'], message: string) => tree.problems.push({ code, file: from, range: directive.pathRange, message });
    const what = `${directive.kind} '${directive.path}'`;
    if (chain.has(target)) {
      const loop = [...stack.flatMap((f) => (f.kind === 'file' ? [f.path] : [])), target].map(baseName).join(' → ');
      return problem(
        'PGC004',
        `${what}: include loop (${loop}): PostgreSQL follows it 10 levels deep, then fails with "could not open configuration file \"${target}\": maximum nesting depth exceeded"`,
      );
    }
    if (spent) return;
    if (tree.read.files >= MAX_INCLUDED_FILES || tree.read.chars >= MAX_INCLUDED_CHARS) {
      spent = true;
      return problem(
        'PGC006',
        `${what}: pgdba stopped following includes after ${tree.read.files} files (${tree.read.chars} characters); includes that fan out like this make PostgreSQL read the same files over and over: include each file once`,
      );
    }
    const text = fs?.readFile(target);
    if (text === undefined) {
      const st = fs?.stat(target);
      if (quiet && st?.kind === 'directory') return; // include_dir skips subdirectories, as the server does
      const refusal = st === undefined ? undefined : confFileRefusal(st);
      if (refusal) problem('PGC007', `${what}: ${target} ${refusal}; pgdba does not read it`);
      else if (!quiet) problem('PGC003', `${what}: file ${target} ${st === undefined ? 'does not exist' : 'cannot be read'}`);
      return;
    }
    tree.read.files++;
    tree.read.chars += text.length;
    enter(target, parseConf(text), depth, { file: from, directive });
  };
  enter(mainPath, preParsed ?? parseConf(mainText), 0);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.kind === 'dir') {
      const target = top.files[top.next++];
      if (target === undefined) stack.pop();
      else follow(target, top.directive, top.from, top.depth, true); // unreadable entries were skipped before too
      continue;
    }
    const item = top.items[top.next++];
    if (item === undefined) {
      stack.pop();
      const left = (chain.get(top.path) ?? 1) - 1;
      if (left === 0) chain.delete(top.path);
      else chain.set(top.path, left);
      continue;
    }
    tree.order.push({ file: top.path, item });
    if (item.kind === 'setting' || !fs) continue;
    const target = joinPath(dirnameOf(top.path), item.path);
    if (top.depth + 1 > MAX_DEPTH) {
      tree.problems.push({
        code: 'PGC004',
        file: top.path,
        range: item.pathRange,
        message: `${item.kind} '${item.path}': nesting deeper than ${MAX_DEPTH} files (an include loop?); PostgreSQL stops here`,
      });
      continue;
    }
    if (item.kind === 'include_dir') {
      const names = fs.listDir(target);
      if (names === undefined) {
        tree.problems.push({
          code: 'PGC003',
          file: top.path,
          range: item.pathRange,
          message: `include_dir '${item.path}': directory ${target} does not exist or cannot be read`,
        });
        continue;
      }
      const confs = names.filter((n) => n.endsWith('.conf') && !n.startsWith('.')).sort(byteOrder);
      stack.push({ kind: 'dir', files: confs.map((n) => joinPath(target, n)), next: 0, depth: top.depth + 1, directive: item, from: top.path });
    } else {
      follow(target, item, top.path, top.depth + 1, item.kind === 'include_if_exists');
    }
  }
  return tree;
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
