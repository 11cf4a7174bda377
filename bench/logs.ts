// `npm run bench:logs [-- --mb N --runs N --no-pgbadger]`: throughput of `pgdba logs` on a generated stderr log
// with the seed's prefix (default 1,024 MB, written in this run's temp dir and deleted after),
// against pgBadger -j 1 and -j 2 on the same file in the same run; and pgdba's peak RSS
// (/usr/bin/time's maximum resident set). The log mixes what a busy server writes: slow
// statements of a few hundred shapes with varying constants (some extended protocol, with
// parameters), connections and sessions, errors with their STATEMENT, lock waits, temp files,
// checkpoints and multi-line autovacuum entries. pgdba runs the bundled CLI, as shipped.
// Figures only (docs/architecture.md): pgdba runs before, between and after the two pgBadger
// runs (minutes each on 1 GB; at least --runs of pgdba in all), each pgBadger's ratio against
// the pgdba runs beside it, and the load at each run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCliBundle } from '../test/support/cliBundle';
import { generate } from './logGenerator';
import { median, numberArg } from './lib/stats';

const MB = numberArg('--mb', 1024);
const RUNS = numberArg('--runs', 3);
const PREFIX = '%m [%p] %q%u@%d ';
const PGBADGER = '/usr/bin/pgbadger';
/** --no-pgbadger: pgdba's figures only (pgBadger takes minutes a GB). */
const WITH_BADGER = !process.argv.includes('--no-pgbadger');

/** Wall seconds and peak RSS (MB) of a command, through /usr/bin/time. */
function timed(cmd: string, args: string[]): { s: number; rssMb: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const s = (performance.now() - t) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-500)}`);
  const kb = Number(r.stderr.trim().split('\n').pop());
  return { s, rssMb: kb / 1024, stdout: r.stdout };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bench-logs-'));
  try {
    const cli = await buildCliBundle(join(dir, 'cli', 'pgdba.js'));
    const file = join(dir, 'postgresql.log');
    const g0 = performance.now();
    const made = await generate(file, MB);
    const size = statSync(file).size;
    console.log(
      `generated ${(size / 1024 ** 2).toFixed(0)} MB (${made.statements} statements) in ${((performance.now() - g0) / 1000).toFixed(1)} s; ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`,
    );
    const mbs = (s: number) => size / 1024 ** 2 / s;
    const load = () => loadavg()[0]!.toFixed(1);
    // The machine is shared: pgdba runs before and after each pgBadger run, and each pgBadger is
    // held against the pgdba runs beside it, so a change of load weighs on both sides alike.
    const ours: { s: number; rssMb: number }[] = [];
    const runOurs = () => {
      const l = load();
      const r = timed(process.execPath, [cli, 'logs', '--format', 'json', '--top', '20', '--prefix', PREFIX, file]);
      const j = JSON.parse(r.stdout) as { summary: { statements: number } };
      if (j.summary.statements !== made.statements) throw new Error(`pgdba counted ${j.summary.statements} statements, the log has ${made.statements}`);
      ours.push(r);
      console.log(`pgdba run ${ours.length}: ${r.s.toFixed(1)} s, ${mbs(r.s).toFixed(1)} MB/s, peak RSS ${r.rssMb.toFixed(0)} MB (load ${l})`);
      return r.s;
    };
    const runBadger = (j: number) => {
      const l = load();
      const out = join(dir, `badger${j}.json`);
      const r = timed(PGBADGER, ['-f', 'stderr', '-p', PREFIX, '-j', String(j), '-q', '--pid-dir', dir, '-o', out, '-x', 'json', '--', file]);
      const b = JSON.parse(execFileSync('cat', [out], { encoding: 'utf8', maxBuffer: 1024 ** 3 })) as {
        overall_stat: Record<string, { queries_number: number }>;
      };
      const q = Object.values(b.overall_stat).reduce((sum, v) => sum + (v.queries_number ?? 0), 0);
      console.log(`pgbadger -j ${j}: ${r.s.toFixed(1)} s, ${mbs(r.s).toFixed(1)} MB/s, peak RSS ${r.rssMb.toFixed(0)} MB, ${q} statements (load ${l})`);
      return r.s;
    };
    const badger: { j: number; s: number; beside: number }[] = [];
    const withBadger = WITH_BADGER && existsSync(PGBADGER);
    let before = runOurs();
    if (withBadger)
      for (const j of [1, 2]) {
        const s = runBadger(j);
        const after = runOurs();
        badger.push({ j, s, beside: (before + after) / 2 });
        before = after;
      }
    else console.log(WITH_BADGER ? `${PGBADGER} is missing: no pgBadger figures (scripts/setup-system.sh installs it)` : 'pgBadger not run (--no-pgbadger)');
    while (ours.length < RUNS) runOurs();
    const oursS = median(ours.map((r) => r.s));
    const oursRss = Math.max(...ours.map((r) => r.rssMb));
    console.log(`\n| tool | seconds | MB/s | × pgdba (the pgdba runs beside it) |\n|---|---|---|---|`);
    console.log(`| pgdba logs (median of ${ours.length}) | ${oursS.toFixed(1)} | ${mbs(oursS).toFixed(1)} | 1 |`);
    for (const b of badger)
      console.log(
        `| pgbadger -j ${b.j} | ${b.s.toFixed(1)} | ${mbs(b.s).toFixed(1)} | ${(b.s / b.beside).toFixed(1)} (${(b.s / oursS).toFixed(1)} against the median) |`,
      );
    console.log(`\npgdba peak RSS ${oursRss.toFixed(0)} MB (target < 200 MB); targets: ≥ 10× pgbadger -j 1, ≥ 5× -j 2`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
