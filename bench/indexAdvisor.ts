// `tsx bench/indexAdvisor.ts [--runs N]`: the index advisor's run time on the sandbox-sized hotel
// database (Debian's PostgreSQL 15 with HypoPG, pg_stat_statements preloaded) over its top
// statements (the hotel workload, each run three times), against a baseline in the same run: one
// plain EXPLAIN of each of those statements on the same pool. Prints medians and the ratio;
// writes bench/results/indexAdvisor.json. Figures only (docs/architecture.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startPgServer } from '../scripts/lib/pgServer';
import { createHotelDatabase, HOTEL_ADVISOR_WORKLOAD, SANDBOX_SCALE } from '../scripts/lib/hotelData';
import { adviseIndexes, topAdvisorInputs } from '../src/core/advisor';

const ROOT = resolve(__dirname, '..');
const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 7;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const server = await startPgServer({ major: 15, debian: true, fast: true, database: 'hotel', settings: { shared_preload_libraries: 'pg_stat_statements' } });
  const pool = new pg.Pool({ connectionString: server.url, max: 2 });
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    try {
      await createHotelDatabase(c, SANDBOX_SCALE);
      await c.query('CREATE EXTENSION pg_stat_statements');
      await c.query('CREATE EXTENSION hypopg');
      await c.query('SELECT pg_stat_statements_reset()');
      for (let i = 0; i < 3; i++) for (const q of HOTEL_ADVISOR_WORKLOAD) await c.query(q);
    } finally {
      c.release();
    }
    const versionNum = Number((await pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v);
    const statements = await topAdvisorInputs(pool, { versionNum, schema: 'public', extVersion: null, database: 'hotel' });
    const advisor: number[] = [];
    const explains: number[] = [];
    let suggestions = 0;
    for (let i = 0; i < RUNS + 1; i++) {
      let t0 = performance.now();
      const r = await adviseIndexes({ pool, versionNum, statements });
      const a = performance.now() - t0;
      suggestions = r.suggestions.length;
      // Baseline: each statement's plan once, as psql's EXPLAIN would give it (literal constants).
      t0 = performance.now();
      for (const q of HOTEL_ADVISOR_WORKLOAD) await pool.query(`EXPLAIN (FORMAT JSON) ${q}`);
      const e = performance.now() - t0;
      if (i > 0) {
        advisor.push(a); // the first run warms the parser's WASM and the caches
        explains.push(e);
      }
    }
    const result = {
      date: new Date().toISOString(),
      load: loadavg()[0] ?? 0,
      scale: SANDBOX_SCALE,
      statements: statements.length,
      suggestions,
      runs: RUNS,
      advisorMs: Math.round(median(advisor)),
      plainExplainsMs: Math.round(median(explains) * 10) / 10,
      ratio: Math.round((median(advisor) / median(explains)) * 10) / 10,
    };
    console.log(
      `index advisor over ${result.statements} top statements (hotel, ${SANDBOX_SCALE.reservations.toLocaleString('en')} reservations, PostgreSQL 15 + HypoPG): ` +
        `median ${result.advisorMs} ms (${suggestions} suggestions); one plain EXPLAIN of each: ${result.plainExplainsMs} ms; ×${result.ratio} (load ${result.load.toFixed(2)})`,
    );
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'indexAdvisor.json'), JSON.stringify(result, null, 2) + '\n');
  } finally {
    await pool.end().catch(() => undefined);
    await server.stop();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
