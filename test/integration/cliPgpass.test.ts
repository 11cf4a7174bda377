// The built CLI with a real PGPASSFILE against a real server: pgdba reads the file with its own
// reader (libpq's rules) and node-postgres never reads it, so its deprecation warning never shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCliBundle } from '../support/cliBundle';
import { getTestServer, type TestServer } from '../support/testServer';
import { tempDir } from '../support/tempDir';

const DIR = tempDir('cli-pgpass');
const CLI = join(DIR, 'cli.js');
const PGPASS = join(DIR, 'pgpass');
const WARNING = /pgpass support is deprecated|DeprecationWarning/;
let srv: TestServer;
let u: URL;

before(async () => {
  await buildCliBundle(CLI);
  // A run without a password waits for the server to drop the half-authenticated connection
  // (authentication_timeout, 1 min by default; reported apart): 5 s keeps the test short.
  srv = await getTestServer({ settings: { authentication_timeout: '5s' } });
  u = new URL(srv.url);
});
after(() => srv?.stop());

/** The CLI with PGPASSFILE and no PGPASSWORD; the URL carries no password. */
function pgdba(pgpass: string, ...args: string[]): { code: number | null; out: string; err: string } {
  writeFileSync(PGPASS, pgpass);
  chmodSync(PGPASS, 0o600);
  const env: NodeJS.ProcessEnv = { ...process.env, PGPASSFILE: PGPASS };
  delete env.PGPASSWORD;
  const url = `postgres://${u.username}@${u.hostname}:${u.port}/postgres`;
  const r = spawnSync(process.execPath, [CLI, ...args.map((a) => (a === 'URL' ? url : a))], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('a matching PGPASSFILE line: explain and health connect, and stderr is empty', () => {
  const line = `${u.hostname}:${u.port}:*:${u.username}:${decodeURIComponent(u.password)}\n`;
  const explain = pgdba(line, 'explain', '--url', 'URL', '--sql', 'SELECT 1');
  assert.equal(explain.code, 0, explain.err);
  assert.match(explain.out, /^EXPLAIN ANALYZE: /m);
  assert.equal(explain.err, '');
  const health = pgdba(line, 'health', '--url', 'URL');
  assert.ok(health.code === 0 || health.code === 1, health.err);
  assert.doesNotMatch(health.err, WARNING);
  assert.equal(health.err, '');
});

test('a line libpq does not match (port "0…"): no password, said in pgdba words; pg never reads the file itself', () => {
  // node-postgres's own reader compares ports as numbers and would take this line (with its warning).
  const r = pgdba(`${u.hostname}:0${u.port}:*:${u.username}:${decodeURIComponent(u.password)}\n`, 'explain', '--url', 'URL', '--sql', 'SELECT 1');
  assert.notEqual(r.code, 0);
  assert.doesNotMatch(r.err, WARNING);
  assert.match(r.err, /No password for [^ ]+@127\.0\.0\.1:\d+: check PGPASSWORD or ~\/\.pgpass, or give it in --url/);
});
