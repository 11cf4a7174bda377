// The load-test panel's page in headless Chromium (Debian's, via playwright-core) with two real
// recorded runs: one run and the comparison, light and dark, screenshots in test-results/loadtest/;
// the messages the page sends pass the extension's validator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchBrowser } from '../../scripts/lib/browser';
import { buildPageBundle } from '../../scripts/lib/pageBundle';
import { writeLoadtestHarness } from '../../scripts/lib/loadtestHarness';
import { openHarnessPage, paintedPixels } from '../../scripts/lib/harnessPage';
import type { Theme } from '../../scripts/lib/planHarness';
import { compareRuns } from '../../src/core/loadtest/compare';
import { parseWebviewMessage, type HostMessage } from '../../src/core/loadtest/loadtestProtocol';
import { parseSavedRun } from '../../src/core/loadtest/savedRun';
import type { LoadTestRun } from '../../src/core/loadtest/types';
import { tempDir } from '../support/tempDir';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'test-results', 'loadtest');
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: run scripts/setup-system.sh`;
const recorded = (name: string): LoadTestRun => {
  const r = parseSavedRun(readFileSync(join(ROOT, 'test', 'fixtures', 'pgbench', name), 'utf8'));
  if (!('run' in r)) throw new Error(r.error);
  return r.run;
};

let browser: Browser;
let page: Page;
let dist: string;
const pages = tempDir('loadtest-page');
const beforeRun = recorded('run-before.json');
const afterRun = recorded('run-after.json');
const runs = [beforeRun, afterRun];

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  dist = await buildPageBundle(pages, 'loadtest');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
});
after(async () => browser?.close());

async function open(message: HostMessage, theme: Theme): Promise<void> {
  await openHarnessPage(page, writeLoadtestHarness(pages, dist, message, theme));
}

for (const theme of ['dark', 'light'] as const) {
  test(`one run, ${theme}: two charts drawn, the percentile table, the settings`, { skip, timeout: 120_000 }, async () => {
    await open({ type: 'state', runs, view: { kind: 'run', id: afterRun.id } }, theme);
    assert.equal(await page.locator('.uplot canvas').count(), 2);
    // The canvas has pixels of the theme's chart colour: the series was drawn.
    const [drawn = 0] = await paintedPixels(page, '.uplot canvas');
    assert.ok(drawn > 1000, `${drawn} painted pixels`);
    const p95 = await page.locator('table.percentiles tr', { hasText: 'p95' }).locator('td').innerText();
    // Shown with 0–2 decimals by magnitude.
    assert.ok(Math.abs(Number(p95.replace(/,/g, '')) - afterRun.percentiles.p95Ms) < 0.5, `${p95} vs ${afterRun.percentiles.p95Ms}`);
    assert.ok(await page.getByText('work_mem', { exact: true }).isVisible());
    await page.screenshot({ path: join(OUT, `run-${theme}.png`), fullPage: true });
  });

  test(`two runs compared, ${theme}: deltas and the settings that differ`, { skip, timeout: 120_000 }, async () => {
    await open(
      { type: 'state', runs, view: { kind: 'compare', beforeId: beforeRun.id, afterId: afterRun.id, comparison: compareRuns(beforeRun, afterRun) } },
      theme,
    );
    const tpsRow = page.locator('table.deltas tr', { hasText: 'Throughput' });
    const cells = await tpsRow.locator('td').allInnerTexts();
    assert.equal(cells.length, 4);
    assert.match(cells[2]!, /^[+−±][\d,.]+ tps$/);
    const differ = await page.locator('table.settings th').allInnerTexts();
    assert.deepEqual(differ, ['commit_delay', 'work_mem']);
    assert.equal(await page.locator('.uplot').count(), 2);
    await page.screenshot({ path: join(OUT, `compare-${theme}.png`), fullPage: true });
  });
}

test('what the page sends passes the extension’s validator', { skip, timeout: 120_000 }, async () => {
  await open({ type: 'state', runs, view: { kind: 'run', id: afterRun.id } }, 'dark');
  await page.getByRole('button', { name: 'Save run' }).click();
  await page.getByRole('button', { name: 'Open run…' }).click();
  await page.getByLabel('Compare with').selectOption(beforeRun.id);
  await page.getByLabel('Run').selectOption(beforeRun.id);
  const sent = await page.evaluate(() => (window as unknown as { __sent: unknown[] }).__sent);
  assert.deepEqual(
    sent.map((m) => parseWebviewMessage(m)),
    [
      { type: 'ready' },
      { type: 'save', id: afterRun.id },
      { type: 'open' },
      { type: 'compare', beforeId: beforeRun.id, afterId: afterRun.id },
      { type: 'select', id: beforeRun.id },
    ],
  );
});
