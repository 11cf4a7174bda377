// The ConfFileSystem port over the local disk (node:fs), for the CLI and the editor when the
// postgresql.conf being linted is a local file. Unreadable means undefined, never a throw: a
// missing include is a finding (PGC003), not a crash. Only a regular file of at most
// MAX_CONF_FILE_BYTES is ever read: /dev/zero, a FIFO or a directory named by an include (or
// given to `pgdba lint`) is refused from fstat of the opened descriptor, which a non-blocking open
// makes safe for a FIFO without a writer, and a file that grows after the check is cut at the cap.
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, statSync, type Stats } from 'node:fs';
import { MAX_CONF_FILE_BYTES, confFileRefusal, type ConfFileStat, type ConfFileSystem } from './confIncludes';

export type ConfReadResult = { text: string } | { error: string };

/** The text of a config file, or why it cannot be one: the one disk read of every config file. */
export function readConfFile(path: string): ConfReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    return { error: errnoText(e) };
  }
  try {
    const st = fstatSync(fd);
    const refusal = confFileRefusal(statOf(st));
    if (refusal) return { error: refusal };
    const buf = Buffer.alloc(Math.min(st.size, MAX_CONF_FILE_BYTES) + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
      if (got === buf.length) break;
    }
    if (got > MAX_CONF_FILE_BYTES) return { error: tooLarge(got) };
    return { text: buf.toString('utf8', 0, got) };
  } catch (e) {
    return { error: errnoText(e) };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number): string {
  return confFileRefusal({ kind: 'file', size }) ?? `has ${size} bytes`;
}

function statOf(st: Stats): ConfFileStat {
  const kind = st.isFile()
    ? 'file'
    : st.isDirectory()
      ? 'directory'
      : st.isFIFO()
        ? 'FIFO'
        : st.isCharacterDevice()
          ? 'character device'
          : st.isBlockDevice()
            ? 'block device'
            : st.isSocket()
              ? 'socket'
              : 'special file';
  return { kind, size: st.size };
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return e instanceof Error ? e.message : String(e);
}

export const nodeConfFileSystem: ConfFileSystem = {
  readFile(path: string): string | undefined {
    const r = readConfFile(path);
    return 'text' in r ? r.text : undefined; // missing or refused: reported by the include rule, from stat()
  },
  listDir(path: string): string[] | undefined {
    try {
      return readdirSync(path);
    } catch {
      return undefined; // not a readable directory: reported by the include rule
    }
  },
  stat(path: string): ConfFileStat | undefined {
    try {
      return statOf(statSync(path));
    } catch {
      return undefined;
    }
  },
};
