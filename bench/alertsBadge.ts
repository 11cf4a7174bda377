// `npm run bench:alerts -- [--runs 7] [--tables 2000] [--major 16]`: what counting the health
// checks (#15) in the Servers view's Alerts badge costs a tree refresh. The refresh reads each
// server's version and collectAlerts on the extension's pool (createPool, 4 connections); the
// health checks' alerts (ServerSession.healthAlerts: runChecks over ALERT_CHECKS) start after the
// root is shown and are kept 5 minutes. Measured on a database of --tables tables (a primary key
// and an index each): the refresh alone (before this change, and after it: the same queries);
// the background read alone (how long the badge waits for its count); and a refresh started while
// a background read is under way on the same pool (the worst case: the interval's refresh or a
// person's click meeting it). Queries counted at the pool. Medians of --runs, interleaved.
// Figures only, never a pass/fail (docs/architecture.md).
import { loadavg } from 'node:os';
import pg from 'pg';
import { startPgServer } from '../scripts/lib/pgServer';
import { createPool } from '../src/core/db/pool';
import { ALERT_CHECKS, runChecks } from '../src/core/health';
import { collectAlerts } from '../src/core/stats/alerts';
import { readServerVersion } from '../src/core/db/serverInfo';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const RUNS = opt('runs', 7);
const TABLES = opt('tables', 2000);
const MAJOR = opt('major', 16);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}
const ms = (v: number) => `${v.toFixed(v < 100 ? 1 : 0)} ms`;

async function main(): Promise<void> {
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${RUNS} runs; ${TABLES} tables; PostgreSQL ${MAJOR}`,
  );
  const s = await startPgServer({ major: MAJOR, fast: true });
  try {
    const c = new pg.Client({ connectionString: s.url });
    await c.connect();
    for (let from = 1; from <= TABLES; from += 500) {
      const to = Math.min(TABLES, from + 499);
      await c.query(`DO $$ BEGIN FOR i IN ${from}..${to} LOOP
  EXECUTE format('CREATE TABLE %I (id int PRIMARY KEY, v int, note text)', 't' || lpad(i::text, 5, '0'));
  EXECUTE format('CREATE INDEX ON %I (v)', 't' || lpad(i::text, 5, '0'));
END LOOP; END $$`);
    }
    await c.query('ANALYZE');
    await c.end();

    const pool = createPool(
      { name: 'bench', host: s.host, port: s.port, database: s.database, user: s.user, password: s.password },
      { statementTimeoutMs: 300_000 },
    );
    let queries = 0;
    const query = pool.query.bind(pool) as (...a: unknown[]) => unknown;
    (pool as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
      queries++;
      return query(...a);
    };
    const versionNum = (await readServerVersion(pool)).num;
    const refresh = async () => {
      await readServerVersion(pool);
      await collectAlerts(pool, { versionNum });
    };
    const background = () => runChecks({ pool, checks: ALERT_CHECKS });
    const timed = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    await refresh(); // warm the pool's connections and the catalog caches
    await background();
    const alone: number[] = [];
    const bg: number[] = [];
    const during: number[] = [];
    let refreshQueries = 0;
    let backgroundQueries = 0;
    for (let i = 0; i < RUNS; i++) {
      queries = 0;
      alone.push(await timed(refresh));
      refreshQueries = queries;
      queries = 0;
      bg.push(await timed(background));
      backgroundQueries = queries;
      const running = background();
      during.push(await timed(refresh));
      await running;
    }
    const a = median(alone);
    const d = median(during);
    console.log(
      `tree refresh (version + collectAlerts): ${ms(a)} (${alone.map((x) => x.toFixed(0)).join(' / ')}), ${refreshQueries} queries — the same before and after this change`,
    );
    console.log(
      `the health checks' alerts in the background (badge up to date after the refresh): ${ms(median(bg))} (${bg.map((x) => x.toFixed(0)).join(' / ')}), ${backgroundQueries} queries, once per 5 minutes`,
    );
    console.log(
      `a refresh started while the background read runs on the same pool: ${ms(d)} (${during.map((x) => x.toFixed(0)).join(' / ')}): ${(d / a).toFixed(2)}× the refresh alone`,
    );
    await pool.end();
  } finally {
    await s.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
