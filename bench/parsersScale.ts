// `npm run bench:parsers [-- --runs N]`: parse time against input size, to show the parsers are
// linear (#12 item 12): pg_hba.conf and pgbouncer.ini of 1k/10k/100k lines (parse, then parse +
// lint), plans 100/1,000/10,000 deep (JSON) and 100/1,000/5,000 deep (text, whose indentation makes its
// size grow with the square of the depth, so its figure is per character). Prints the median of the runs and the
// ratio of time per line (per node, per character) of each size to the smallest: ~1 is linear,
// 10 would be quadratic at 10× the size. Also the same plan code's baseline in the same run:
// JSON.parse of the plan text alone. Figures only (docs/architecture.md).
import { loadavg } from 'node:os';
import { parseHba } from '../src/core/conf/hbaParser';
import { parsePgbouncerIni } from '../src/core/conf/pgbouncerParser';
import { lintHba } from '../src/core/lint/hbaRules';
import { lintPgbouncer } from '../src/core/lint/pgbouncerRules';
import { parsePlan } from '../src/core/explain/parsePlan';

const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 5;

function median(f: () => unknown): number {
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    f();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
}

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const hbaOf = (n: number) => Array.from({ length: n }, (_, i) => `host db${i} u${i} ${ip(i)}/32 scram-sha-256\n`).join('');
const iniOf = (n: number) => `[databases]\n${Array.from({ length: n }, (_, i) => `db${i} = host=h${i} dbname=d${i} pool_size=5\n`).join('')}`;
const FIGS = '"Startup Cost":0,"Total Cost":1,"Plan Rows":1,"Plan Width":4,"Actual Startup Time":0.1,"Actual Total Time":1,"Actual Rows":1,"Actual Loops":1';
const jsonPlanOf = (d: number) =>
  `[{"Plan":${`{"Node Type":"Limit",${FIGS},"Plans":[`.repeat(d)}{"Node Type":"Seq Scan","Relation Name":"t",${FIGS}}${']}'.repeat(d)}}]`;
const NODE = 'Limit  (cost=0.00..1.00 rows=1 width=4) (actual time=0.100..1.000 rows=1 loops=1)';
const textPlanOf = (d: number) => [NODE, ...Array.from({ length: d - 1 }, (_, i) => `${' '.repeat(2 + 6 * i)}->  ${NODE}`)].join('\n');

interface Row {
  what: string;
  size: number;
  unit: number;
  ms: number;
}
const rows: Row[] = [];
function measure(what: string, sizes: number[], make: (n: number) => string, run: (text: string) => unknown, unitOf: (n: number, text: string) => number) {
  for (const n of sizes) {
    const text = make(n);
    run(text); // warm
    rows.push({ what, size: n, unit: unitOf(n, text), ms: median(() => run(text)) });
  }
}

const lines = (n: number) => n;
measure('pg_hba.conf parse', [1_000, 10_000, 100_000], hbaOf, (t) => parseHba(t, { major: 16 }), lines);
measure('pg_hba.conf parse + lint', [1_000, 10_000, 100_000], hbaOf, (t) => lintHba(t, { file: 'pg_hba.conf', major: 16 }), lines);
measure('pgbouncer.ini parse', [1_000, 10_000, 100_000], iniOf, parsePgbouncerIni, lines);
measure('pgbouncer.ini parse + lint', [1_000, 10_000, 100_000], iniOf, (t) => lintPgbouncer(t, { file: 'pgbouncer.ini' }), lines);
measure('JSON plan parsePlan, per node', [100, 1_000, 10_000], jsonPlanOf, parsePlan, lines);
measure('JSON.parse of the same text (baseline)', [100, 1_000, 10_000], jsonPlanOf, (t) => JSON.parse(t), lines);
// 10,000 deep would be 287 MB of indentation, past the paste reader's 256 MB bound: 5,000 is 72 MB.
measure('text plan parsePlan, per character', [100, 1_000, 5_000], textPlanOf, parsePlan, (_n, t) => t.length);

process.stdout.write(`parsersScale: median of ${RUNS} runs, load ${loadavg()[0]!.toFixed(1)}\n`);
let last = '';
let base = 0;
for (const r of rows) {
  if (r.what !== last) {
    process.stdout.write(`${r.what}\n`);
    last = r.what;
    base = r.ms / r.unit;
  }
  const per = r.ms / r.unit;
  process.stdout.write(
    `  ${String(r.size).padStart(7)}: ${r.ms.toFixed(2).padStart(9)} ms, ${(per * 1000).toFixed(3)} µs per unit (${r.unit} units); ×${(per / base).toFixed(2)} of the smallest\n`,
  );
}
