// Follows include / include_if_exists / include_dir as PostgreSQL does (relative paths against the
// including file's directory; include_dir takes the *.conf files not starting with "." in byte
// order; nesting deeper than 10 is an error), through a small file-system port so the core
// stays testable without a disk.
import type { SourceRange } from '../lint/finding';
import { parseConf, type ConfInclude, type ParsedConf } from './confParser';

/** What the include resolver needs from a file system. */
export interface ConfFileSystem {
  /** The file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** Entry names of a directory, or undefined when it is not a readable directory. */
  listDir(path: string): string[] | undefined;
}

export interface ConfFileUnit {
  path: string;
  parsed: ParsedConf;
  /** The directive that pulled this file in (undefined for the main file). */
  includedBy?: { file: string; directive: ConfInclude };
}

export interface IncludeProblem {
  /** PGC003 include file missing, PGC004 nesting too deep. */
  code: 'PGC003' | 'PGC004';
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
}

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

export function resolveConfTree(mainPath: string, mainText: string, fs?: ConfFileSystem, preParsed?: ParsedConf): ConfTree {
  const tree: ConfTree = { files: [], order: [], problems: [] };
  const visit = (path: string, parsed: ParsedConf, depth: number, includedBy?: ConfFileUnit['includedBy']) => {
    tree.files.push({ path, parsed, includedBy });
    for (const item of parsed.items) {
      tree.order.push({ file: path, item });
      if (item.kind === 'setting' || !fs) continue;
      const target = joinPath(dirnameOf(path), item.path);
      const problem = (code: IncludeProblem['code'], message: string) => tree.problems.push({ code, file: path, range: item.pathRange, message });
      if (depth + 1 > MAX_DEPTH) {
        problem('PGC004', `${item.kind} '${item.path}': nesting deeper than ${MAX_DEPTH} files (an include loop?); PostgreSQL stops here`);
        continue;
      }
      if (item.kind === 'include_dir') {
        const names = fs.listDir(target);
        if (names === undefined) {
          problem('PGC003', `include_dir '${item.path}': directory ${target} does not exist or cannot be read`);
          continue;
        }
        const confs = names.filter((n) => n.endsWith('.conf') && !n.startsWith('.')).sort(byteOrder);
        for (const n of confs) readInto(joinPath(target, n), item, path, depth + 1);
      } else {
        const text = fs.readFile(target);
        if (text === undefined) {
          if (item.kind === 'include') problem('PGC003', `include '${item.path}': file ${target} does not exist or cannot be read`);
          continue; // include_if_exists: the server skips it with a log line
        }
        visit(target, parseConf(text), depth + 1, { file: path, directive: item });
      }
    }
  };
  const readInto = (target: string, directive: ConfInclude, from: string, depth: number) => {
    const text = fs?.readFile(target);
    if (text !== undefined) visit(target, parseConf(text), depth, { file: from, directive });
  };
  visit(mainPath, preParsed ?? parseConf(mainText), 0);
  return tree;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
