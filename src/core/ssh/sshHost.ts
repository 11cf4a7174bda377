// HostAccess over the hop: commands through the session's exec channel (each argv word quoted
// once, shellQuote.ts), files through SFTP. Every operation has a deadline; a permission refusal
// is a HostPermissionError naming the path.
import type { SFTPWrapper, Stats } from 'ssh2';
import type { ExecOptions, ExecResult, HostAccess, HostStat } from '../host/hostAccess';
import { readBounded, type BoundedRead } from '../host/readBounded';
import { HostPermissionError } from '../host/hostAccess';
import { shellCommand } from './shellQuote';
import { withDeadline, type SshSession } from './sshSession';

/** Each SFTP request's deadline: a file operation that gets no answer is an error, not a wait. */
export const SFTP_TIMEOUT_MS = 30_000;
const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;
const CHUNK = 32 * 1024;

export class SshHost implements HostAccess {
  readonly kind = 'ssh' as const;
  readonly label: string;
  private released = false;

  /** Takes over one reference to the session; release() gives it back. */
  constructor(private readonly session: SshSession) {
    this.label = session.label;
  }

  async exec(argv: readonly string[], opts: ExecOptions): Promise<ExecResult> {
    const command = shellCommand(argv);
    const maxBytes = opts.maxBytes ?? 16 * 1024 * 1024;
    const started = Date.now();
    const ch = await this.session.exec(command, opts.timeoutMs);
    return new Promise<ExecResult>((resolve, reject) => {
      const out: Buffer[] = [];
      let outBytes = 0;
      let err = '';
      let failure: Error | undefined;
      let code: number | undefined;
      let done = false;
      const finish = () => {
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      // The deadline is the caller's: it rejects now, whatever the remote side does with the signal.
      const stop = (e: Error) => {
        if (done) return;
        finish();
        ch.signal('KILL');
        ch.close();
        reject(e);
      };
      const timer = setTimeout(
        () => stop(new Error(`${argv[0]} on ${this.label} did not finish within ${Math.round(opts.timeoutMs / 1000)} s`)),
        Math.max(0, opts.timeoutMs - (Date.now() - started)),
      );
      const onAbort = () => stop(new Error(`${argv[0]} on ${this.label} was cancelled`));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      ch.on('data', (b: Buffer) => {
        if (done) return;
        outBytes += b.length;
        if (outBytes > maxBytes) return stop(new Error(`${argv[0]} on ${this.label} printed more than ${maxBytes} bytes`));
        out.push(b);
      });
      ch.stderr.on('data', (b: Buffer) => {
        if (err.length < 64 * 1024) err += b.toString('utf8');
      });
      ch.on('exit', (c: number | null, signal?: string) => {
        code = c ?? (signal ? 128 + 9 : 1);
      });
      ch.on('error', (e: Error) => (failure ??= e));
      // ssh2 passes the exit status to 'close' as well: a fast command's exit-status can arrive in the
      // same read as the exec's reply, and be emitted before these listeners exist (they are
      // attached after the await above; the output is buffered by the stream, 'exit' is not).
      ch.on('close', (closeCode?: number | null, closeSignal?: string) => {
        if (done) return;
        finish();
        if (code === undefined && closeCode !== undefined) code = closeCode ?? (closeSignal ? 128 + 9 : 1);
        if (failure) return reject(failure);
        if (code === undefined) return reject(new Error(`${argv[0]} on ${this.label}: the connection ended before the command's exit status`));
        resolve({ code, stdout: Buffer.concat(out), stderr: err });
      });
      ch.end(opts.stdin);
    });
  }

  async stat(path: string): Promise<HostStat | undefined> {
    try {
      const s = await this.sftpCall<Stats>('read', path, (sftp, cb) => sftp.stat(path, cb));
      return { size: s.size, mode: s.mode, uid: s.uid, gid: s.gid, mtimeMs: s.mtime * 1000, isFile: s.isFile(), isDirectory: s.isDirectory() };
    } catch (e) {
      if ((e as { code?: number }).code === SFTP_NO_SUCH_FILE) return undefined;
      throw e;
    }
  }

  async readFile(path: string, opts: BoundedRead): Promise<Buffer> {
    const handle = await this.sftpCall<Buffer>('read', path, (sftp, cb) => sftp.open(path, 'r', cb));
    try {
      const st = await this.sftpCall<Stats>('read', path, (sftp, cb) => sftp.fstat(handle, cb));
      return await readBounded(
        st.size,
        opts,
        CHUNK,
        (buf, position) => this.sftpCall<number>('read', path, (sftp, cb) => sftp.read(handle, buf, 0, buf.length, position, (e, bytes) => cb(e, bytes))),
        (size) => new Error(`${path} on ${this.label} is ${size} bytes, more than the ${opts.maxBytes} this read allows`),
      );
    } finally {
      await this.sftpCall('read', path, (sftp, cb) => sftp.close(handle, cb)).catch(() => undefined);
    }
  }

  async writeFile(path: string, data: Buffer, opts: { mode: number }): Promise<void> {
    const handle = await this.sftpCall<Buffer>('write', path, (sftp, cb) => sftp.open(path, 'w', opts.mode, cb));
    try {
      for (let at = 0; at < data.length; at += CHUNK) {
        const n = Math.min(CHUNK, data.length - at);
        await this.sftpCall('write', path, (sftp, cb) => sftp.write(handle, data, at, n, at, cb));
      }
    } finally {
      await this.sftpCall('write', path, (sftp, cb) => sftp.close(handle, cb)).catch(() => undefined);
    }
  }

  /** Replaces `to` as rename(2) does (OpenSSH's posix-rename; plain SFTP rename refuses an existing target). */
  async rename(from: string, to: string): Promise<void> {
    await this.sftpCall('write', to, (sftp, cb) => sftp.ext_openssh_rename(from, to, cb));
  }

  async chmod(path: string, mode: number): Promise<void> {
    await this.sftpCall('write', path, (sftp, cb) => sftp.chmod(path, mode, cb));
  }

  async unlink(path: string): Promise<void> {
    try {
      await this.sftpCall('write', path, (sftp, cb) => sftp.unlink(path, cb));
    } catch (e) {
      if ((e as { code?: number }).code !== SFTP_NO_SUCH_FILE) throw e;
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.session.release();
  }

  /** One SFTP request with its deadline; "permission denied" becomes HostPermissionError. */
  private async sftpCall<T = void>(
    operation: 'read' | 'write',
    path: string,
    fn: (sftp: SFTPWrapper, cb: (e: Error | undefined | null, v?: T) => void) => void,
  ): Promise<T> {
    if (this.released) throw new Error(`the access to ${this.label} was released`);
    const sftp = await this.session.sftp();
    const p = new Promise<T>((resolve, reject) => fn(sftp, (e, v) => (e ? reject(e) : resolve(v as T))));
    try {
      return await withDeadline(p, SFTP_TIMEOUT_MS, `SFTP on ${this.label} did not answer for ${path} within ${SFTP_TIMEOUT_MS / 1000} s`);
    } catch (e) {
      if ((e as { code?: number }).code === SFTP_PERMISSION_DENIED) throw new HostPermissionError(path, operation, this.label);
      throw e;
    }
  }
}
