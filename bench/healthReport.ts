// `npm run bench:health -- [--runs 5] [--tables 10000] [--servers 25] [--skip-many]`: the whole
// health report (daily, weekly, monthly) on the sandbox's hotel database and on a schema of
// 10,000 tables, against the same statements run by psql in one session (recorded from the
// report's own pool, parameters inlined: what the report asks of the server, without pgdba);
// then over 25 small clusters at once, one connection per server, against the slowest of them
// checked alone; and what the Alerts badge's count of the health checks costs a tree refresh on
// the 10,000 tables (alertsBadge). Both sides include their connection. Medians of --runs runs, interleaved; the
// plan check needs pg_stat_statements, which these servers do not preload (as the sandbox's).
// Figures only, never a pass/fail (docs/architecture.md).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPgServer, type PgServer } from '../scripts/lib/pgServer';
import { createHotelDatabase, SANDBOX_SCALE } from '../scripts/lib/hotelData';
import { createPool } from '../src/core/db/pool';
import { ALERT_CHECKS, runChecks, runHealthCheck, runMany, type ServerJob } from '../src/core/health';
import { collectAlerts } from '../src/core/stats/alerts';
import { readServerVersion } from '../src/core/db/serverInfo';
import { inlineSql, type SqlQuery } from '../src/core/stats/sql';
import { median, numberArg } from './lib/stats';

const argv = process.argv.slice(2);
const RUNS = numberArg('--runs', 5);
const TABLES = numberArg('--tables', 10_000);
const SERVERS = numberArg('--servers', 25);
const PSQL = process.env.PSQL ?? '/usr/bin/psql';

const ms = (v: number) => `${v.toFixed(v < 100 ? 1 : 0)} ms`;

function poolOf(s: PgServer, database: string, max: number): pg.Pool {
  return createPool({ name: 'bench', host: s.host, port: s.port, database, user: s.user, password: s.password }, { statementTimeoutMs: 300_000, max });
}

/** One whole report on a fresh pool; the statements it sent, when asked. */
async function report(s: PgServer, database: string, record?: SqlQuery[]): Promise<number> {
  const pool = poolOf(s, database, 2);
  if (record) {
    const query = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
    (pool as unknown as { query: (...a: unknown[]) => Promise<unknown> }).query = (cfg: unknown, values?: unknown) => {
      const c = typeof cfg === 'string' ? { text: cfg, values: (values as unknown[] | undefined) ?? [] } : (cfg as { text: string; values?: unknown[] });
      record.push({ text: c.text, values: c.values ?? [] } as SqlQuery);
      return values === undefined ? query(cfg) : query(cfg, values);
    };
  }
  const t0 = performance.now();
  try {
    await runHealthCheck({ server: { name: 'bench', target: 'bench' }, pool, host: s.host });
    return performance.now() - t0;
  } finally {
    await pool.end();
  }
}

/** The same statements through psql, one session, output discarded. */
function psqlRun(s: PgServer, database: string, file: string): number {
  const t0 = performance.now();
  const r = spawnSync(PSQL, ['-X', '-q', '-o', '/dev/null', '-f', file, s.urlFor(database)], { encoding: 'utf8' });
  const took = performance.now() - t0;
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return took;
}

async function versusPsql(s: PgServer, database: string, what: string, dir: string): Promise<void> {
  const recorded: SqlQuery[] = [];
  await report(s, database, recorded); // a warm-up that also records what the report asks
  const file = join(dir, `${database}.sql`);
  writeFileSync(file, recorded.map((q) => `${inlineSql(q).trim()};\n`).join(''));
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(await report(s, database));
    theirs.push(psqlRun(s, database, file));
  }
  const a = median(ours);
  const b = median(theirs);
  console.log(
    `${what}: ${recorded.length} statements; pgdba ${ms(a)} (${ours.map((x) => x.toFixed(0)).join(' / ')}), psql ${ms(b)} (${theirs.map((x) => x.toFixed(0)).join(' / ')}): ${(a / b).toFixed(2)}× (target ≤ 1.3×)`,
  );
}

async function generateTables(s: PgServer): Promise<void> {
  const c = new pg.Client({ connectionString: s.urlFor('postgres') });
  await c.connect();
  await c.query('CREATE DATABASE big');
  await c.end();
  const b = new pg.Client({ connectionString: s.urlFor('big') });
  await b.connect();
  try {
    for (let from = 1; from <= TABLES; from += 500) {
      const to = Math.min(TABLES, from + 499);
      await b.query(`DO $$ BEGIN FOR i IN ${from}..${to} LOOP
  EXECUTE format('CREATE TABLE %I (id int PRIMARY KEY, v int, note text)', 't' || lpad(i::text, 5, '0'));
  EXECUTE format('CREATE INDEX ON %I (v)', 't' || lpad(i::text, 5, '0'));
END LOOP; END $$`);
    }
    await b.query('ANALYZE');
  } finally {
    await b.end();
  }
}

/**
 * What counting the health checks (#15) in the Servers view's Alerts badge costs a tree refresh:
 * the refresh (the version and collectAlerts on the extension's pool, 4 connections) alone —
 * the same queries before and after that change —; the background read of the checks' alerts
 * (ServerSession.healthAlerts: runChecks over ALERT_CHECKS, after the root is shown, kept 5
 * minutes); and a refresh started while that read runs on the same pool. Queries counted at the pool.
 */
async function alertsBadge(s: PgServer, database: string, what: string): Promise<void> {
  const pool = poolOf(s, database, 4); // the extension's pool size
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
    `${what}, the Alerts badge: a tree refresh (version + collectAlerts) ${ms(a)} (${alone.map((x) => x.toFixed(0)).join(' / ')}), ${refreshQueries} queries, none of them the health checks'`,
  );
  console.log(
    `the health checks' alerts in the background (badge up to date after the refresh): ${ms(median(bg))} (${bg.map((x) => x.toFixed(0)).join(' / ')}), ${backgroundQueries} queries, once per 5 minutes`,
  );
  console.log(
    `a refresh started while the background read runs on the same pool: ${ms(d)} (${during.map((x) => x.toFixed(0)).join(' / ')}): ${(d / a).toFixed(2)}× the refresh alone`,
  );
  await pool.end();
}

async function many(): Promise<void> {
  const small = { hotels: 1, roomsPerHotel: 20, clients: 500, reservations: 5000 };
  const servers: PgServer[] = [];
  try {
    const t0 = performance.now();
    for (let i = 0; i < SERVERS; i++) {
      const s = await startPgServer({ major: 16, fast: true, database: 'hotel', settings: { shared_buffers: '16MB', max_connections: 20 } });
      servers.push(s);
      const c = new pg.Client({ connectionString: s.url });
      await c.connect();
      await createHotelDatabase(c, small);
      await c.end();
    }
    console.log(`${SERVERS} clusters started and filled in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const job = (s: PgServer): ServerJob => ({
      server: { name: `hotel-${s.port}`, target: s.url },
      run: async (signal) => {
        const pool = poolOf(s, 'hotel', 1); // one connection per server
        try {
          return await runHealthCheck({ server: { name: `hotel-${s.port}`, target: 'x' }, pool, host: s.host, signal });
        } finally {
          await pool.end();
        }
      },
    });
    const timed = async (jobs: ServerJob[], concurrency: number) => {
      const t = performance.now();
      const r = await runMany(jobs, concurrency);
      const failed = r.servers.filter((x) => !x.ok).length;
      if (failed) throw new Error(`${failed} servers failed`);
      return performance.now() - t;
    };
    const slowest: number[] = [];
    const together: number[] = [];
    const byFour: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const alone: number[] = [];
      for (const s of servers) alone.push(await timed([job(s)], 1));
      slowest.push(Math.max(...alone));
      together.push(await timed(servers.map(job), servers.length));
      byFour.push(await timed(servers.map(job), 4));
    }
    const a = median(together);
    const b = median(slowest);
    console.log(
      `${SERVERS} servers at once, one connection each: ${ms(a)} (${together.map((x) => x.toFixed(0)).join(' / ')}); slowest single server ${ms(b)}: ${(a / b).toFixed(2)}× (target ≤ 2×); 4 at a time (the CLI's): ${ms(median(byFour))} = ${(median(byFour) / b).toFixed(2)}×`,
    );
  } finally {
    for (const s of servers) await s.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}; ${RUNS} runs`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bench-health-'));
  const s = await startPgServer({ major: 16, database: 'hotel' });
  try {
    const c = new pg.Client({ connectionString: s.url });
    await c.connect();
    await createHotelDatabase(c, SANDBOX_SCALE);
    await c.end();
    await versusPsql(s, 'hotel', 'the sandbox hotel database', dir);
    await generateTables(s);
    await versusPsql(s, 'big', `${TABLES.toLocaleString('en')} tables`, dir);
    await alertsBadge(s, 'big', `${TABLES.toLocaleString('en')} tables`);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (!argv.includes('--skip-many')) await many();
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
