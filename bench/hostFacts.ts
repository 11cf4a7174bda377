// `npm run bench:hostFacts [-- --runs N --reads N]`: one host-facts read of this machine (the
// local HostAccess: CPUs, RAM, OS, kernel, uptime, the data and backup directories' file
// systems, the data disk's rotational flag through sysfs) against what a person types for the
// same figures, `nproc; cat /proc/meminfo; df -P -B1 -- DIR` in one shell, interleaved read by
// read so that load hits both alike; and the dashboard's host read of a tick (readHostSample: one
// command) against `cat` of the same four /proc files. Medians of runs and the ratios; writes
// bench/results/hostFacts.json.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readHostFacts } from '../src/core/host/facts';
import { localHost } from '../src/core/host/localHost';
import { readHostSample } from '../src/core/dashboard/hostSample';
import { median, numberArg } from './lib/stats';

const ROOT = resolve(__dirname, '..');
const RUNS = numberArg('--runs', 5);
const READS = numberArg('--reads', 40);

const shell = (dir: string) =>
  new Promise<void>((done, fail) =>
    execFile('sh', ['-c', 'nproc; cat /proc/meminfo; df -P -B1 -- "$1"', 'sh', dir], (e: Error | null) => (e ? fail(e) : done())),
  );

const cat = () =>
  new Promise<void>((done, fail) =>
    execFile('cat', ['/proc/stat', '/proc/meminfo', '/proc/loadavg', '/proc/diskstats'], (e: Error | null) => (e ? fail(e) : done())),
  );

async function main(): Promise<void> {
  const dir = tmpdir();
  console.log(`hostFacts bench: ${RUNS} runs of ${READS} reads of this machine, data and backup directory ${dir}`);
  const factsMs: number[] = [];
  const shellMs: number[] = [];
  const tickMs: number[] = [];
  const catMs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const a: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    const d: number[] = [];
    for (let i = 0; i < 3; i++) await readHostFacts(localHost, { path: dir }, dir, 10_000); // warm-up
    for (let i = 0; i < READS; i++) {
      let t = performance.now();
      const f = await readHostFacts(localHost, { path: dir }, dir, 10_000);
      a.push(performance.now() - t);
      if (f.ramBytes === null) throw new Error('the read found no RAM');
      t = performance.now();
      await shell(dir);
      b.push(performance.now() - t);
      t = performance.now();
      await readHostSample(localHost, 5000);
      c.push(performance.now() - t);
      t = performance.now();
      await cat();
      d.push(performance.now() - t);
    }
    factsMs.push(median(a));
    shellMs.push(median(b));
    tickMs.push(median(c));
    catMs.push(median(d));
    console.log(
      `  run ${r + 1}: host facts ${median(a).toFixed(1)} ms, nproc; cat /proc/meminfo; df ${median(b).toFixed(1)} ms; dashboard host read ${median(c).toFixed(1)} ms, cat of its files ${median(d).toFixed(1)} ms`,
    );
  }
  const result = {
    runs: RUNS,
    readsPerRun: READS,
    hostFactsMs: +median(factsMs).toFixed(1),
    shellMs: +median(shellMs).toFixed(1),
    ratio: +(median(factsMs) / median(shellMs)).toFixed(2),
    dashboardHostReadMs: +median(tickMs).toFixed(1),
    catProcMs: +median(catMs).toFixed(1),
    dashboardRatio: +(median(tickMs) / median(catMs)).toFixed(2),
    loadAverage: loadavg()[0] ?? 0,
  };
  console.log(
    `one host-facts read: median ${result.hostFactsMs} ms; the shell's nproc; cat /proc/meminfo; df: ${result.shellMs} ms; ratio ${result.ratio}×. ` +
      `One dashboard host read: ${result.dashboardHostReadMs} ms; cat of the same files: ${result.catProcMs} ms; ratio ${result.dashboardRatio}×. Load average ${result.loadAverage.toFixed(1)}`,
  );
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'hostFacts.json'), JSON.stringify(result, null, 2) + '\n');
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
