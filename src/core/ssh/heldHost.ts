// A profile's machine over its SSH hop, under the profile's own hold on the session (SshHops'
// holder, released with the profile's pools): each call takes the profile's current session, so
// an access kept by an open editor or a dashboard outlives a dropped and reconnected session. A
// call whose session was released under it (the profile's settings changed, Refresh) is made once
// more on the holder's new session: always when nothing was sent yet, and for the reads (stat,
// readFile) also when the session ended mid-call.
import type { ExecOptions, ExecResult, HostAccess, HostStat } from '../host/hostAccess';
import type { BoundedRead } from '../host/readBounded';
import { SshHost } from './sshHost';
import { SessionClosedError, type SshSession } from './sshSession';

export class HeldHost implements HostAccess {
  readonly kind = 'ssh' as const;
  private last?: { session: SshSession; host: SshHost };

  constructor(
    readonly label: string,
    /** The holder's session (SshHops.sessionFor): connected, and held until the holder is released. */
    private readonly session: () => Promise<SshSession>,
  ) {}

  private async host(): Promise<SshHost> {
    const session = await this.session();
    // The SshHost borrows the holder's reference: it is never released here (release() is the holder's).
    if (this.last?.session !== session) this.last = { session, host: new SshHost(session) };
    return this.last.host;
  }

  /** fn on the current session; once more on a new one when the session it used was released under it. */
  private async onSession<T>(fn: (host: SshHost) => Promise<T>, read: boolean): Promise<T> {
    const host = await this.host();
    try {
      return await fn(host);
    } catch (e) {
      const session = this.last?.host === host ? this.last.session : undefined;
      if (!(e instanceof SessionClosedError) && !(read && session?.isClosed)) throw e;
      return fn(await this.host());
    }
  }

  async exec(argv: readonly string[], opts: ExecOptions): Promise<ExecResult> {
    return this.onSession((h) => h.exec(argv, opts), false);
  }
  async stat(path: string): Promise<HostStat | undefined> {
    return this.onSession((h) => h.stat(path), true);
  }
  async readFile(path: string, opts: BoundedRead): Promise<Buffer> {
    return this.onSession((h) => h.readFile(path, opts), true);
  }
  async writeFile(path: string, data: Buffer, opts: { mode: number }): Promise<void> {
    return (await this.host()).writeFile(path, data, opts);
  }
  async rename(from: string, to: string): Promise<void> {
    return (await this.host()).rename(from, to);
  }
  async chmod(path: string, mode: number): Promise<void> {
    return (await this.host()).chmod(path, mode);
  }
  async unlink(path: string): Promise<void> {
    return (await this.host()).unlink(path);
  }
  /** Nothing: the session is the holder's, given back by SshHops.release(holder). */
  release(): void {}
}
