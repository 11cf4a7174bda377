// Benchmark: in-process lint of a 1,000-line postgresql.conf and of a 100 kB one, against a
// baseline measured in the same run that only splits lines and matches `name = value` with one
// regex. Prints medians and the ratio; never pass/fail. Run: npx tsx bench/lintConf.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintPostgresqlConf } from '../src/core/lint/postgresqlConf';
import type { HardwareProfile } from '../src/core/lint/hardware';

const SAMPLE = join(__dirname, '..', 'node_modules', 'pg-bin-16', 'native', 'share', 'postgresql', 'postgresql.conf.sample');
const hardware: HardwareProfile = { ramBytes: 4 * 2 ** 30, cpus: 4, storage: 'ssd', workload: 'web', maxConnections: 100, pgVersion: 16 };

/** The PostgreSQL 16 sample with one commented setting in three made real, repeated to size. */
function makeConf(lines: number | undefined, bytes: number | undefined): string {
  const sample = readFileSync(SAMPLE, 'utf8').split('\n');
  let n = 0;
  const real = sample.map((l) => (/^#[a-z_]+ = /.test(l) && n++ % 3 === 0 ? l.slice(1) : l));
  const out: string[] = [];
  for (let i = 0; (lines === undefined || out.length < lines) && (bytes === undefined || out.join('\n').length < bytes); i++) {
    out.push(real[i % real.length] as string);
  }
  return out.join('\n') + '\n';
}

const BASELINE = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(\S+)/;
function baseline(text: string): number {
  let hits = 0;
  for (const line of text.split('\n')) if (BASELINE.test(line)) hits++;
  return hits;
}

function median(fn: () => unknown, runs: number): number {
  for (let i = 0; i < 20; i++) fn(); // warm up the JIT
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

for (const [label, text] of [
  ['1,000 lines', makeConf(1000, undefined)],
  ['100 kB', makeConf(undefined, 100 * 1024)],
] as const) {
  const runs = 300;
  const base = median(() => baseline(text), runs);
  const plain = median(() => lintPostgresqlConf(text, { file: 'postgresql.conf', major: 16 }), runs);
  const full = median(() => lintPostgresqlConf(text, { file: 'postgresql.conf', major: 16, hardware }), runs);
  const findings = lintPostgresqlConf(text, { file: 'postgresql.conf', major: 16, hardware }).length;
  const lines = text.split('\n').length - 1;
  console.log(
    `${label.padEnd(12)} ${lines} lines, ${(text.length / 1024).toFixed(0)} kB, ${findings} findings | baseline ${base.toFixed(3)} ms | lint ${plain.toFixed(3)} ms (${(plain / base).toFixed(1)}×) | lint + hardware ${full.toFixed(3)} ms (${(full / base).toFixed(1)}×)`,
  );
}
