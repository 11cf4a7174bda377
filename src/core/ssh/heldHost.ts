// A profile's machine over its SSH hop, under the profile's own hold on the session (SshHops'
// holder, released with the profile's pools): each call takes the profile's current session, so
// an access kept by an open editor or a dashboard outlives a dropped and reconnected session.
import type { ExecOptions, ExecResult, HostAccess, HostStat } from '../host/hostAccess';
import type { BoundedRead } from '../host/readBounded';
import { SshHost } from './sshHost';
import type { SshSession } from './sshSession';

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

  async exec(argv: readonly string[], opts: ExecOptions): Promise<ExecResult> {
    return (await this.host()).exec(argv, opts);
  }
  async stat(path: string): Promise<HostStat | undefined> {
    return (await this.host()).stat(path);
  }
  async readFile(path: string, opts: BoundedRead): Promise<Buffer> {
    return (await this.host()).readFile(path, opts);
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
