// PEV2's own reading of a plan, in headless chromium: its UMD build (node_modules/pev2, the
// devDependency) with Vue's global build, and the store its <pev2> component parses into
// (store.parse → PlanService.fromSource + createPlan, as when a person pastes into PEV2).
// The store is not exported: one assignment is added where the bundle creates it, and the
// reader refuses to start when that spot is not found (another PEV2 build), rather than guess.
// Used by test/integration/planPastes.test.ts and bench/planPastes.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';

const NM = resolve(__dirname, '..', '..', 'node_modules');
const STORE = /const (\w+)=(\w+)\.reactive\(\{flat:\[\],stats:/;

export interface Pev2Reading {
  /** PEV2 made a plan of it (its store has one). */
  ok: boolean;
  /** Nodes of the plan, CTEs included (store.nodeById). */
  nodes: number;
  /** store.stats.executionTime ("Execution Time" or "Total Runtime"); undefined when it has none. */
  executionMs?: number;
}

export interface Pev2Reader {
  version: string;
  read(text: string): Promise<Pev2Reading>;
  /** Milliseconds of each of `runs` parses of the text, in the page (after two unrecorded ones). */
  time(text: string, runs: number): Promise<number[]>;
  close(): Promise<void>;
}

export async function openPev2Reader(browser: Browser, dir: string): Promise<Pev2Reader> {
  const version = (JSON.parse(readFileSync(join(NM, 'pev2', 'package.json'), 'utf8')) as { version: string }).version;
  const umd = readFileSync(join(NM, 'pev2', 'dist', 'pev2.umd.js'), 'utf8');
  if (!STORE.test(umd)) throw new Error(`pev2 ${version}: its store is not where pev2 1.21 creates it; scripts/lib/pev2Reader.ts needs a look`);
  writeFileSync(join(dir, 'pev2-read.js'), umd.replace(STORE, 'const $1=globalThis.__pev2Store=$2.reactive({flat:[],stats:'));
  const file = join(dir, 'pev2-reader.html');
  writeFileSync(
    file,
    `<!DOCTYPE html><html><head><meta charset="utf-8">
<script src="file://${NM}/vue/dist/vue.global.prod.js"></script>
<script src="pev2-read.js"></script></head><body><script>
window.__read = (src) => {
  const s = window.__pev2Store;
  try { s.parse(src, ''); } catch (e) { return { ok: false, nodes: 0 }; }
  if (!s.plan) return { ok: false, nodes: 0 };
  const t = s.stats.executionTime;
  return { ok: true, nodes: s.nodeById.size, executionMs: Number.isFinite(t) ? t : undefined };
};
window.__time = (src, runs) => {
  const out = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    try { window.__pev2Store.parse(src, ''); } catch (e) {}
    if (i >= 2) out.push(performance.now() - t0);
  }
  return out;
};
</script></body></html>`,
  );
  const page: Page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${file}`);
  await page.waitForFunction('typeof window.__pev2Store === "object" && typeof window.__read === "function"', undefined, { timeout: 30_000 });
  if (errors.length > 0) throw new Error(`pev2 page: ${errors.join('; ')}`);
  return {
    version,
    // Strings, not functions: tsx's keepNames helpers do not exist in the page.
    read: (text) => page.evaluate<Pev2Reading>(`window.__read(${JSON.stringify(text)})`),
    time: (text, runs) => page.evaluate<number[]>(`window.__time(${JSON.stringify(text)}, ${runs})`),
    close: () => page.close(),
  };
}
