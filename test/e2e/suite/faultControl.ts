// Host side of the fault test: stops the runner's second server and starts it again on the same
// port and data directory, as an outage and a recovery would.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ENV, type FaultServer } from '../protocol';
import { pidAlive } from '../../../src/core/backup/tempFiles';

export function faultServer(): FaultServer {
  const raw = process.env[ENV.fault];
  assert.ok(raw, `${ENV.fault} is not set: the runner started no fault-test server`);
  return JSON.parse(raw) as FaultServer;
}

function postmasterPid(f: FaultServer): number | undefined {
  const file = join(f.dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return pid > 0 ? pid : undefined;
}

/** A fast shutdown (SIGINT), as `pg_ctl stop -m fast`; resolves when the postmaster is gone. */
export async function stopServer(f: FaultServer): Promise<void> {
  const pid = postmasterPid(f);
  assert.ok(pid && pidAlive(pid), 'the fault-test server is not running');
  process.kill(pid, 'SIGINT');
  const until = Date.now() + 30_000;
  while (pidAlive(pid)) {
    assert.ok(Date.now() < until, 'the fault-test server did not stop within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts the postmaster again, as the data directory's owner, and waits until it accepts logins. */
export async function startServer(f: FaultServer): Promise<void> {
  const owner = statSync(f.dataDir);
  const args = ['-D', f.dataDir, '-p', String(f.port)];
  for (const [k, v] of Object.entries(f.settings)) args.push('-c', `${k}=${v}`);
  const child = spawn(join(f.binDir, 'bin', 'postgres'), args, {
    uid: owner.uid,
    gid: owner.gid,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' },
  });
  child.unref();
  const until = Date.now() + 30_000;
  for (;;) {
    const c = new pg.Client({
      host: f.host,
      port: f.port,
      user: 'postgres',
      database: 'postgres',
      password: process.env.PGPASSWORD,
      connectionTimeoutMillis: 1000,
    });
    try {
      await c.connect();
      await c.end();
      return;
    } catch (e) {
      await c.end().catch(() => undefined);
      assert.ok(Date.now() < until, `the fault-test server did not come back within 30 s: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
