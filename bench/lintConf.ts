// Benchmark: in-process lint of a 1,000-line postgresql.conf and of a 100 kB one, against a
// baseline measured in the same run that only splits lines and matches `name = value` with one
// regex; then the 1,000-line one linted with a pg_hba.conf and a pgbouncer.ini through
// lintFileSet, with how often each file is read (a read is a parse: the port is counted).
// Prints medians and the ratio; never pass/fail. Run: npm run bench:lint
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintPostgresqlConf } from '../src/core/lint/postgresqlConf';
import type { HardwareProfile } from '../src/core/lint/hardware';
import { lintFileSet, type LintTarget } from '../src/core/lint/lintFileSet';
import type { LintFiles } from '../src/core/lint/lintFiles';

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

// The set: postgresql.conf with its pg_hba.conf (one line open to the world) and pgbouncer.ini.
const SET = new Map([
  ['postgresql.conf', makeConf(1000, undefined)],
  ['pg_hba.conf', 'local all all peer\nhost all all 10.0.0.0/8 scram-sha-256\nhost all all 0.0.0.0/0 scram-sha-256\nhostssl all all ::/0 md5\n'],
  [
    'pgbouncer.ini',
    '[databases]\n* = host=localhost port=5432\n\n[pgbouncer]\nlisten_addr = *\nauth_type = md5\nauth_file = /etc/pgbouncer/userlist.txt\ndefault_pool_size = 30\nmax_db_connections = 50\n',
  ],
]);
const targets: LintTarget[] = [
  { path: 'pg_hba.conf', type: 'hba' },
  { path: 'postgresql.conf', type: 'conf' },
  { path: 'pgbouncer.ini', type: 'pgbouncer' },
];
const reads = new Map<string, number>();
const files: LintFiles = {
  read: (p) => {
    reads.set(p, (reads.get(p) ?? 0) + 1);
    return SET.get(p);
  },
};
const setTime = median(() => lintFileSet(targets, files, { major: 16, hardware }), 300);
reads.clear();
const setFindings = [...lintFileSet(targets, files, { major: 16, hardware }).values()].flat().length;
// Before (9ff73a9, counted with a counter in each parser): postgresql.conf 3 (its SSL fact, its
// rules, pgbouncer's server figures), pg_hba.conf 2 (its rules, its open lines), pgbouncer.ini 1.
const BEFORE: Record<string, number> = { 'postgresql.conf': 3, 'pg_hba.conf': 2, 'pgbouncer.ini': 1 };
const parses = [...SET.keys()].map((p) => `${p} ${reads.get(p) ?? 0} (before ${BEFORE[p]})`).join(', ');
console.log(`${'set of 3'.padEnd(12)} ${setFindings} findings | lintFileSet + hardware ${setTime.toFixed(3)} ms | parses per lint: ${parses}`);
