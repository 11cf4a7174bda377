// `node scripts/runBundled.mjs bench/explorerQueryPhases.ts [--runs 25]`: where the time of one
// small explorer query goes — pgdba + pg before the query is on the socket, the server's answer
// (socket write → first byte back), and pg + pgdba after the last byte — on the extension's pool
// (createPool). Each measured run follows a first one, as psql's \timing baseline in
// bench/explorerExpand.ts does. Median of N runs. Figures only.
import { startPgServer } from '../scripts/lib/pgServer';
import * as S from '../src/core/stats';
import { createPool } from '../src/core/db/pool';
import type { Socket } from 'node:net';
import { median } from './lib/stats';

const argv = process.argv.slice(2);
const at = argv.indexOf('--runs');
const RUNS = at >= 0 ? Number(argv[at + 1]) : 25;

async function main(): Promise<void> {
  const srv = await startPgServer({ major: 16, fast: true });
  const pool = createPool(
    { name: 'bench', host: srv.host, port: srv.port, database: srv.database, user: srv.user, password: srv.password },
    { statementTimeoutMs: 15_000, max: 1 },
  );
  try {
    // Watch the one connection's socket: when the query leaves, when the answer starts and ends.
    const client = await pool.connect();
    const stream = (client as unknown as { connection: { stream: Socket } }).connection.stream;
    let wrote = 0;
    let first = 0;
    let last = 0;
    const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    (stream as unknown as { write: (...a: unknown[]) => boolean }).write = (...a: unknown[]) => {
      wrote ||= performance.now();
      return write(...a);
    };
    stream.on('data', () => {
      last = performance.now();
      first ||= last;
    });
    client.release();
    const v = { versionNum: Number((await pool.query<{ v: string }>('SHOW server_version_num')).rows[0]?.v) };
    const cases: [string, () => Promise<unknown>][] = [
      ['Configuration (setting categories)', () => S.settingCategories(pool, v)],
      ['Statistics → checkpoints', () => S.checkpoints(pool, v)],
      ['Statistics → WAL', () => S.wal(pool, v)],
      ['SELECT 1 (pool.query)', () => pool.query('SELECT 1')],
    ];
    console.log(`PostgreSQL ${srv.major}, ${RUNS} runs, medians in ms`);
    for (const [name, run] of cases) {
      const ph = { before: [] as number[], server: [] as number[], after: [] as number[], total: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        await new Promise((r) => setTimeout(r, 50));
        await run();
        wrote = first = last = 0;
        const t0 = performance.now();
        await run();
        const t1 = performance.now();
        ph.before.push(wrote - t0);
        ph.server.push(last - wrote);
        ph.after.push(t1 - last);
        ph.total.push(t1 - t0);
      }
      const f = (xs: number[]) => median(xs).toFixed(3).padStart(7);
      console.log(`  ${name.padEnd(36)} before the socket ${f(ph.before)}  server ${f(ph.server)}  after the last byte ${f(ph.after)}  total ${f(ph.total)}`);
    }
  } finally {
    await pool.end();
    await srv.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
