// HostAccess for this machine: fs and child processes without a shell.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { promises as fs, constants as fsConstants } from 'node:fs';
import type { ExecOptions, ExecResult, HostAccess, HostStat } from './hostAccess';
import { HostPermissionError } from './hostAccess';
import { readBounded, type BoundedRead } from './readBounded';

const LABEL = 'this machine';

function mapError(e: unknown, path: string, operation: 'read' | 'write'): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') throw new HostPermissionError(path, operation, LABEL);
  throw e;
}

export const localHost: HostAccess = {
  kind: 'local',
  label: LABEL,

  exec(argv: readonly string[], opts: ExecOptions): Promise<ExecResult> {
    if (argv.length === 0) return Promise.reject(new Error('exec: empty command'));
    const maxBytes = opts.maxBytes ?? 16 * 1024 * 1024;
    return new Promise((resolve, reject) => {
      const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(argv[0] as string, argv.slice(1), {
        stdio: ['pipe', 'pipe', 'pipe'],
        signal: opts.signal,
      });
      const out: Buffer[] = [];
      let outBytes = 0;
      let err = '';
      let failure: Error | undefined;
      const timer = setTimeout(() => {
        failure = new Error(`${argv[0]} did not finish within ${Math.round(opts.timeoutMs / 1000)} s`);
        child.kill('SIGKILL');
      }, opts.timeoutMs);
      child.stdout.on('data', (b: Buffer) => {
        outBytes += b.length;
        if (outBytes > maxBytes) {
          failure ??= new Error(`${argv[0]} printed more than ${maxBytes} bytes`);
          child.kill('SIGKILL');
          return;
        }
        out.push(b);
      });
      child.stderr.on('data', (b: Buffer) => {
        if (err.length < 64 * 1024) err += b.toString('utf8');
      });
      child.once('error', (e: Error) => {
        failure ??= e;
      });
      child.once('close', (code: number | null, sig: NodeJS.Signals | null) => {
        clearTimeout(timer);
        if (failure) return reject(failure);
        resolve({ code: code ?? (sig ? 128 + 9 : 1), stdout: Buffer.concat(out), stderr: err });
      });
      child.stdin.on('error', () => {}); // a command that exits without reading its input
      child.stdin.end(opts.stdin);
    });
  },

  async stat(path: string): Promise<HostStat | undefined> {
    try {
      const s = await fs.stat(path);
      return { size: s.size, mode: s.mode, uid: s.uid, gid: s.gid, mtimeMs: s.mtimeMs, isFile: s.isFile(), isDirectory: s.isDirectory(), ino: s.ino };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return mapError(e, path, 'read');
    }
  },

  async readFile(path: string, opts: BoundedRead): Promise<Buffer> {
    let fh: fs.FileHandle | undefined;
    try {
      const h = (fh = await fs.open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK));
      const st = await h.stat();
      return await readBounded(
        st.size,
        opts,
        1024 * 1024,
        async (buf, position) => (await h.read(buf, 0, buf.length, position)).bytesRead,
        (size) => new Error(`${path} is ${size} bytes, more than the ${opts.maxBytes} this read allows`),
      );
    } catch (e) {
      return mapError(e, path, 'read');
    } finally {
      await fh?.close();
    }
  },

  async writeFile(path: string, data: Buffer, opts: { mode: number }): Promise<void> {
    try {
      await fs.writeFile(path, data, { mode: opts.mode });
    } catch (e) {
      mapError(e, path, 'write');
    }
  },

  async rename(from: string, to: string): Promise<void> {
    try {
      await fs.rename(from, to);
    } catch (e) {
      mapError(e, to, 'write');
    }
  },

  async chmod(path: string, mode: number): Promise<void> {
    try {
      await fs.chmod(path, mode);
    } catch (e) {
      mapError(e, path, 'write');
    }
  },

  async unlink(path: string): Promise<void> {
    try {
      await fs.unlink(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      mapError(e, path, 'write');
    }
  },

  release(): void {},
};
