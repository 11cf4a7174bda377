// `tsx bench/bouncerTick.ts [--runs N] [--ticks N]`: what the PgBouncer group adds to a dashboard
// tick. A PostgreSQL started for the run (PGDBA_TEST_MAJOR, default 16) behind Debian's PgBouncer
// in transaction mode, 20 idle application clients through it; a tick as the panel takes it —
// the server's sampling query alone, against the same with SHOW POOLS + SHOW STATS on the open
// console at the same time — interleaved tick by tick so load changes hit both alike. Medians of
// runs and the ratio; writes bench/results/bouncerTick.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startPgServer } from '../scripts/lib/pgServer';
import { testMajor } from '../test/support/testServer';
import { pgbouncerMissing, startPgbouncer } from '../test/support/pgbouncer';
import { DashboardSampler } from '../src/core/dashboard/sampler';
import { resolveThresholds } from '../src/core/stats/thresholds';
import { BouncerConsole, consoleProfile } from '../src/core/bouncer/console';
import { readBouncerSample } from '../src/core/bouncer/snapshot';
import { median, numberArg } from './lib/stats';

const ROOT = resolve(__dirname, '..');
const RUNS = numberArg('--runs', 5);
const TICKS = numberArg('--ticks', 200);

async function main(): Promise<void> {
  const missing = pgbouncerMissing();
  if (missing) {
    console.log(`bouncerTick bench skipped: ${missing}`);
    return;
  }
  const server = await startPgServer({ major: testMajor(), fast: true });
  const u = new URL(server.url);
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  const bouncer = await startPgbouncer({ host: u.hostname, port: Number(u.port), user, password }, 'transaction', {
    settings: { admin_users: 'pgdba_admin', default_pool_size: '20', reserve_pool_size: '10', max_client_conn: '1000' },
    users: ['pgdba_admin'],
  });
  const pool = new pg.Pool({ connectionString: server.url, max: 1 });
  const apps: pg.Client[] = [];
  const profile = {
    name: 'bench',
    host: '127.0.0.1',
    port: Number(u.port),
    database: 'postgres',
    user,
    pgbouncerPort: bouncer.port,
    pgbouncerAdminUser: 'pgdba_admin',
  };
  const con = await BouncerConsole.open({ ...consoleProfile(profile)!, password: '' });
  try {
    for (let i = 0; i < 20; i++) {
      const c = new pg.Client({ host: '127.0.0.1', port: bouncer.port, user, password, database: 'postgres' });
      await c.connect();
      await c.query('SELECT 1');
      apps.push(c);
    }
    const versionNum = Number((await pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v);
    const t = resolveThresholds().thresholds;
    const plain = new DashboardSampler(1000, t);
    const withBouncer = new DashboardSampler(1000, t);
    const bouncerRead = () => readBouncerSample(con);
    const time = async (f: () => Promise<unknown>) => {
      const s = performance.now();
      await f();
      return performance.now() - s;
    };
    console.log(
      `bouncerTick bench: PostgreSQL ${server.major} behind PgBouncer (${(await con.show('VERSION'))[0]?.version ?? '?'}), ${RUNS} runs of ${TICKS} ticks, 20 clients`,
    );
    const serverMs: number[] = [];
    const bothMs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < 20; i++) await withBouncer.tick(pool, versionNum, { bouncer: bouncerRead }); // warm-up
      for (let i = 0; i < TICKS; i++) {
        a.push(await time(() => plain.tick(pool, versionNum)));
        b.push(await time(() => withBouncer.tick(pool, versionNum, { bouncer: bouncerRead })));
      }
      serverMs.push(median(a));
      bothMs.push(median(b));
      console.log(`  run ${r + 1}: server query alone ${median(a).toFixed(2)} ms, with the PgBouncer group ${median(b).toFixed(2)} ms`);
    }
    const result = {
      major: server.major,
      runs: RUNS,
      ticksPerRun: TICKS,
      serverTickMs: +median(serverMs).toFixed(2),
      withBouncerTickMs: +median(bothMs).toFixed(2),
      ratio: +(median(bothMs) / median(serverMs)).toFixed(2),
      loadAverage: loadavg()[0] ?? 0,
    };
    console.log(
      `dashboard tick: server query alone ${result.serverTickMs} ms, with the PgBouncer group ${result.withBouncerTickMs} ms; ratio ${result.ratio}×; load average ${result.loadAverage.toFixed(1)}`,
    );
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'bouncerTick.json'), JSON.stringify(result, null, 2) + '\n');
  } finally {
    await Promise.all(apps.map((x) => x.end().catch(() => undefined)));
    await con.close();
    await pool.end().catch(() => undefined);
    await bouncer.stop();
    await server.stop();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
