// The test server's profile as the runner put it in pgdba.connections, and a pg client to it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import pg from 'pg';
import { ENV } from '../protocol';

export interface Conn {
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
}

export function testConn(): Conn {
  const profile = process.env[ENV.profile];
  const c = vscode.workspace
    .getConfiguration('pgdba')
    .get<Conn[]>('connections', [])
    .find((x) => x.name === profile);
  assert.ok(c, `profile ${profile ?? '?'} is not in pgdba.connections`);
  return c;
}

/** The runner gives the host the test server's password in PGPASSWORD. */
export async function client(c: Conn, user = c.user, password = process.env.PGPASSWORD): Promise<pg.Client> {
  const cl = new pg.Client({ host: c.host, port: c.port, database: c.database, user, password });
  await cl.connect();
  return cl;
}

/**
 * A setting as a new session sees it, polled until `done` says so (at most 10 s): the postmaster
 * re-reads the files on SIGHUP a moment after pg_reload_conf(). The last value read, done or not.
 */
export async function settingOnceReloaded(name: string, done: (value: string) => boolean): Promise<string> {
  let value = '';
  for (let i = 0; i < 100; i++) {
    if (i) await new Promise((r) => setTimeout(r, 100));
    const c = await client(testConn());
    try {
      value = (await c.query<{ v: string }>('SELECT current_setting($1) AS v', [name])).rows[0]!.v;
    } finally {
      await c.end();
    }
    if (done(value)) break;
  }
  return value;
}

/**
 * Profiles added to pgdba.connections (every other connection left as it is:
 * Connections.settingsChanged), once the extension has read the change, so that the tree knows
 * them. Returns the list before, to put back.
 */
export async function addConnections(added: object[]): Promise<unknown[]> {
  const cfg = vscode.workspace.getConfiguration('pgdba');
  const before = cfg.inspect<unknown[]>('connections')?.globalValue ?? [];
  const changed = new Promise<void>((resolve) => {
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('pgdba.connections')) return;
      sub.dispose();
      resolve();
    });
  });
  await cfg.update('connections', [...before, ...added], vscode.ConfigurationTarget.Global);
  await changed;
  return before;
}
