// `npm run bench:bundleCompile -- --against OTHER/dist/extension.js [--runs N]`: what V8 spends
// compiling the extension's bundle — the part of loading it that its size drives, and what moving
// a package into a part bundled apart saves (src/core/bundledPart.ts). Each run compiles both
// files in turn, a fresh source each time (a comment with the run's number, so V8's compilation
// cache never answers), in this process, as the extension host compiles a bundle it requires.
// Build both as releases first (node esbuild.mjs --release). Figures only; never a pass/fail.
import { readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Script } from 'node:vm';
import { median, numberArg } from './lib/stats';

const argv = process.argv.slice(2);
const RUNS = numberArg('--runs', 201);
const at = argv.indexOf('--against');
const against = at >= 0 ? argv[at + 1] : undefined;
if (!against) {
  console.error('usage: npm run bench:bundleCompile -- --against OTHER/dist/extension.js [--runs N]   (both release builds)');
  process.exit(2);
}
const files = { this: resolve(__dirname, '..', 'dist', 'extension.js'), against: resolve(against) };
const sources = { this: readFileSync(files.this, 'utf8'), against: readFileSync(files.against, 'utf8') };

function compileMs(source: string, run: number, filename: string): number {
  const started = process.hrtime.bigint();
  new Script(`${source}\n//${run}`, { filename });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const ms: Record<keyof typeof files, number[]> = { this: [], against: [] };
for (let i = 0; i < RUNS + 3; i++) {
  // The first three of each are a warm-up (the compiler's own code), not counted; the order alternates.
  const order: (keyof typeof files)[] = i % 2 ? ['this', 'against'] : ['against', 'this'];
  for (const k of order) {
    const t = compileMs(sources[k], i, files[k]);
    if (i >= 3) ms[k].push(t);
  }
}
const kB = (f: string) => (statSync(f).size / 1024).toFixed(1);
const m = { this: median(ms.this), against: median(ms.against) };
console.log(`bundle                         size       compile, median of ${RUNS}`);
console.log(`this dist/extension.js         ${kB(files.this).padStart(7)} kB  ${m.this.toFixed(2)} ms`);
console.log(`${against.padEnd(30).slice(0, 30)} ${kB(files.against).padStart(7)} kB  ${m.against.toFixed(2)} ms`);
console.log(`ratio this / against: ${(m.this / m.against).toFixed(2)}× (load average ${loadavg()[0]!.toFixed(1)})`);
