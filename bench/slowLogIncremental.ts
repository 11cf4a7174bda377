// `npm run bench:slowlog [-- --mb 200 --runs 5 --gain-mb 1]`: the health report's "Slow query log"
// section on a server whose log directory holds a generated day of log (bench/logGenerator.ts, the
// seed's prefix, default 200 MB): the first report of a session reads it whole; the second, after
// the log gained --gain-mb more, goes on from the first's SlowLogMemory (as the extension's second
// report does). Each run starts a new memory; the section's time is from its start to the next
// check's (onCheck). Medians of --runs runs, the ratio second/first, the bytes each read, and a
// check that the second's statement count is the first's plus what the log gained; and the heap
// one kept window holds (after a collection).
// Figures only, never a pass/fail (docs/architecture.md).
import { appendFileSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startPgServer } from '../scripts/lib/pgServer';
import { createPool } from '../src/core/db/pool';
import { runHealthCheck, SlowLogMemory } from '../src/core/health';
import { generate } from './logGenerator';
import { median, numberArg } from './lib/stats';

const MB = numberArg('--mb', 200);
const RUNS = numberArg('--runs', 5);
const GAIN_MB = numberArg('--gain-mb', 1);
const PREFIX = '%m [%p] %q%u@%d ';
// The generated entries start at 2026-12-01 00:00 UTC, 7 ms apart: the reports' "now" is that day's noon, whatever today is.
const NOW = new Date(Date.UTC(2026, 11, 1, 12));

/** The run's memory, held where the compiler cannot drop it before the heap is measured. */
let holding: SlowLogMemory | undefined;

async function main() {
  const server = await startPgServer({
    fast: true,
    settings: { logging_collector: 'on', log_directory: 'log', log_line_prefix: PREFIX, log_min_duration_statement: 1000, lc_messages: 'C' },
  });
  const pool = createPool(
    { name: 'bench', host: server.host, port: server.port, database: 'postgres', user: server.user, password: server.password },
    { statementTimeoutMs: 600_000 },
  );
  const logDir = join(server.dataDir, 'log');
  const file = join(logDir, 'postgresql-2026-12-01_000000.log');
  const gainFile = join(server.dataDir, 'gain.log');
  try {
    const g0 = performance.now();
    const made = await generate(file, MB);
    const gain = await generate(gainFile, GAIN_MB);
    const gainBytes = readFileSync(gainFile);
    console.log(
      `generated ${(statSync(file).size / 1024 ** 2).toFixed(0)} MB (${made.statements} statements) and ${(gainBytes.length / 1024 ** 2).toFixed(1)} MB to append (${gain.statements}) in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
    );
    /** One report's section: its time, its bytes read, its statement count. */
    const section = async (memory: SlowLogMemory) => {
      // The file written "now" for the report, whatever the clock says: it is in the window.
      utimesSync(file, NOW, NOW);
      let t0 = 0;
      let took = 0;
      const r = await runHealthCheck({
        server: { name: 'bench', target: 'bench' },
        pool,
        host: server.host,
        schedules: ['daily'],
        now: NOW,
        slowLog: memory,
        onCheck: (label) => {
          if (label === 'slow query log') t0 = performance.now();
          else if (t0 && !took) took = performance.now() - t0;
        },
      });
      const summary = r.findings.find((f) => f.check === 'slow-log' && f.subject === 'server log');
      const statements = Number(/^([\d,]+) statements/.exec(summary?.observed ?? '')?.[1]?.replace(/,/g, ''));
      if (!(statements > 0)) throw new Error(`the section read no statement: ${JSON.stringify(summary)}`);
      return { ms: took, bytes: memory.last?.bytes ?? 0, continued: memory.last?.continued ?? false, statements };
    };
    const firsts: number[] = [];
    const seconds: number[] = [];
    const kept: number[] = [];
    // The heap a kept window holds (the extension holds one per profile): with --expose-gc, after a collection.
    const gc = (globalThis as { gc?: () => void }).gc;
    const heap = () => (gc?.(), process.memoryUsage().heapUsed);
    for (let i = 0; i < RUNS; i++) {
      const load = loadavg()[0]!.toFixed(1);
      holding = undefined;
      const before = heap();
      const memory = (holding = new SlowLogMemory());
      const a = await section(memory);
      appendFileSync(file, gainBytes);
      const b = await section(memory);
      if (gc) kept.push(heap() - before);
      if (!holding.last?.continued || b.statements !== a.statements + gain.statements)
        throw new Error(`second report: continued ${b.continued}, ${b.statements} statements, expected ${a.statements} + ${gain.statements}`);
      firsts.push(a.ms);
      seconds.push(b.ms);
      console.log(
        `run ${i + 1}: first ${(a.ms / 1000).toFixed(2)} s (${(a.bytes / 1024 ** 2).toFixed(1)} MB), second ${b.ms.toFixed(0)} ms (${(b.bytes / 1024 ** 2).toFixed(2)} MB, ${b.statements} statements) (load ${load})`,
      );
    }
    const f = median(firsts);
    const s = median(seconds);
    console.log(
      `slow query log section on ${MB} MB + ${GAIN_MB} MB gained: first report ${(f / 1000).toFixed(2)} s, second ${s.toFixed(0)} ms median of ${RUNS} = ${(s / f).toFixed(3)}× the first (${(f / s).toFixed(0)}× faster)`,
    );
    console.log(
      gc
        ? `the kept window's heap: ${(median(kept) / 1024 ** 2).toFixed(1)} MB median (${kept.map((k) => (k / 1024 ** 2).toFixed(1)).join(' / ')})`
        : 'heap of the kept window not measured (run node with --expose-gc: npm run bench:slowlog does)',
    );
  } finally {
    await pool.end();
    await server.stop();
    rmSync(gainFile, { force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
