// `npm run bench:explorer -- [--major 16] [--runs 9] [--tables 10000] [--per-table 5] [--data-dir D]`
// (bundled by esbuild, as the extension runs: tsx wraps every function, which costs ~0.3–0.5 ms of
// CPU per query here): the time to expand each top-level explorer node on a database with 10,000
// tables and 50,000 indexes (generated server-side in DO blocks), through pgdba's stats functions
// on the extension's own pool (createPool: statement_timeout and application_name are startup
// parameters, no SET per query), against the same SQL run bare in psql (\timing, the second run
// in a fresh session) in the same run, the two interleaved run by run so that both see the same
// load. psql's figure is a query run right after the same one in the same session; pgdba's is
// taken twice: after idling (as a person clicks; the backend and the caches are cold, which
// psql's figure never is) and right after a first run (like for like with psql). Median of N runs
// each; prints both ratios (target ≤ 1.5×) and the difference in ms.
// --data-dir keeps the cluster, so a second run skips the generation. Figures only, never a
// pass/fail (docs/architecture.md).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import pg from 'pg';
import { startPgServer } from '../scripts/lib/pgServer';
import * as S from '../src/core/stats';
import { createPool } from '../src/core/db/pool';
import { median } from './lib/stats';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const MAJOR = opt('major', 16);
const RUNS = opt('runs', 9);
const dirAt = argv.indexOf('--data-dir');
const DATA_DIR = dirAt >= 0 ? argv[dirAt + 1] : undefined;
const TABLES = opt('tables', 10_000);
const PER_TABLE = opt('per-table', 5); // indexes per table: a primary key and PER_TABLE − 1 more
const PSQL = process.env.PSQL ?? '/usr/bin/psql';

interface Case {
  node: string;
  query: S.SqlQuery;
  run: () => Promise<number>; // returns the row count
}

async function generate(pool: pg.Pool): Promise<void> {
  const cols = Array.from({ length: PER_TABLE - 1 }, (_, i) => `c${i} int`).join(', ');
  await pool.query('CREATE SCHEMA IF NOT EXISTS big');
  const chunk = 500; // one transaction per chunk: a lock per relation, and the lock table is finite
  for (let from = 1; from <= TABLES; from += chunk) {
    const to = Math.min(TABLES, from + chunk - 1);
    await pool.query(`DO $$ DECLARE t text; BEGIN
  FOR i IN ${from}..${to} LOOP
    t := 't' || lpad(i::text, 5, '0');
    EXECUTE format('CREATE TABLE big.%I (id int PRIMARY KEY${cols ? `, ${cols}` : ''})', t);
    FOR j IN 0..${PER_TABLE - 2} LOOP
      EXECUTE format('CREATE INDEX %I ON big.%I (c%s)', t || '_c' || j, t, j);
    END LOOP;
  END LOOP; END $$`);
    process.stdout.write(`\r  generated ${to}/${TABLES} tables`);
  }
  process.stdout.write('\n');
  await pool.query('ANALYZE');
}

/** One fresh psql session runs the statement twice; the second \timing is the baseline. */
function psqlOnce(url: URL, sqlText: string): number {
  const script = `\\timing on\n\\o /dev/null\n${sqlText};\n${sqlText};\n`;
  const r = spawnSync(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', url.hostname, '-p', url.port, '-U', 'postgres', '-d', url.pathname.slice(1)], {
    input: script,
    env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  const times = [...r.stdout.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]));
  if (times.length !== 2) throw new Error(`psql printed no timing: ${r.stdout.slice(0, 200)}`);
  return times[1] ?? Number.NaN;
}

async function main(): Promise<void> {
  console.log(`PostgreSQL ${MAJOR}: ${TABLES} tables, ${TABLES * PER_TABLE} indexes; ${RUNS} runs each`);
  const t0 = Date.now();
  const srv = await startPgServer({ major: MAJOR, fast: true, dataDir: DATA_DIR, settings: { max_locks_per_transaction: 1024, autovacuum: 'off' } });
  // The extension's pool, as Connections builds it (one connection, so every run reuses it).
  const pool = createPool(
    { name: 'bench', host: srv.host, port: srv.port, database: srv.database, user: srv.user, password: srv.password },
    { statementTimeoutMs: 15_000, max: 1 },
  );
  try {
    const admin = new pg.Pool({ connectionString: srv.url, max: 1 }); // no statement_timeout: ANALYZE of 60,000 relations
    try {
      const have = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'big'");
      if ((have.rows[0]?.n ?? 0) < TABLES) {
        await generate(admin);
        console.log(`  schema generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
    } finally {
      await admin.end();
    }
    const r = await pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    const v = { versionNum: Number(r.rows[0]?.v) };
    const url = new URL(srv.url);
    const mid = `t${String(Math.floor(TABLES / 2)).padStart(5, '0')}`;
    const cases: Case[] = [
      { node: 'Server', query: S.serverOverviewQuery.build(v), run: async () => ((await S.serverOverview(pool, v)) ? 1 : 0) },
      { node: 'Configuration', query: S.settingCategoriesQuery.build(v), run: async () => (await S.settingCategories(pool, v)).length },
      { node: 'Databases', query: S.databasesQuery.build(v), run: async () => (await S.listDatabases(pool, v)).length },
      { node: 'Database → schemas', query: S.schemasQuery.build(v), run: async () => (await S.listSchemas(pool, v)).length },
      {
        node: 'Schema → tables, page 1',
        query: S.tablesQuery.build({ ...v, schema: 'big', limit: 201 }),
        run: async () => (await S.listTables(pool, { ...v, schema: 'big' })).rows.length,
      },
      {
        node: `Schema → tables, page after ${mid}`,
        query: S.tablesQuery.build({ ...v, schema: 'big', after: mid, limit: 201 }),
        run: async () => (await S.listTables(pool, { ...v, schema: 'big', after: mid })).rows.length,
      },
      {
        node: 'Schema → indexes, page 1',
        query: S.indexesQuery.build({ ...v, schema: 'big', limit: 201 }),
        run: async () => (await S.listIndexes(pool, { ...v, schema: 'big' })).rows.length,
      },
      { node: 'Activity', query: S.sessionStatesQuery.build(v), run: async () => (await S.sessionStates(pool, v)).length },
      { node: 'Activity → locks', query: S.locksQuery.build(v), run: async () => (await S.listLocks(pool, v)).length },
      { node: 'Statistics → cache hit (databases)', query: S.databaseCacheHitQuery.build(v), run: async () => (await S.databaseCacheHit(pool, v)).length },
      { node: 'Statistics → index usage', query: S.indexUsageQuery.build(v), run: async () => (await S.indexUsage(pool, v)).length },
      { node: 'Statistics → seq scans', query: S.seqScanTablesQuery.build(v), run: async () => (await S.seqScanTables(pool, v)).length },
      { node: 'Statistics → table sizes', query: S.tableSizesQuery.build(v), run: async () => (await S.tableSizes(pool, v)).length },
      {
        node: 'Statistics → table bloat',
        query: S.tableBloatQuery.build({ ...v, minBytes: 0 }),
        run: async () => (await S.tableBloat(pool, { ...v, minBytes: 0 })).length,
      },
      { node: 'Statistics → checkpoints', query: S.checkpointsQuery.build(v), run: async () => ((await S.checkpoints(pool, v)) ? 1 : 0) },
      { node: 'Statistics → WAL', query: S.walQuery.build(v), run: async () => ((await S.wal(pool, v)) ? 1 : 0) },
      { node: 'Statistics → autovacuum', query: S.autovacuumTablesQuery.build(v), run: async () => (await S.autovacuumTables(pool, v)).length },
    ];
    const results: { node: string; rows: number; pgdbaMs: number; pgdbaHotMs: number; psqlMs: number; ratio: number; hotRatio: number; diffMs: number }[] = [];
    for (const c of cases) {
      let rows = await c.run(); // warm-up, as psql's first run
      const text = S.inlineSql(c.query);
      const ours: number[] = [];
      const hot: number[] = [];
      const bare: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        let s = performance.now();
        rows = await c.run();
        ours.push(performance.now() - s);
        s = performance.now();
        await c.run();
        hot.push(performance.now() - s);
        bare.push(psqlOnce(url, text));
        // psql's backend is still exiting when spawnSync returns; let it go before our next run.
        await new Promise((r) => setTimeout(r, 100));
      }
      const [p, h, b] = [median(ours), median(hot), median(bare)];
      const row = { node: c.node, rows, pgdbaMs: p, pgdbaHotMs: h, psqlMs: b, ratio: p / b, hotRatio: h / b, diffMs: p - b };
      results.push(row);
      console.log(
        `  ${c.node.padEnd(40)} ${String(rows).padStart(5)} rows  pgdba ${p.toFixed(1).padStart(7)} ms (hot ${h.toFixed(1).padStart(6)})  psql ${b.toFixed(1).padStart(7)} ms  ×${row.ratio.toFixed(2).padEnd(5)} (hot ×${row.hotRatio.toFixed(2).padEnd(5)}) ${row.diffMs >= 0 ? '+' : ''}${row.diffMs.toFixed(1)} ms`,
      );
    }
    const out = join(__dirname, '..', 'bench', 'explorerExpand.results.json'); // from bench/ or the bundle's .tmp/
    writeFileSync(
      out,
      JSON.stringify(
        { major: MAJOR, tables: TABLES, indexes: TABLES * PER_TABLE, runs: RUNS, at: new Date().toISOString(), loadAverage: loadavg(), results },
        null,
        2,
      ) + '\n',
    );
    const big = results.filter((x) => x.psqlMs >= 5);
    console.log(
      `  load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}; worst hot ratio ×${Math.max(...results.map((x) => x.hotRatio)).toFixed(2)} over all queries`,
    );
    console.log(
      `  worst ratio ×${Math.max(...big.map((x) => x.ratio)).toFixed(2)} over queries of ≥ 5 ms; largest fixed overhead ${Math.max(...results.map((x) => x.diffMs)).toFixed(1)} ms; written to ${out}`,
    );
  } finally {
    await pool.end();
    await srv.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
