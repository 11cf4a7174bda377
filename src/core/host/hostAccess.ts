// The server's machine as pgdba reaches it: this machine (the server is local, or VS Code runs on
// it through Remote-SSH) or the profile's SSH hop. Host facts, the server's own files, its log and
// the nightly job's status all go through this one port, so each works the same both ways.
// Commands are argv arrays, never shell text: the SSH implementation quotes each word for the
// remote shell itself (one place), the local one spawns without a shell.
import type { BoundedRead } from './readBounded';

export type HostKind = 'local' | 'ssh';

export interface ExecResult {
  /** Exit code; a signal is 128 + n. */
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface ExecOptions {
  /** Deadline of the whole command; it is killed after it. Required: every wait has one. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Output past this is an error, not a truncated success. */
  maxBytes?: number;
  stdin?: Buffer;
}

export interface HostStat {
  size: number;
  /** Permission bits and type, as stat(2) gives them. */
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
  /** The inode where the host gives one (a log's rotation is a new inode under the same name). */
  ino?: number;
}

export interface HostAccess {
  readonly kind: HostKind;
  /** How the host is named to a person: "this machine" or "deploy@db1.example.com:22". */
  readonly label: string;
  exec(argv: readonly string[], opts: ExecOptions): Promise<ExecResult>;
  /** Undefined when the path does not exist; any other failure throws with the reason. */
  stat(path: string): Promise<HostStat | undefined>;
  /**
   * Reads at most `maxBytes` (a larger file throws, naming its size); `offset` for incremental reads.
   * With `length`, a chunk: at most `length` bytes from `offset` (fewer at the end), never a throw for the size.
   */
  readFile(path: string, opts: BoundedRead): Promise<Buffer>;
  /** Creates or truncates `path` with `mode` (only when created) and writes `data`. Not atomic: see writeFileAtomic. */
  writeFile(path: string, data: Buffer, opts: { mode: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Frees what the access holds (an SSH session's reference); the local one holds nothing. */
  release(): void;
}

/** The one error a host operation throws when it is refused by permissions, with the path. */
export class HostPermissionError extends Error {
  constructor(
    readonly path: string,
    readonly operation: 'read' | 'write',
    readonly host: string,
  ) {
    super(`${host}: permission denied to ${operation} ${path}`);
    this.name = 'HostPermissionError';
  }
}
