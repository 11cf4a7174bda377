// The directory backups (a safety backup, the schedule's files) are written into: made when
// missing, and when a file stands in the way, words that name it instead of EEXIST / ENOTDIR.
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeWriteError } from './errors';

/** `what`: the files the directory is for ("the backups"), said in the error. */
export async function ensureOutputDir(dir: string, what: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw new Error(describeWriteError(e, dir));
    await checkOutputDir(dir, what);
    throw new Error(`${resolve(dir)} cannot be made a directory: choose a directory for ${what}`);
  }
}

/** The same refusal without making anything: for a directory written to only later. */
export async function checkOutputDir(dir: string, what: string): Promise<void> {
  const file = await fileInTheWay(dir);
  if (file) throw new Error(`${file} is a file, not a directory: choose a directory for ${what}`);
}

/** The first path on the way to dir, from the root down, that exists and is not a directory. */
async function fileInTheWay(dir: string): Promise<string | undefined> {
  const chain: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of chain) {
    const st = await stat(p).catch(() => undefined);
    if (!st) return undefined; // the rest is made by mkdir
    if (!st.isDirectory()) return p;
  }
  return undefined;
}
