// `pgdba mcp` as an agent outside VS Code meets it: the SDK's own client spawns the bundled CLI
// over stdio (StdioClientTransport) against a real server; tools listed with their schemas, each
// called, a refusal, a statement that would write refused read-only and rolled back with the flag,
// a bad argument, and SIGTERM ending it with the statement it was running cancelled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import pg from 'pg';
import { AGENT_TOOLS, toolJsonSchema } from '../../src/core/agents/tools';
import { buildCliBundle } from '../support/cliBundle';
import { getTestServer, type TestServer } from '../support/testServer';
import { waitFor } from './statsSupport';
import { tempDir } from '../support/tempDir';

const DIR = tempDir('mcp');
const CLI = join(DIR, 'cli.js');
let srv: TestServer;
let url: string;
let admin: pg.Client;
const open: { client: Client; transport: StdioClientTransport; stderr: string[] }[] = [];

before(async () => {
  await buildCliBundle(CLI);
  // The log collected as the seed's is, for the health report's Slow query log section.
  srv = await getTestServer({ settings: { shared_preload_libraries: 'pg_stat_statements', logging_collector: 'on', log_min_duration_statement: '100' } });
  const boot = new pg.Client(srv.url);
  await boot.connect();
  await boot.query('DROP DATABASE IF EXISTS pgdba_mcp');
  await boot.query('CREATE DATABASE pgdba_mcp');
  await boot.end();
  url = srv.urlFor('pgdba_mcp');
  admin = new pg.Client(url);
  await admin.connect();
  await admin.query('CREATE EXTENSION pg_stat_statements');
  await admin.query('CREATE TABLE bookings AS SELECT g AS id, g % 5000 AS guest_id, md5(g::text) AS note FROM generate_series(1, 200000) g');
  await admin.query('CREATE INDEX bookings_note_idx ON bookings (note)');
  await admin.query('ANALYZE bookings');
  for (let i = 0; i < 12; i++) await admin.query('SELECT count(*) FROM bookings WHERE guest_id = $1', [i]);
  for (let i = 0; i < 2; i++) await admin.query('SELECT pg_sleep($1) AS mcp_slow', [0.15]);
  await waitFor('the two slow calls in the log', async () => ((await logText()).split('AS mcp_slow').length - 1 >= 2 ? true : undefined));
});

/** The server's log files, as text (the collector writes them a moment after the statement). */
async function logText(): Promise<string> {
  const r = await admin.query<{ dir: string }>("SELECT current_setting('data_directory') || '/' || current_setting('log_directory') AS dir");
  const dir = r.rows[0]!.dir;
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');
}

after(async () => {
  for (const o of open) await o.client.close().catch(() => undefined);
  await admin?.end().catch(() => undefined);
  await srv?.stop();
});

async function connect(...extra: string[]): Promise<(typeof open)[number]> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--url', url, ...extra],
    env: getDefaultEnvironment(),
    stderr: 'pipe',
  });
  const stderr: string[] = [];
  transport.stderr?.on('data', (b: Buffer) => stderr.push(b.toString()));
  const client = new Client({ name: 'pgdba-test', version: '0' });
  await client.connect(transport);
  const o = { client, transport, stderr };
  open.push(o);
  return o;
}

type TextResult = { content: { type: string; text?: string }[]; isError?: boolean };
async function call(c: Client, name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }> {
  const r = (await c.callTool({ name, arguments: args })) as TextResult;
  return { text: r.content.map((p) => p.text ?? '').join(''), isError: r.isError === true };
}

const fingerprint = async () =>
  (await admin.query<{ f: string }>("SELECT count(*) || ':' || md5(string_agg(note, ',' ORDER BY id)) AS f FROM bookings")).rows[0]!.f;

test('tools/list: the six tools with the core definitions’ schemas, read-only by annotation', async () => {
  const { client } = await connect();
  const { tools } = await client.listTools();
  assert.deepEqual(
    tools.map((t) => t.name),
    AGENT_TOOLS.map((t) => t.name),
  );
  for (const t of tools) {
    const core = AGENT_TOOLS.find((x) => x.name === t.name)!;
    const mine = toolJsonSchema(core, { serverArgument: false });
    assert.deepEqual(Object.keys(t.inputSchema.properties ?? {}).sort(), Object.keys((mine.properties as object) ?? {}).sort(), t.name);
    assert.equal(t.annotations?.readOnlyHint, true, t.name);
    assert.ok((t.description ?? '').length > 80, t.name);
  }
});

test('each tool against the real server', async () => {
  const { client, stderr } = await connect();
  const explain = await call(client, 'pgdba_explain', { sql: 'SELECT * FROM bookings WHERE guest_id = 42' });
  assert.equal(explain.isError, false, explain.text);
  assert.match(explain.text, /^EXPLAIN ANALYZE on .*pgdba_mcp \(PostgreSQL \d+\)/);
  assert.match(explain.text, /CREATE INDEX bookings_guest_id_idx ON (public\.)?bookings \(guest_id\);/);

  const top = await call(client, 'pgdba_top_statements', { limit: 5 });
  assert.equal(top.isError, false, top.text);
  assert.match(top.text, /\| # \| calls \|/);
  assert.match(top.text, /SELECT count\(\*\) FROM bookings WHERE guest_id = \$1/);
  assert.match(top.text, /\| 12 \|/, 'the 12 calls made in before()');

  const stats = await call(client, 'pgdba_table_stats', { table: 'bookings' });
  assert.equal(stats.isError, false, stats.text);
  const live = (await admin.query<{ n: number }>("SELECT n_live_tup::int AS n FROM pg_stat_user_tables WHERE relname = 'bookings'")).rows[0]!.n;
  assert.match(stats.text, new RegExp(`\\| bookings \\| [^|]+ \\| [^|]+ \\| 200,000 \\| ${live.toLocaleString('en-US')} \\|`));
  assert.match(stats.text, /\| bookings_note_idx \| bookings \| [^|]+ \| 0 \| UNUSED/);

  const facts = await call(client, 'pgdba_server_facts', {});
  assert.equal(facts.isError, false, facts.text);
  const v = (await admin.query<{ v: string }>("SELECT split_part(current_setting('server_version'), ' ', 1) AS v")).rows[0]!.v;
  assert.match(facts.text, new RegExp(`version: PostgreSQL ${v.replace('.', '\\.')}`));
  assert.match(facts.text, /\| shared_preload_libraries \| pg_stat_statements \|/);
  assert.match(facts.text, /CPUs\s+\d+/, 'a local server: host facts from this machine');

  const health = await call(client, 'pgdba_health_report', { checks: ['daily'] });
  assert.equal(health.isError, false, health.text);
  assert.match(health.text, /^# Health report: /);
  assert.match(health.text, /checks: daily/);
  assert.match(health.text, /Cache hit ratio|cache hit/i);
  // The slow query log, read again by the next report from where this one stopped (the server keeps the read): each call counted once.
  const sleeps = /\| Slow query log \| SELECT pg_sleep\(\$1\) AS mcp_slow \| (\d+) calls?,/;
  assert.equal(sleeps.exec(health.text)?.[1], '2', health.text);
  for (let i = 0; i < 3; i++) await admin.query('SELECT pg_sleep($1) AS mcp_slow', [0.15]);
  await waitFor('the three calls in the log', async () => ((await logText()).split('AS mcp_slow').length - 1 >= 5 ? true : undefined));
  const again = await call(client, 'pgdba_health_report', { checks: ['daily'] });
  assert.equal(sleeps.exec(again.text)?.[1], '5', again.text);

  const conf = join(DIR, 'postgresql.conf');
  writeFileSync(conf, "shared_bufers = '1GB'\nmax_connections = 100\n");
  const lint = await call(client, 'pgdba_lint_config', { path: conf });
  assert.equal(lint.isError, false, lint.text);
  assert.match(lint.text, /ERROR PGC\d+ \(line 1\): .*shared_bufers/);
  const text = await call(client, 'pgdba_lint_config', { text: 'host all all 0.0.0.0/0 trust\n', type: 'hba' });
  assert.match(text.text, /pg_hba\.conf .*\d+ findings?/);
  assert.match(text.text, /trust/);
  assert.match(stderr.join(''), /pgdba_explain done in \d+ ms/, 'the log goes to stderr');
});

test('refusals: DROP TABLE; an UPDATE read-only; with --allow-analyze-writes rolled back; plain EXPLAIN of it allowed', async () => {
  const before = await fingerprint();
  const { client } = await connect();
  const drop = await call(client, 'pgdba_explain', { sql: 'DROP TABLE bookings' });
  assert.equal(drop.isError, true);
  assert.match(drop.text, /^Not run: EXPLAIN shows SELECT/);
  const update = await call(client, 'pgdba_explain', { sql: "UPDATE bookings SET note = 'x' WHERE guest_id < 100" });
  assert.equal(update.isError, true);
  assert.match(update.text, /Not run: .*read-only.*--allow-analyze-writes/);
  const planOnly = await call(client, 'pgdba_explain', { sql: "UPDATE bookings SET note = 'x' WHERE guest_id < 100", analyze: false });
  assert.equal(planOnly.isError, false, planOnly.text);
  assert.match(planOnly.text, /EXPLAIN \(estimates only\)/);
  const writer = await connect('--allow-analyze-writes');
  const rolled = await call(writer.client, 'pgdba_explain', { sql: "UPDATE bookings SET note = 'x' WHERE guest_id < 100" });
  assert.equal(rolled.isError, false, rolled.text);
  assert.match(rolled.text, /note: The statement ran inside BEGIN … ROLLBACK because it is an UPDATE/);
  const vacuum = await call(writer.client, 'pgdba_explain', { sql: 'VACUUM bookings' });
  assert.equal(vacuum.isError, true);
  assert.match(vacuum.text, /VACUUM cannot run inside a transaction block/);
  assert.equal(await fingerprint(), before, 'nothing was changed');
});

test('bad arguments: a clear error naming the field, and nothing runs', async () => {
  const { client } = await connect();
  const wrongType = await call(client, 'pgdba_explain', { sql: 42 });
  assert.equal(wrongType.isError, true);
  assert.match(wrongType.text, /Invalid arguments for tool pgdba_explain: .*expected string.*sql/s);
  const unknown = await call(client, 'pgdba_top_statements', { limit: 5, order: 'mean' });
  assert.equal(unknown.isError, true);
  assert.match(unknown.text, /Unrecognized key.*order/s);
  const range = await call(client, 'pgdba_top_statements', { limit: 5000 });
  assert.equal(range.isError, true);
  assert.match(range.text, /limit/);
  const both = await call(client, 'pgdba_lint_config', { text: 'a = 1', path: '/etc/passwd' });
  assert.equal(both.isError, true);
  assert.match(both.text, /either path or text/);
  const relative = await call(client, 'pgdba_lint_config', { path: 'postgresql.conf' });
  assert.equal(relative.isError, true);
  assert.match(relative.text, /absolute path/);
});

test('SIGTERM ends the server: the running statement is cancelled on the server, exit 143', async () => {
  const o = await connect('--timeout', '120000');
  const pid = o.transport.pid!;
  const running = call(o.client, 'pgdba_explain', { sql: 'SELECT count(*) FROM generate_series(1, 2000000000) g' }).catch((e: unknown) => e);
  // Wait for the statement to be on the server.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await admin.query(
      "SELECT 1 FROM pg_stat_activity WHERE application_name = 'pgdba' AND query LIKE 'EXPLAIN (ANALYZE%generate_series(1, 2000000000)%'",
    );
    if (r.rowCount) break;
    assert.ok(Date.now() < deadline, 'the EXPLAIN never started');
    await new Promise((r) => setTimeout(r, 100));
  }
  const child = (o.transport as unknown as { _process: import('node:child_process').ChildProcess })._process;
  const exited = once(child, 'exit');
  process.kill(pid, 'SIGTERM');
  const [code] = (await exited) as [number | null];
  assert.equal(code, 143);
  await running;
  const left = await admin.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'pgdba' AND state = 'active'");
  assert.equal(left.rowCount, 0, 'no statement of pgdba still running');
});
