// One profile's server as the explorer sees it: its version (read once per connection) and
// pools for any of its databases.
import type { Queryable } from '../../core/stats/sql';
import { readServerVersion, type ServerVersion } from '../../core/db/serverInfo';
import type { ConnectionProfile } from '../../core/db/profile';
import type { Ctx } from '../ctx';

export class ServerSession {
  private version?: ServerVersion;

  constructor(
    private readonly ctx: Ctx,
    readonly profile: ConnectionProfile,
  ) {}

  /** Reads server_version_num (once); throws ConnectionError with words when unreachable. */
  async serverVersion(): Promise<ServerVersion> {
    this.version ??= await this.ctx.connections.use(this.profile, (pool) => readServerVersion(pool));
    return this.version;
  }

  get knownVersion(): ServerVersion | undefined {
    return this.version;
  }

  async versionNum(): Promise<number> {
    return (await this.serverVersion()).num;
  }

  /** Runs fn on the profile's database, or another database of the same server. */
  run<T>(fn: (q: Queryable, versionNum: number) => Promise<T>, database?: string): Promise<T> {
    return this.serverVersion().then((v) => this.ctx.connections.use(this.profile, (pool) => fn(pool, v.num), database));
  }

  forget(): void {
    this.version = undefined;
  }
}

/** The version already read (nodes below a server node exist only after it was). */
export function knownVersionNum(s: ServerSession): number {
  return s.knownVersion?.num ?? 160000;
}
