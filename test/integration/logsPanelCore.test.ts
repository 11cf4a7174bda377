// What the log panel takes from the core, on a live server of the matrix's major: auto_explain's
// plans (text and JSON) read through SQL while the server runs, each opening in the plan reader;
// minute buckets that count what the hourly ones count; and the worst sample's logged parameters
// written in as literals, planned by EXPLAIN ANALYZE (inside BEGIN … ROLLBACK) on the same server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Fingerprinter, LogAnalyzer, boundSample, listSqlLogFiles, planPasteText, readLogs, sqlFileSource, type LogReport } from '../../src/core/logs';
import { planDocFromText } from '../../src/core/explain/planDoc';
import { runExplain } from '../../src/core/explain/run';
import { DEFAULT_OPTIONS } from '../../src/core/explain/explainOptions';
import { startPgServer, type PgServer } from '../../scripts/lib/pgServer';
import { AUTO_EXPLAIN_LOG_SETTINGS, autoExplainWorkload } from '../support/autoExplainLog';
import { testMajor } from '../support/testServer';

let server: PgServer;
let pool: pg.Pool;
let report: LogReport;

before(async () => {
  server = await startPgServer({ major: testMajor(), fast: true, database: 'hotel', settings: AUTO_EXPLAIN_LOG_SETTINGS });
  const c = new pg.Client({ connectionString: server.urlFor('hotel'), connectionTimeoutMillis: 10_000, query_timeout: 30_000 });
  await c.connect();
  try {
    await autoExplainWorkload(c);
  } finally {
    await c.end();
  }
  pool = new pg.Pool({ connectionString: server.urlFor('hotel'), max: 2, connectionTimeoutMillis: 10_000 });
  // runExplain's cancel connection and the server's stop end sessions the pool holds idle.
  pool.on('error', () => undefined);
  // The collector writes the last plan soon after the statement: read until both are in.
  for (let i = 0; i < 50; i++) {
    const a = new LogAnalyzer(await Fingerprinter.create());
    const names = (await listSqlLogFiles(pool)).map((f) => f.name);
    const { reads } = await readLogs(
      names.map((n) => sqlFileSource(pool, n)),
      a,
    );
    report = a.report(reads);
    if (report.planCount >= 2 && report.summary.errors >= 1) break;
    await new Promise((r) => setTimeout(r, 200));
  }
});
after(async () => {
  await pool?.end();
  await server?.stop();
});

test('auto_explain: a plan of each format, read through SQL, each opens in the plan reader', () => {
  assert.deepEqual(report.plans.map((p) => p.format).sort(), ['json', 'text']);
  const text = report.plans.find((p) => p.format === 'text')!;
  const json = report.plans.find((p) => p.format === 'json')!;
  assert.equal(text.query, 'SELECT count(*), pg_sleep(0.06) FROM rooms WHERE floor = $1');
  assert.ok(text.file.startsWith('sql:') && text.line > 0);
  const textDoc = planDocFromText(planPasteText(text), 'text');
  const jsonDoc = planDocFromText(planPasteText(json), 'json');
  assert.ok(textDoc.plan.nodes.some((n) => n.nodeType === 'Seq Scan'));
  assert.ok(jsonDoc.plan.nodes.some((n) => /Index/.test(n.nodeType)));
  // log_analyze is on: the plans carry actual times.
  assert.ok(textDoc.plan.nodes[0]!.actualTotalMs !== undefined);
});

test('minute buckets count what the hourly ones count', () => {
  const sum = (rows: { statements: number; errors: number; connections: number }[]) =>
    rows.reduce((s, b) => [s[0]! + b.statements, s[1]! + b.errors, s[2]! + b.connections], [0, 0, 0]);
  assert.deepEqual(sum(report.minutely), sum(report.hourly));
  assert.equal(sum(report.minutely)[0], report.summary.statements);
});

test('the worst sample with its logged parameters as literals plans on the server (EXPLAIN ANALYZE, rolled back)', async () => {
  const group = report.statements.find((s) => s.query.includes('floor = $'))!;
  assert.ok(group, report.statements.map((s) => s.query).join('\n'));
  const bound = boundSample(group.worst);
  assert.equal(bound.note, undefined);
  assert.match(bound.sql, /floor = '3'/);
  const run = await runExplain(pool, bound.sql, { ...DEFAULT_OPTIONS, analyze: true, timeoutMs: 30_000 });
  assert.ok(run.ok, run.ok ? '' : run.message);
  const doc = planDocFromText(JSON.stringify(run.planJson), 'bound');
  const scan = doc.plan.nodes.find((n) => n.nodeType === 'Seq Scan');
  assert.match(scan?.filter ?? '', /floor = 3/, JSON.stringify(run.planJson));
});
