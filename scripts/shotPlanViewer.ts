// Screenshots of the plan viewer with real plans, light and dark, into test-results/.
//   tsx scripts/shotPlanViewer.ts
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser } from './lib/browser';
import { writePlanHarness, type Theme } from './lib/planHarness';
import { planDocOf } from '../src/core/explain/planDoc';
import type { PanelContent } from '../src/vscode/explain/planContent';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'test-results', 'plan-viewer');
const fixture = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'plans', 'pg16', name), 'utf8');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const pages = mkdtempSync(join(tmpdir(), 'pgdba-plan-shots-'));
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
    const shoot = async (message: PanelContent, theme: Theme, name: string, act?: () => Promise<void>) => {
      await page.goto(`file://${writePlanHarness(pages, message, theme)}`);
      await page.waitForFunction(() => document.body.dataset.painted !== undefined);
      if (act) await act();
      await page.screenshot({ path: join(OUT, `${name}-${theme}.png`) });
    };
    const subplans = planDocOf(fixture('subplans.txt'), 'subplans.txt — PostgreSQL 16', 'WITH top AS MATERIALIZED (…) SELECT …');
    const missing = planDocOf(
      JSON.parse(fixture('missing-index.json')),
      'Explain Analyze — hotel (PostgreSQL 16)',
      'SELECT * FROM items WHERE category = 42 AND price > 90',
      ['The statement ran inside BEGIN … ROLLBACK because it is an UPDATE: nothing it changed was kept.'],
    );
    const nested = planDocOf(
      JSON.parse(fixture('nested-loop.json')),
      'nested-loop.json',
      'SELECT o.id, c.name FROM orders o JOIN categories c ON c.code = o.qty WHERE o.id <= 2000',
    );
    for (const theme of ['dark', 'light'] as Theme[]) {
      await shoot({ type: 'show', doc: missing }, theme, 'overview');
      await shoot({ type: 'show', doc: nested }, theme, 'selected', async () => {
        await page.click('.row[data-id="2"]');
        await page.waitForSelector('aside .figures');
      });
      await shoot({ type: 'show', doc: subplans }, theme, 'subplans', async () => {
        await page.click('.row[data-id="3"]');
        await page.waitForSelector('aside .figures');
      });
      await shoot({ type: 'show', doc: nested }, theme, 'insights', async () => {
        await page.click('.tab:nth-child(2)');
      });
      await shoot({ type: 'compare', left: nested, right: planDocOf(JSON.parse(fixture('missing-index.json')), 'after.json') }, theme, 'compare');
    }
    console.log(`screenshots in ${OUT}`);
  } finally {
    await browser.close();
    rmSync(pages, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
