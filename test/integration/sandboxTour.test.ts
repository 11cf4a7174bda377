// The sandbox teaches what it promises (`npm run sandbox`, scripts/sandbox-workspace/): on the hotel
// database at the sandbox's scale, each sample query of queries.sql, explained as Explain Analyze
// runs it, shows every insight its "-- pgdba shows:" lines announce, and applying the fix makes it go;
// the sample postgresql.conf, pg_hba.conf and pgbouncer.ini, linted together with the sandbox's
// hardware settings (the seed's server: 4 GB, 4 cores, SSD), give the seed's findings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { TestServer } from '../support/testServer';
import { startHotelServer } from '../support/hotelServer';
import { splitStatements } from '../../src/core/explain/sqlLexer';
import { runExplain } from '../../src/core/explain/run';
import { DEFAULT_OPTIONS } from '../../src/core/explain/explainOptions';
import { parsePlan } from '../../src/core/explain/parsePlan';
import { planInsights } from '../../src/core/explain/insights';
import type { Insight } from '../../src/core/explain/insightTypes';
import type { Plan } from '../../src/core/explain/planTypes';
import { lintFileSet } from '../../src/core/lint/lintFileSet';
import { lintFilesOf } from '../../src/core/lint/lintFiles';
import { resolveHardware } from '../../src/core/lint/hardwareInput';
import { nodeConfFileSystem } from '../../src/core/conf/nodeConfFileSystem';
import type { Finding } from '../../src/core/lint/finding';

const WORKSPACE = resolve(__dirname, '..', '..', 'scripts', 'sandbox-workspace');
const GiB = 1024 ** 3;

interface Sample {
  sql: string;
  /** The titles its comment announces (each an insight title's beginning). */
  shows: string[];
}

/** Each statement of queries.sql with the "-- pgdba shows:" lines of the comment just above it. */
function samples(): Sample[] {
  const text = readFileSync(join(WORKSPACE, 'queries.sql'), 'utf8');
  let from = 0;
  return splitStatements(text).map((s) => {
    const comment = text.slice(from, s.start);
    from = s.end;
    const shows = [...comment.matchAll(/^-- pgdba shows: (.+)$/gm)].map((m) => m[1]!.trim());
    return { sql: s.text, shows };
  });
}

let srv: TestServer;
let pool: pg.Pool;

before(async () => {
  srv = await startHotelServer();
  pool = new pg.Pool({ connectionString: srv.url, max: 2 });
  pool.on('error', () => undefined);
});

after(async () => {
  await pool?.end().catch(() => undefined);
  await srv?.stop();
});

async function explainPlan(sql: string, session: Record<string, string> = {}): Promise<{ plan: Plan; insights: Insight[] }> {
  const r = await runExplain(pool, sql, { ...DEFAULT_OPTIONS, timeoutMs: 120_000, session });
  assert.ok(r.ok, r.ok ? '' : `${r.kind}: ${r.message}`);
  const plan = parsePlan(r.planJson);
  return { plan, insights: planInsights(plan) };
}

const titles = (insights: Insight[]) => insights.map((i) => i.title);
const shown = (insights: Insight[], announced: string) => insights.filter((i) => i.title.startsWith(announced));

test('queries.sql: three sample queries, each announcing what pgdba shows', () => {
  const all = samples();
  assert.equal(all.length, 3, all.map((s) => s.sql).join('\n---\n'));
  for (const s of all) assert.ok(s.shows.length > 0, `no "-- pgdba shows:" line above ${s.sql}`);
});

test('the weekend arrivals: the missing index on the dates, and the index it writes ends the sequential scan', async () => {
  const s = samples()[0]!;
  const { plan, insights } = await explainPlan(s.sql);
  for (const announced of s.shows) assert.equal(shown(insights, announced).length, 1, `"${announced}" among ${JSON.stringify(titles(insights))}`);
  // Partition pruning leaves one partition, which is read whole.
  const scans = plan.nodes.filter((n) => n.relation?.startsWith('reservations_'));
  assert.deepEqual(
    scans.map((n) => [n.nodeType, n.relation]),
    [['Seq Scan', 'reservations_2025_q1']],
  );
  const fix = shown(insights, s.shows[0]!)[0]!;
  assert.equal(fix.action.kind, 'sql');
  const admin = await pool.connect();
  try {
    await admin.query('BEGIN');
    await admin.query(fix.action.text);
    // The same statement on the same connection, in the transaction that holds the new index.
    const r = await admin.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.sql}`);
    const after = parsePlan(r.rows[0]!['QUERY PLAN']);
    assert.ok(
      after.nodes.some((n) => /Index/.test(n.nodeType) && /check_in_date_check_out_date/.test(n.indexName ?? '')),
      `the new index is used: ${after.nodes.map((n) => n.nodeType).join(', ')}`,
    );
    assert.deepEqual(titles(planInsights(after)), [], 'nothing left to say');
  } finally {
    await admin.query('ROLLBACK');
    admin.release();
  }
});

test('the client by e-mail: the expression index on lower(email), and the estimate it leaves blind', async () => {
  const s = samples()[1]!;
  const { insights } = await explainPlan(s.sql);
  for (const announced of s.shows) assert.ok(shown(insights, announced).length > 0, `"${announced}" among ${JSON.stringify(titles(insights))}`);
  const fix = shown(insights, s.shows[0]!)[0]!;
  assert.match(fix.action.text, /^CREATE INDEX clients_lower_email_idx ON public\.clients \(lower\(email\)\);\nANALYZE public\.clients;$/);
});

test("the best clients: the sort spills at work_mem 4MB; the seed's 32MB holds it", async () => {
  const s = samples()[2]!;
  const { insights } = await explainPlan(s.sql);
  for (const announced of s.shows) assert.ok(shown(insights, announced).length > 0, `"${announced}" among ${JSON.stringify(titles(insights))}`);
  // What pgdba asks for is within the seed's tuning …
  for (const i of shown(insights, 'Sort spilled')) {
    const mb = Number(/SET work_mem = '(\d+)MB'/.exec(i.action.text)?.[1]);
    assert.ok(mb > 4 && mb <= 32, i.action.text);
  }
  // … and the seed's value, for this run only, ends every spill.
  const tuned = await explainPlan(s.sql, { work_mem: '32MB' });
  assert.deepEqual(
    tuned.insights.filter((i) => i.rule === 'sort-spill' || i.rule === 'hash-spill').map((i) => i.title),
    [],
  );
});

function lintSandbox(): Finding[] {
  const names = ['postgresql.conf', 'pg_hba.conf', 'pgbouncer.ini'];
  const texts = new Map(names.map((n) => [join(WORKSPACE, n), readFileSync(join(WORKSPACE, n), 'utf8')]));
  const types = { 'postgresql.conf': 'conf', 'pg_hba.conf': 'hba', 'pgbouncer.ini': 'pgbouncer' } as const;
  // The sandbox's settings pgdba.hardware.*: the seed's VPS.
  const hardware = resolveHardware({ ramBytes: 4 * GiB, cpus: 4, storage: 'ssd', workload: 'web', pgVersion: 16 }, false);
  const byFile = lintFileSet(
    names.map((n) => ({ path: join(WORKSPACE, n), type: types[n as keyof typeof types] })),
    lintFilesOf(texts, nodeConfFileSystem),
    { major: 16, hardware },
  );
  return [...byFile.values()].flat();
}

test("the sample postgresql.conf: the seed's six tuning findings with the seed's values, and ssl off while listening on '*'", () => {
  const found = lintSandbox();
  const hw = found.filter((f) => f.code === 'PGC200');
  const param = (f: Finding) => /^(\w+) = /.exec(f.message)?.[1];
  assert.deepEqual(hw.map(param).sort(), [
    'effective_cache_size',
    'effective_io_concurrency',
    'maintenance_work_mem',
    'random_page_cost',
    'shared_buffers',
    'work_mem',
  ]);
  // The seed's "Recommended Value" column, where pgdba's formula gives the same.
  for (const [name, value] of [
    ['shared_buffers', '1GB'],
    ['maintenance_work_mem', '256MB'],
    ['effective_cache_size', '3GB'],
    ['random_page_cost', '1.1'],
    ['effective_io_concurrency', '200'],
  ]) {
    const f = hw.find((x) => param(x) === name);
    assert.ok(f?.message.includes(`set ${value}:`), `${name}: ${f?.message ?? 'no finding'}`);
  }
  assert.ok(
    found.some((f) => f.code === 'PGC403' && f.file.endsWith('postgresql.conf')),
    'ssl off with listen_addresses = *',
  );
  assert.ok(
    !found.some((f) => f.severity === 'error'),
    `no error in the seed's files: ${found
      .filter((f) => f.severity === 'error')
      .map((f) => f.message)
      .join('; ')}`,
  );
});

test("the sample pg_hba.conf and pgbouncer.ini: the seed's lines in clear text over the internet, and PgBouncer's md5 against SCRAM", () => {
  const found = lintSandbox();
  const hba = found.filter((f) => f.file.endsWith('pg_hba.conf'));
  // The three application servers of the seed connect from public addresses with ssl off.
  const lines = readFileSync(join(WORKSPACE, 'pg_hba.conf'), 'utf8').split('\n');
  const servers = ['153.246.150.162/32', '153.127.41.18/32', '133.32.134.250/32'].map((a) => lines.findIndex((l) => l.includes(a)) + 1);
  assert.deepEqual(
    hba.map((f) => [f.code, f.line]),
    servers.map((line) => ['HBA026', line]),
    JSON.stringify(hba),
  );
  assert.ok(
    found.some((f) => f.code === 'PGB030' && f.file.endsWith('pgbouncer.ini')),
    'auth_type md5 while PostgreSQL 16 stores SCRAM',
  );
});
