// Owns one pg.Pool per profile, built lazily and dropped when settings change.
import * as vscode from 'vscode';
import type pg from 'pg';
import { ConnectFailure, isConnectFailure } from '../core/db/connectError';
import { resolveConnection, withDatabase, type SshTunnelPort } from '../core/db/connection';
import { SshHops } from '../core/ssh/sshHops';
import { HeldHost } from '../core/ssh/heldHost';
import type { HostAccess } from '../core/host/hostAccess';
import { localHost } from '../core/host/localHost';
import { isLocalHost } from '../core/host/facts';
import { SshAuthError } from '../core/ssh/sshErrors';
import { forgetSshPassword, sshPrompts } from './sshPrompts';
import { createPool, isPgbouncerStartupRejection } from '../core/db/pool';
import type { ConnectionProfile } from '../core/db/profile';
import { changedProfiles, type PgdbaConfig } from './config';

const poolKey = (profile: string, database: string) => `${profile}\u0000${database}`;

export class Connections implements vscode.Disposable {
  private readonly pools = new Map<string, pg.Pool>();
  /** The loopback end of each pool's SSH tunnel: a failure names why the tunnel closed the connection. */
  private readonly vias = new Map<pg.Pool, { host: string; port: number }>();
  /** Profiles whose port turned out to be a PgBouncer: their pools skip statement_timeout. */
  private readonly bouncers = new Set<string>();

  /** Called when an idle connection of a profile loses its server (shutdown, crash, network). */
  private readonly lostListeners: ((profileName: string, reason: string) => void)[] = [];

  onConnectionLost(listener: (profileName: string, reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  /** The window's SSH sessions: one per hop, held by each profile that uses it until its pools are dropped. */
  private readonly hops: SshHops;
  /** The loopback end of a profile's SSH tunnel, for every resolveConnection of the window. */
  readonly tunnel: SshTunnelPort;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private config: () => PgdbaConfig,
  ) {
    this.hops = new SshHops({ prompts: sshPrompts(secrets) });
    this.tunnel = (p) => this.hops.endpoint(p);
  }

  profiles(): ConnectionProfile[] {
    return this.config().connections;
  }

  find(name: string): ConnectionProfile | undefined {
    return this.profiles().find((p) => p.name === name);
  }

  /** A pool for the profile (or another database on its server); the first query proves the connection. */
  async pool(profile: ConnectionProfile, database = profile.database): Promise<pg.Pool> {
    const key = poolKey(profile.name, database);
    const existing = this.pools.get(key);
    if (existing) return existing;
    const connection = await resolveConnection(withDatabase(profile, database), this.secrets, process.env, this.tunnel).catch(async (e: unknown) => {
      // A stored hop password the server refused is forgotten, so that the next attempt asks again.
      if (e instanceof SshAuthError) await forgetSshPassword(this.secrets, e.target);
      throw e;
    });
    const pool = createPool(connection, { statementTimeoutMs: this.config().queryTimeoutMs, pgbouncerCompatible: this.bouncers.has(profile.name) });
    pool.on('error', (e: Error) => {
      if (this.pools.get(key) !== pool) return; // already dropped
      this.drop(profile.name);
      this.lostListeners.forEach((l) => l(profile.name, e.message));
    });
    this.pools.set(key, pool);
    if (connection.via) this.vias.set(pool, connection.via);
    return pool;
  }

  /**
   * The machine of the profile's server: its SSH hop's (the profile's hold on the session, released
   * with its pools by drop; the next call connects again), or this machine for a local server (VS Code
   * Remote-SSH included). Its release() is a no-op: the profile holds it.
   */
  host(profile: ConnectionProfile): HostAccess {
    if (profile.ssh) return new HeldHost(profile.ssh, () => this.hops.sessionFor(profile));
    if (isLocalHost(profile.host)) return localHost;
    throw new Error(
      `${profile.name}'s server runs on ${profile.host}, not on this machine: give the profile an SSH hop ("ssh": "user@${profile.host}") to reach its machine, or open VS Code on that machine (Remote-SSH)`,
    );
  }

  /** Runs fn with a pool; connection failures become a ConnectFailure (shown with VS Code's advice by errorText). */
  async use<T>(profile: ConnectionProfile, fn: (pool: pg.Pool) => Promise<T>, database = profile.database): Promise<T> {
    const pool = await this.pool(profile, database);
    try {
      return await fn(pool);
    } catch (e) {
      if (isPgbouncerStartupRejection(e) && !this.bouncers.has(profile.name)) {
        // A PgBouncer at this port: connect again without the startup parameters it refuses.
        this.bouncers.add(profile.name);
        this.drop(profile.name);
        return this.use(profile, fn, database);
      }
      if (isConnectFailure(e)) {
        // A pool that never connected may hold a stale password: build a new one next time.
        this.drop(profile.name);
        const via = this.vias.get(pool);
        throw new ConnectFailure(e, { ...withDatabase(profile, database), ...(via ? { via } : {}) });
      }
      throw e;
    }
  }

  /** Drops every pool of the profile, and its hold on an SSH session (the next use connects afresh: a restarted sshd is found again). */
  drop(name: string): void {
    this.endPools((profile) => profile === name);
    this.hops.release(name);
  }

  private endPools(of: (profile: string) => boolean): void {
    for (const [key, pool] of [...this.pools]) {
      if (!of(key.split('\u0000')[0]!)) continue;
      this.pools.delete(key);
      this.vias.delete(pool);
      void pool.end().catch(() => undefined);
    }
  }

  /**
   * After a pgdba.* settings change: only the profiles whose settings changed (or that are gone) lose
   * their pools and their hold on an SSH session; a changed query timeout, which every pool carries,
   * ends the pools but keeps the sessions. Anything else (a lint or dashboard setting, a profile added)
   * leaves every connection as it is, so a read in flight over a hop is not cut under it.
   */
  settingsChanged(before: PgdbaConfig, after: PgdbaConfig): void {
    for (const name of changedProfiles(before, after)) this.drop(name);
    if (before.queryTimeoutMs !== after.queryTimeoutMs) this.endPools(() => true);
  }

  reset(): void {
    for (const pool of this.pools.values()) void pool.end().catch(() => undefined);
    this.pools.clear();
    this.vias.clear();
    this.hops.closeAll();
  }

  dispose(): void {
    this.reset();
  }
}
