// Owns one pg.Pool per profile, built lazily and dropped when settings change.
import * as vscode from 'vscode';
import type pg from 'pg';
import { createPool, describeConnectError } from '../core/db/pool';
import { resolvePassword } from '../core/db/passwordSource';
import type { ConnectionProfile } from '../core/db/profile';
import type { PgdbaConfig } from './config';

export class ConnectionError extends Error {}

export class Connections implements vscode.Disposable {
  private readonly pools = new Map<string, pg.Pool>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private config: () => PgdbaConfig,
  ) {}

  profiles(): ConnectionProfile[] {
    return this.config().connections;
  }

  find(name: string): ConnectionProfile | undefined {
    return this.profiles().find((p) => p.name === name);
  }

  /** A pool for the profile; the first query proves the connection. */
  async pool(profile: ConnectionProfile): Promise<pg.Pool> {
    const existing = this.pools.get(profile.name);
    if (existing) return existing;
    const { password } = await resolvePassword(profile, this.secrets);
    const pool = createPool(profile, { password, statementTimeoutMs: this.config().queryTimeoutMs });
    this.pools.set(profile.name, pool);
    return pool;
  }

  /** Runs fn with the profile's pool; connection failures become a ConnectionError with words a person can act on. */
  async use<T>(profile: ConnectionProfile, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
    const pool = await this.pool(profile);
    try {
      return await fn(pool);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code && /^(E[A-Z]+|28P01|28000|3D000)$/.test(code)) {
        // A pool that never connected may hold a stale password: build a new one next time.
        this.drop(profile.name);
        throw new ConnectionError(describeConnectError(e, profile));
      }
      if (/password must be a string|SASL/i.test((e as Error).message ?? '')) {
        this.drop(profile.name);
        throw new ConnectionError(describeConnectError(e, profile));
      }
      throw e;
    }
  }

  drop(name: string): void {
    const pool = this.pools.get(name);
    this.pools.delete(name);
    void pool?.end().catch(() => undefined);
  }

  reset(): void {
    for (const name of [...this.pools.keys()]) this.drop(name);
  }

  dispose(): void {
    this.reset();
  }
}
