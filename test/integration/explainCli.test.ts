// `pgdba explain --url … --sql …` as a person runs it, on a real server: the run, its exit codes,
// the same safety rules as the editor (a write is rolled back; a refusal runs nothing), and a
// syntax error reported at its position.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { buildCliBundle } from '../support/cliBundle';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { tempDir } from '../support/tempDir';

const CLI = join(tempDir('explain-cli'), 'cli.js');
let srv: TestServer;
let url: string;
let admin: pg.Client;

before(async () => {
  await buildCliBundle(CLI);
  srv = await getTestServer();
  const boot = new pg.Client(srv.url);
  await boot.connect();
  await boot.query('DROP DATABASE IF EXISTS pgdba_explain_cli');
  await boot.query('CREATE DATABASE pgdba_explain_cli');
  await boot.end();
  url = srv.urlFor('pgdba_explain_cli');
  admin = new pg.Client(url);
  await admin.connect();
  await admin.query('CREATE TABLE bookings AS SELECT g AS id, g % 5000 AS guest_id, md5(g::text) AS note FROM generate_series(1, 200000) g');
  await admin.query('ANALYZE bookings');
});

after(async () => {
  await admin?.end().catch(() => undefined);
  await srv?.stop();
});

function pgdba(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, 'explain', '--url', url, ...args], { timeout: 120_000 }, (e, out, err) =>
      done({ code: e ? (e.code as number) : 0, out, err }),
    );
  });
}

const fingerprint = async () =>
  (await admin.query<{ f: string }>("SELECT count(*) || ':' || md5(string_agg(b::text, ',' ORDER BY id)) AS f FROM bookings b")).rows[0]!.f;

test('a query on a large table without an index: the CREATE INDEX, 99.98% filtered out, exit 1', async () => {
  const r = await pgdba('--sql', 'SELECT * FROM bookings WHERE guest_id = 42');
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /^EXPLAIN ANALYZE: /m);
  assert.match(r.out, /> CREATE INDEX bookings_guest_id_idx ON (public\.)?bookings \(guest_id\);/);
  assert.match(r.out, /read 200,000 rows and kept 40 \(99\.98% filtered out\)/);
});

test('--format json on a healthy query: {summary, nodes, insights}, exit 0', async () => {
  const r = await pgdba('--sql', 'SELECT g, g * 2 FROM generate_series(1, 100) g', '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as { summary: { analyzed: boolean; executionMs: number }; nodes: { nodeType: string }[]; insights: unknown[] };
  assert.equal(doc.summary.analyzed, true);
  assert.ok(doc.summary.executionMs > 0);
  assert.deepEqual(
    doc.nodes.map((n) => n.nodeType),
    ['Function Scan'],
  );
  assert.deepEqual(doc.insights, []);
});

test('an UPDATE runs inside BEGIN … ROLLBACK, is said so, and changes nothing', async () => {
  const before = await fingerprint();
  const r = await pgdba('--sql', "UPDATE bookings SET note = 'x' WHERE guest_id < 100");
  assert.ok(r.code === 0 || r.code === 1, r.err);
  assert.match(r.out, /note: The statement ran inside BEGIN … ROLLBACK because it is an UPDATE/);
  assert.equal(await fingerprint(), before);
});

test('a syntax error: the server message and where, exit 2; a refusal runs nothing', async () => {
  const r = await pgdba('--sql', 'SELECT * FORM bookings');
  assert.equal(r.code, 2);
  assert.match(r.err, /^pgdba explain: syntax error at or near "FORM" \(at character 10: "FORM bookings"\)\n$/);
  const refused = await pgdba('--sql', 'CREATE INDEX CONCURRENTLY b_note ON bookings (note)');
  assert.equal(refused.code, 2);
  assert.match(refused.err, /Not run: CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
  assert.equal((await admin.query("SELECT 1 FROM pg_class WHERE relname = 'b_note'")).rowCount, 0);
});
