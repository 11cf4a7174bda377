// `tsx bench/planPastes.ts [--runs N]`: the paste corpus (test/fixtures/pastes/, real servers
// 13–18 and the hand-made variations) read by pgdba and by PEV2 in the same run:
//   read counts   pastes each reads (pgdba: parsePlan without error; PEV2: its store has a plan);
//   parse time    per paste, median of N runs after two warm-ups: pgdba's parsePlan (unwrapping,
//                 parse, the typed tree with its metrics) in Node; PEV2's store.parse (fromSource,
//                 createPlan, the flat tree) in headless chromium (scripts/lib/pev2Reader.ts);
//                 the ratio PEV2 / pgdba per paste, then its median over the pastes both read.
// Prints the table and writes bench/results/planPastes.json. Figures only (docs/architecture.md).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser } from '../scripts/lib/browser';
import { openPev2Reader } from '../scripts/lib/pev2Reader';
import { parsePlan } from '../src/core/explain/parsePlan';
import { median } from './lib/stats';

const ROOT = resolve(__dirname, '..');
const CORPUS = join(ROOT, 'test', 'fixtures', 'pastes');
const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 7;

function timeOurs(text: string): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t0 = performance.now();
    try {
      parsePlan(text);
    } catch {
      return undefined;
    }
    if (i >= 2) out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const files = readdirSync(CORPUS)
    .flatMap((d) => readdirSync(join(CORPUS, d)).map((f) => `${d}/${f}`))
    .filter((f) => !f.endsWith('README.md'))
    .sort();
  console.log(`planPastes bench: ${files.length} pastes, ${RUNS} runs each`);
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bench-pastes-'));
  const browser = await launchBrowser();
  const rows: { file: string; pgdbaMs?: number; pev2Ms?: number; ratio?: number }[] = [];
  let version = '';
  try {
    const pev2 = await openPev2Reader(browser, dir);
    version = pev2.version;
    // Both warmed up on the whole corpus first: the first pastes timed would pay for the JIT.
    for (const file of files) {
      const text = readFileSync(join(CORPUS, file), 'utf8');
      for (let i = 0; i < 5; i++) {
        try {
          parsePlan(text);
        } catch {
          // timed (and counted as not read) below
        }
      }
      await pev2.time(text, 3);
    }
    for (const file of files) {
      const text = readFileSync(join(CORPUS, file), 'utf8');
      const ours = timeOurs(text);
      const theirs = (await pev2.read(text)).ok ? median(await pev2.time(text, RUNS)) : undefined;
      const pgdbaMs = ours ? median(ours) : undefined;
      const ratio = pgdbaMs !== undefined && theirs !== undefined ? theirs / pgdbaMs : undefined;
      rows.push({ file, pgdbaMs, pev2Ms: theirs, ratio });
      const f = (x?: number) => (x === undefined ? '   —   ' : x.toFixed(3).padStart(7));
      console.log(`  ${file.padEnd(46)} pgdba ${f(pgdbaMs)} ms   PEV2 ${f(theirs)} ms   ${ratio === undefined ? '' : `${ratio.toFixed(2)}×`}`);
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const both = rows.filter((r) => r.ratio !== undefined);
  const result = {
    pastes: rows.length,
    runs: RUNS,
    pev2Version: version,
    readByPgdba: rows.filter((r) => r.pgdbaMs !== undefined).length,
    readByPev2: rows.filter((r) => r.pev2Ms !== undefined).length,
    pgdbaMedianMs: +median(rows.flatMap((r) => (r.pgdbaMs === undefined ? [] : [r.pgdbaMs]))).toFixed(3),
    pev2MedianMs: +median(rows.flatMap((r) => (r.pev2Ms === undefined ? [] : [r.pev2Ms]))).toFixed(3),
    medianRatio: +median(both.map((r) => r.ratio!)).toFixed(2),
    ratioRange: [+Math.min(...both.map((r) => r.ratio!)).toFixed(2), +Math.max(...both.map((r) => r.ratio!)).toFixed(2)],
    loadAverage: loadavg()[0] ?? 0,
    rows,
  };
  console.log(`read: pgdba ${result.readByPgdba} / ${result.pastes}, PEV2 ${version} ${result.readByPev2} / ${result.pastes}`);
  console.log(
    `parse per paste, median over pastes: pgdba ${result.pgdbaMedianMs} ms, PEV2 ${result.pev2MedianMs} ms; PEV2 / pgdba per paste: median ${result.medianRatio}× (${result.ratioRange.join('–')}×); load average ${result.loadAverage.toFixed(1)}`,
  );
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'planPastes.json'), JSON.stringify(result, null, 2) + '\n');
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
