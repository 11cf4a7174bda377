// The plan panel's page in headless Chromium (planHarness answers as the panel does): a node's
// detail and the raw plan come back under the request's id, a late answer to a request the
// person has clicked past is dropped, and what the page sends passes the extension's validator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchBrowser } from '../../scripts/lib/browser';
import { buildPageBundle } from '../../scripts/lib/pageBundle';
import { writePlanHarness } from '../../scripts/lib/planHarness';
import { planDocOf } from '../../src/core/explain/planDoc';
import { parseWebviewMessage } from '../../src/core/explain/planProtocol';
import { tempDir } from '../support/tempDir';

const ROOT = join(__dirname, '..', '..');
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: run scripts/setup-system.sh`;
const doc = planDocOf(JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'plans', 'pg16', 'nested-loop.json'), 'utf8')), 'nested-loop.json', 'SELECT 1');

let browser: Browser;
let page: Page;

before(async () => {
  if (skip) return;
  const root = tempDir('plan-page');
  const dist = await buildPageBundle(root, 'plan');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${writePlanHarness(root, { type: 'show', doc }, 'dark', dist)}`);
  await page.waitForFunction(() => document.body.dataset.painted !== undefined, undefined, { timeout: 30_000 });
  assert.deepEqual(errors, []);
});
after(async () => {
  // Every test's clicks ran under the panel's own CSP (scripts/lib/harnessPage.ts): none refused.
  try {
    if (page) assert.deepEqual(await page.evaluate('window.__violations'), [], 'CSP violations');
  } finally {
    await browser?.close();
  }
});

const sent = (p: Page) => p.evaluate<{ type: string; requestId?: number }[]>('window.__sent');

test('indentation and time bars are drawn under the CSP (set through CSSOM, not refused style attributes)', { skip, timeout: 60_000 }, async () => {
  const pads = await page.$$eval('.row .cell.label', (els) => els.map((e) => parseFloat(getComputedStyle(e).paddingLeft)));
  assert.ok(pads.length > 2 && new Set(pads).size > 1, `rows are indented by depth: ${pads.join(', ')}`);
  const widths = await page.$$eval('.row .fill', (els) => els.map((e) => e.getBoundingClientRect().width));
  assert.ok(
    widths.some((w) => w > 0),
    `some node's time bar has a width: ${widths.join(', ')}`,
  );
});

test("a node's detail and the raw plan arrive by request id; what the page sends is valid", { skip, timeout: 60_000 }, async () => {
  await page.click('.row[data-id="2"]');
  await page.waitForSelector('aside .figures');
  assert.equal(await page.locator('aside h2').first().innerText(), doc.plan.nodes[2]!.label);
  await page.click('.tab:nth-child(3)');
  await page.waitForFunction(() => !document.querySelector('pre.raw')?.classList.contains('muted'));
  assert.equal(await page.locator('pre.raw').innerText(), doc.raw.trim());
  const messages = await sent(page);
  assert.deepEqual(
    messages.map((m) => parseWebviewMessage(m)),
    messages,
    'every message passes the validator unchanged',
  );
  assert.deepEqual(
    messages.map((m) => m.type),
    ['ready', 'node', 'raw'],
  );
  const ids = messages.filter((m) => m.requestId !== undefined).map((m) => m.requestId);
  assert.equal(new Set(ids).size, ids.length, `request ids are unique: ${ids.join(', ')}`);
});

test('a late answer to a request clicked past is dropped', { skip, timeout: 60_000 }, async () => {
  await page.click('.tab:nth-child(1)');
  await page.click('.row[data-id="1"]');
  await page.waitForSelector('aside .figures');
  const first = (await sent(page)).at(-1)!;
  await page.click('.row[data-id="0"]');
  await page.waitForSelector('aside .figures');
  assert.equal(await page.locator('aside h2').first().innerText(), doc.plan.nodes[0]!.label);
  // Node 1's answer again, under its (now stale) id: the aside keeps node 0.
  await page.evaluate(`window.postMessage(${JSON.stringify({ type: 'node', side: 0, node: doc.plan.nodes[1], requestId: first.requestId })}, '*')`);
  await page.evaluate('new Promise((r) => setTimeout(r, 100))');
  assert.equal(await page.locator('aside h2').first().innerText(), doc.plan.nodes[0]!.label);
});
