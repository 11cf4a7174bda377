// `tsx bench/dashboardSample.ts [--runs N] [--ticks N]`: what one dashboard tick costs the server.
// On a PostgreSQL started for the run (PGDBA_TEST_MAJOR, default 16) with 20 idle sessions and
// a few databases' worth of statistics: round-trip time of the sampling query against a bare
// `SELECT 1` on the same connection, interleaved tick by tick so load changes hit both alike;
// plus the server-side execution time of the sampling query (EXPLAIN ANALYZE). Medians of runs,
// and the ratio; writes bench/results/dashboardSample.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startPgServer } from '../scripts/lib/pgServer';
import { testMajor } from '../test/support/testServer';
import { dashboardSampleQuery } from '../src/core/dashboard/sampleQuery';
import { median, numberArg } from './lib/stats';

const ROOT = resolve(__dirname, '..');
const RUNS = numberArg('--runs', 5);
const TICKS = numberArg('--ticks', 200);

async function main(): Promise<void> {
  const server = await startPgServer({ major: testMajor(), fast: true });
  const idle: pg.Client[] = [];
  const c = new pg.Client(server.url);
  try {
    await c.connect();
    for (let i = 0; i < 3; i++) await c.query(`CREATE DATABASE hotel${i}`);
    for (let i = 0; i < 20; i++) {
      const x = new pg.Client(server.url);
      await x.connect();
      idle.push(x);
    }
    const versionNum = Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v);
    const { text } = dashboardSampleQuery.build({ versionNum });
    console.log(`dashboardSample bench: PostgreSQL ${server.major}, ${RUNS} runs of ${TICKS} ticks, 21 client sessions, 5 databases`);
    const time = async (sql: string) => {
      const t = performance.now();
      await c.query(sql);
      return performance.now() - t;
    };
    const sampleMs: number[] = [];
    const selectMs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < 20; i++) await time(text); // warm-up: catalog caches, plan
      for (let i = 0; i < TICKS; i++) {
        a.push(await time(text));
        b.push(await time('SELECT 1'));
      }
      sampleMs.push(median(a));
      selectMs.push(median(b));
      console.log(`  run ${r + 1}: sampling query ${median(a).toFixed(2)} ms, SELECT 1 ${median(b).toFixed(2)} ms`);
    }
    const exec: number[] = [];
    for (let i = 0; i < 20; i++) {
      const plan = await c.query<{ 'QUERY PLAN': [{ 'Execution Time': number; 'Planning Time': number }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`);
      const p = plan.rows[0]!['QUERY PLAN'][0];
      exec.push(p['Execution Time'] + p['Planning Time']);
    }
    const result = {
      major: server.major,
      runs: RUNS,
      ticksPerRun: TICKS,
      sampleRoundTripMs: +median(sampleMs).toFixed(2),
      select1RoundTripMs: +median(selectMs).toFixed(2),
      ratio: +(median(sampleMs) / median(selectMs)).toFixed(1),
      serverPlanAndExecMs: +median(exec).toFixed(2),
      loadAverage: loadavg()[0] ?? 0,
    };
    console.log(
      `sampling query: median ${result.sampleRoundTripMs} ms per tick (server: plan + execute ${result.serverPlanAndExecMs} ms), SELECT 1: ${result.select1RoundTripMs} ms; ratio ${result.ratio}×; load average ${result.loadAverage.toFixed(1)}`,
    );
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'dashboardSample.json'), JSON.stringify(result, null, 2) + '\n');
  } finally {
    await Promise.all(idle.map((x) => x.end().catch(() => undefined)));
    await c.end().catch(() => undefined);
    await server.stop();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
