// One profile's server as the explorer sees it: its version and its machine's facts (each read
// once per connection), the health checks' warnings and criticals (read in the background, kept
// for HEALTH_ALERTS_TTL_MS) and pools for any of its databases.
import { DEFAULT_PG_VERSION_NUM } from '../../core/pgMajor';
import type pg from 'pg';
import { readServerVersion, type ServerVersion } from '../../core/db/serverInfo';
import { readRunningValues } from '../../core/stats/runningValues';
import type { ConnectionProfile } from '../../core/db/profile';
import { readServerFacts, type HostFacts } from '../../core/host/facts';
import { ALERT_CHECKS, runChecks, type Finding } from '../../core/health';
import type { Thresholds } from '../../core/stats/thresholds';
import type { Ctx } from '../ctx';

/** How long the health checks' alerts stand before a refresh reads them again: they move by the hour, not the second. */
export const HEALTH_ALERTS_TTL_MS = 5 * 60_000;

export class ServerSession {
  private version?: ServerVersion;
  private running?: Promise<Readonly<Record<string, string>>>;
  private runningRead?: Readonly<Record<string, string>>;
  private host?: Promise<HostFacts>;
  private health?: { at: number; key: string; findings: Promise<Finding[]> };
  private healthRead?: Finding[];

  constructor(
    private readonly ctx: Ctx,
    readonly profile: ConnectionProfile,
  ) {}

  /** Reads server_version_num (once); throws ConnectFailure when unreachable. */
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

  /** Runs fn on the profile's database, or another database of the same server (a pool: the health checks take one). */
  run<T>(fn: (q: pg.Pool, versionNum: number) => Promise<T>, database?: string): Promise<T> {
    return this.serverVersion().then((v) => this.ctx.connections.use(this.profile, (pool) => fn(pool, v.num), database));
  }

  /** pg_settings.setting by name, read once per connection (forget() reads them again). */
  runningValues(): Promise<Readonly<Record<string, string>>> {
    const p = (this.running ??= this.run((q, versionNum) => readRunningValues(q, { versionNum })));
    void p.then(
      (v) => {
        if (this.running === p) this.runningRead = v;
      },
      () => {
        if (this.running === p) this.running = undefined; // unreachable now: try again next time
      },
    );
    return p;
  }

  /** The running values already read, if any. */
  get knownRunningValues(): Readonly<Record<string, string>> | undefined {
    return this.runningRead;
  }

  /** The server machine's facts, read once per connection (the profile's SSH hop, this machine, or SQL). */
  hostFacts(): Promise<HostFacts> {
    const p = (this.host ??= this.ctx.connections.use(this.profile, (pool) =>
      readServerFacts({ profile: this.profile, db: pool, openSsh: () => Promise.resolve(this.ctx.connections.host(this.profile)) }),
    ));
    p.catch(() => {
      if (this.host === p) this.host = undefined; // try again next time
    });
    return p;
  }

  /**
   * #15's checks at warning or critical, the worst first: read once, then kept for
   * HEALTH_ALERTS_TTL_MS (the interval's refresh keeps them, a refresh asked for drops them) or
   * until the thresholds change; a failed read is tried again next time.
   */
  healthAlerts(thresholds: Thresholds): Promise<Finding[]> {
    const h = this.health;
    const key = JSON.stringify(thresholds);
    if (h && h.key === key && Date.now() - h.at < HEALTH_ALERTS_TTL_MS) return h.findings;
    const findings = this.run((pool) => runChecks({ pool, checks: ALERT_CHECKS, thresholds })).then((all) =>
      all.filter((f) => f.level === 'warning' || f.level === 'critical').sort((a, b) => (a.level === b.level ? 0 : a.level === 'critical' ? -1 : 1)),
    );
    const entry = { at: Date.now(), key, findings };
    this.health = entry;
    findings.then(
      (v) => {
        if (this.health === entry) this.healthRead = v;
      },
      () => {
        if (this.health === entry) this.health = undefined;
      },
    );
    return findings;
  }

  /** The health checks' alerts last read, if any (the badge counts them before a new read ends). */
  get knownHealthAlerts(): readonly Finding[] | undefined {
    return this.healthRead;
  }

  /** keepHealth: the health checks' alerts stand until their time to live is over (the interval's refresh). */
  forget(o: { keepHealth?: boolean } = {}): void {
    if (!o.keepHealth) this.health = undefined; // the last ones stay counted until the new ones are read
    this.version = undefined;
    this.running = undefined; // the last values stay in use until the new ones are read
    this.host = undefined;
  }
}

/** The version already read (nodes below a server node exist only after it was). */
export function knownVersionNum(s: ServerSession): number {
  return s.knownVersion?.num ?? DEFAULT_PG_VERSION_NUM;
}
