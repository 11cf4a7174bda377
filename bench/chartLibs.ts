// `tsx bench/chartLibs.ts [--runs N] [--updates N]`: which chart library for the dashboard.
// One hour of 1-second samples for 8 series (3,600 × 8 = 28,800 points) drawn in headless
// Chromium (Debian's, playwright-core), then N updates that each append a sample (and drop the
// oldest) and redraw; an update's time runs from the data change to the next frame after it was
// drawn (rAF + task), against the same loop drawing nothing (the browser's frame cadence).
// Libraries: uPlot (what the dashboard uses) and Chart.js 4 tuned for speed (no animation,
// parsing off, no points), without and with its LTTB decimation; 1 px lines, as the dashboard. A fresh page per
// library and run; prints medians and the ratio Chart.js / uPlot; writes bench/results/chartLibs.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser } from '../scripts/lib/browser';
import { median, numberArg } from './lib/stats';

const ROOT = resolve(__dirname, '..');
const NM = join(ROOT, 'node_modules');
const RUNS = numberArg('--runs', 3);
const UPDATES = numberArg('--updates', 60);
const POINTS = 3600;
const SERIES = 8;

/** The data and the timing loop every page shares: window.__bench(draw, update) → {initial, updates}. */
const COMMON = `
const POINTS = ${POINTS}, SERIES = ${SERIES}, UPDATES = ${UPDATES};
const t0 = 1764147600;
const xs = Array.from({ length: POINTS }, (_, i) => t0 + i);
const ys = Array.from({ length: SERIES }, (_, s) => Array.from({ length: POINTS }, (_, i) => 100 + 50 * Math.sin(i / (30 + s * 7)) + 20 * Math.sin(i / 3.1 + s)));
const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
window.__bench = async (draw, update) => {
  let t = performance.now();
  await draw();
  await frame();
  const initial = performance.now() - t;
  const times = [];
  const work = [];
  for (let u = 0; u < UPDATES; u++) {
    const n = POINTS + u;
    xs.shift(); xs.push(t0 + n);
    for (let s = 0; s < SERIES; s++) { ys[s].shift(); ys[s].push(100 + 50 * Math.sin(n / (30 + s * 7)) + 20 * Math.sin(n / 3.1 + s)); }
    await frame();
    t = performance.now();
    await update(); // resolves when the library has drawn the new data
    work.push(performance.now() - t);
    await frame();
    times.push(performance.now() - t);
  }
  return { initial, times, work };
};`;

const COLOURS = ['#3794ff', '#89d185', '#d18616', '#b180d7', '#f14c4c', '#cca700', '#4ec9b0', '#cccccc'];

const PAGES: Record<string, string> = {
  // The same loop with nothing drawn: how long "to the next frame" is in this headless browser
  // (frame cadence, software compositing) when an update costs nothing.
  'no chart (baseline)': `<script>${COMMON}
window.__run = () => window.__bench(() => undefined, () => undefined);</script>`,
  uPlot: `<link rel="stylesheet" href="file://${NM}/uplot/dist/uPlot.min.css">
<script src="file://${NM}/uplot/dist/uPlot.iife.min.js"></script>
<script>${COMMON}
let plot, drawn;
window.__run = () => window.__bench(
  () => new Promise((r) => { drawn = r; plot = new uPlot({ width: 1200, height: 300, scales: { x: { time: true } }, hooks: { draw: [() => drawn && drawn()] }, series: [{}, ...ys.map((_, s) => ({ label: 's' + s, stroke: ${JSON.stringify(COLOURS)}[s], width: 1 }))] }, [xs, ...ys], document.getElementById('c')); }),
  // uPlot draws in a microtask after setData; its draw hook says when that is done
  () => new Promise((r) => { drawn = r; plot.setData([xs, ...ys]); }),
);</script>`,
  'Chart.js': chartJsPage(false),
  'Chart.js + decimation': chartJsPage(true),
};

function chartJsPage(decimate: boolean): string {
  return `<script src="file://${NM}/chart.js/dist/chart.umd.min.js"></script>
<script>${COMMON}
let chart;
const toData = (s) => xs.map((x, i) => ({ x, y: ys[s][i] }));
window.__run = () => window.__bench(
  () => {
    const canvas = document.createElement('canvas');
    document.getElementById('c').append(canvas);
    chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: ys.map((_, s) => ({ label: 's' + s, data: toData(s), borderColor: ${JSON.stringify(COLOURS)}[s], borderWidth: 1, pointRadius: 0, tension: 0 })) },
      options: { animation: false, parsing: false, normalized: true, spanGaps: true, responsive: false, events: [],
        scales: { x: { type: 'linear' }, y: { type: 'linear' } },
        plugins: { legend: { display: true }, tooltip: { enabled: false }${decimate ? ", decimation: { enabled: true, algorithm: 'lttb', samples: 1200 }" : ''} } },
    });
  },
  // without animation Chart.js draws inside update()
  () => { chart.data.datasets.forEach((d, s) => { d.data = toData(s); }); chart.update('none'); },
);</script>
<style>#c canvas { width: 1200px !important; height: 300px !important; }</style>`;
}

async function main(): Promise<void> {
  console.log(`chartLibs bench: ${SERIES} series × ${POINTS} points = ${SERIES * POINTS} points; ${UPDATES} appended samples; ${RUNS} runs per library`);
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bench-charts-'));
  const results: Record<string, { initialMs: number; drawMedianMs: number; updateMedianMs: number; updateP95Ms: number }> = {};
  const browser = await launchBrowser();
  try {
    for (const [name, body] of Object.entries(PAGES)) {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.html`);
      writeFileSync(file, `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="c"></div>${body}</body></html>`);
      const initial: number[] = [];
      const updates: number[] = [];
      const draws: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 400 } });
        await page.goto(`file://${file}`);
        const out = await page.evaluate<{ initial: number; times: number[]; work: number[] }>('window.__run()');
        initial.push(out.initial);
        updates.push(...out.times.slice(5)); // the first few updates warm the JIT
        draws.push(...out.work.slice(5));
        if (r === 0) {
          mkdirSync(join(ROOT, 'test-results', 'dashboard'), { recursive: true });
          await page.screenshot({ path: join(ROOT, 'test-results', 'dashboard', `bench-${name.replace(/\W+/g, '-')}.png`) });
        }
        await page.close();
      }
      const sorted = [...updates].sort((a, b) => a - b);
      results[name] = {
        initialMs: +median(initial).toFixed(1),
        drawMedianMs: +median(draws).toFixed(2),
        updateMedianMs: +median(updates).toFixed(2),
        updateP95Ms: +sorted[Math.floor(sorted.length * 0.95)]!.toFixed(2),
      };
      const r = results[name];
      console.log(
        `  ${name.padEnd(22)} first draw ${r.initialMs} ms; per update: drawing ${r.drawMedianMs} ms, to the next frame ${r.updateMedianMs} ms (p95 ${r.updateP95Ms} ms)`,
      );
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const u = results.uPlot!;
  const c = results['Chart.js']!;
  const d = results['Chart.js + decimation']!;
  const summary = {
    points: SERIES * POINTS,
    updatesPerRun: UPDATES,
    runs: RUNS,
    results,
    ratioChartJsToUplot: +(c.drawMedianMs / u.drawMedianMs).toFixed(1),
    ratioChartJsDecimatedToUplot: +(d.drawMedianMs / u.drawMedianMs).toFixed(1),
    targetMs: 16,
    loadAverage: loadavg()[0] ?? 0,
  };
  console.log(
    `drawing an update, ratio Chart.js / uPlot: ${summary.ratioChartJsToUplot}× (with decimation ${summary.ratioChartJsDecimatedToUplot}×); uPlot ${u.drawMedianMs <= 16 ? 'within' : 'OVER'} the 16 ms target; load average ${summary.loadAverage.toFixed(1)}`,
  );
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'chartLibs.json'), JSON.stringify(summary, null, 2) + '\n');
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
