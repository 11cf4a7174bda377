// `npm run fuzz [-- --count N] [--seed S] [--scale K] [--rounds R]`: the parsers' fuzz at a large
// count (test/support/parserFuzz.ts; the unit test runs the same at 60 cases per parser). Each
// round takes a fresh seed unless --seed is given; every seed is printed, so a failure replays
// with --seed. Exit 1 on any failure.
import { FUZZ_TARGETS, fuzzParsers } from '../test/support/parserFuzz';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isFinite(v) ? v : dflt;
};
const count = opt('count', 2000);
const scale = opt('scale', 4);
const rounds = opt('rounds', 1);
const fixedSeed = argv.includes('--seed') ? opt('seed', 1) : undefined;

async function main(): Promise<void> {
  let failed = 0;
  for (let r = 0; r < rounds; r++) {
    const seed = fixedSeed ?? (Date.now() ^ (r * 0x9e3779b1)) >>> 0;
    for (const target of FUZZ_TARGETS) {
      const t0 = performance.now();
      const rep = await fuzzParsers({ seed, count, scale, targets: [target] });
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      process.stdout.write(
        `${target.padEnd(9)} seed ${seed}: ${rep.cases} cases, ${(rep.chars / 1e6).toFixed(1)}M chars, max heap ${rep.maxHeapPerChar.toFixed(0)} B/char, ${s} s, ${rep.failures.length} failures\n`,
      );
      for (const f of rep.failures.slice(0, 5)) process.stdout.write(`  case ${f.index} (${f.kind}, ${f.inputLength} chars): ${f.problem.slice(0, 300)}\n`);
      failed += rep.failures.length;
    }
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

void main();
