// The log panel's page in headless Chromium under the panel's own CSP, with the report of logs
// real servers wrote (test/support/logWorkload.ts's conditions, and the auto_explain fixture of a
// real PostgreSQL 16): the figures are the report's, tables sort and filter, the brush, a row's log
// line and a plan send messages the extension's validator takes; dark and light, wide and narrow,
// screenshots in test-results/logs/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchBrowser } from '../../scripts/lib/browser';
import { buildPageBundle } from '../../scripts/lib/pageBundle';
import { writeLogsHarness } from '../../scripts/lib/logsHarness';
import { openHarnessPage, paintedPixels } from '../../scripts/lib/harnessPage';
import type { Theme } from '../../scripts/lib/planHarness';
import { Fingerprinter, LogAnalyzer, hostFileSource, readLogs, type LogReport } from '../../src/core/logs';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../../src/core/logs/logsProtocol';
import { localHost } from '../../src/core/host/localHost';
import { makeWorkloadLog } from '../support/logWorkload';
import { tempDir } from '../support/tempDir';
import { testMajor } from '../support/testServer';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'test-results', 'logs');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'logs', 'auto_explain-pg16.log');
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: run scripts/setup-system.sh`;
if (skip) console.log(`# skipped: ${skip}`);

let browser: Browser;
let page: Page;
let dist: string;
let report: LogReport;
let files: string[];
const dir = tempDir('logs-page');
chmodSync(dir, 0o755);

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  const log = await makeWorkloadLog(testMajor(), join(dir, 'workload'));
  files = [log.stderr, FIXTURE];
  const a = new LogAnalyzer(await Fingerprinter.create());
  const { reads } = await readLogs(
    files.map((f) => hostFileSource(localHost, f)),
    a,
  );
  report = a.report(reads);
  dist = await buildPageBundle(dir, 'logs');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
after(async () => browser?.close());

const message = (): HostMessage => ({
  type: 'report',
  title: 'hotel',
  source: { kind: 'files', text: `${files.length} files on this machine`, files },
  report,
  readAt: new Date().toISOString(),
  readMs: 42,
  readBytes: report.sources.reduce((n, s) => n + s.bytes, 0),
  canExplain: true,
});

async function open(m: HostMessage, theme: Theme, width = 1280): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  await openHarnessPage(page, writeLogsHarness(dir, dist, m, theme));
}

/** What the page sent after 'ready', each through the extension's validator. */
async function sent(): Promise<WebviewMessage[]> {
  const raw = await page.evaluate<unknown[]>('window.__sent');
  return raw.slice(1).map((m) => {
    const v = parseWebviewMessage(m);
    assert.ok(v, `the validator refused ${JSON.stringify(m)}`);
    return v;
  });
}

const figure = (label: string) =>
  page
    .locator('.stat', { has: page.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }) })
    .locator('.stat-value')
    .innerText();

for (const theme of ['dark', 'light'] as const) {
  test(`${theme}: the summary's figures are the report's, the chart is drawn, every table is there`, { skip, timeout: 300_000 }, async () => {
    await open(message(), theme);
    const s = report.summary;
    assert.ok(
      s.statements > 0 && s.errors > 0 && s.connections > 0 && report.plans.length === 2,
      'the workload made statements, errors, connections and plans',
    );
    assert.equal(await figure('Statements'), String(s.statements));
    assert.equal(await figure('Errors'), String(s.errors));
    assert.equal(await figure('Connections'), String(s.connections));
    assert.equal(await figure('Plans'), String(report.planCount));
    assert.equal(await page.locator('[data-table=statements] tbody tr').count(), report.statements.length);
    assert.equal(await page.locator('[data-table=errors] tbody tr').count(), report.errors.length);
    assert.equal(await page.locator('[data-table=plans] tbody tr').count(), 2);
    const [drawn = 0] = await paintedPixels(page, '.uplot canvas');
    assert.ok(drawn > 500, `${drawn} painted pixels`);
    await page.screenshot({ path: join(OUT, `report-${theme}.png`), fullPage: true });
  });
}

test('a header click sorts the table, a second reverses it; the filter keeps matching rows', { skip, timeout: 120_000 }, async () => {
  await open(message(), 'dark');
  const counts = () => page.locator('[data-table=statements] tbody tr td:nth-child(2)').allInnerTexts();
  const header = page.locator('[data-table=statements] th', { hasText: 'Count' });
  await header.click();
  const down = (await counts()).map(Number);
  assert.deepEqual(
    down,
    [...down].sort((a, b) => b - a),
  );
  assert.equal(await header.getAttribute('aria-sort'), 'descending');
  await header.click();
  const up = (await counts()).map(Number);
  assert.deepEqual(
    up,
    [...up].sort((a, b) => a - b),
  );
  const filter = page.locator('[data-table=errors] input.filter');
  await filter.fill('division');
  const rows = await page.locator('[data-table=errors] tbody tr').allInnerTexts();
  const expected = report.errors.filter((e) =>
    `${e.level} ${e.sqlstate ?? ''} ${e.pattern} ${e.sample.statement ?? ''}`.toLowerCase().includes('division'),
  ).length;
  assert.ok(expected > 0);
  assert.equal(rows.length, expected);
  assert.ok(rows.every((r) => /division/i.test(r)));
});

test('the brush sends a range, a line link its file and line, Open plan and Explain their row', { skip, timeout: 120_000 }, async () => {
  await open(message(), 'dark');
  const over = page.locator('.u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await page.locator('[data-table=errors] a.line-link').first().click();
  await page.locator('[data-table=plans] button', { hasText: 'Open plan' }).first().click();
  await page.locator('[data-table=statements] button', { hasText: 'Explain' }).first().click();
  const m = await sent();
  const range = m.find((x) => x.type === 'range');
  assert.ok(range?.type === 'range' && range.range, 'a range');
  const first = Date.parse(report.summary.first!);
  const last = Date.parse(report.summary.last!);
  assert.ok(range.range.since >= first - 3_600_000 && range.range.until <= last + 3_600_000, JSON.stringify(range.range));
  const ref = m.find((x) => x.type === 'openRef');
  assert.ok(ref?.type === 'openRef' && files.includes(ref.file) && ref.line >= 1);
  assert.ok(
    report.errors.some((e) => e.sample.file === ref.file && e.sample.line === ref.line),
    'the line of an error row',
  );
  assert.ok(m.some((x) => x.type === 'openPlan' && x.index >= 0 && x.index < report.plans.length));
  assert.ok(m.some((x) => x.type === 'explain' && report.statements.some((s) => s.id === x.statementId)));
});

test('narrow (420 px, light): nothing runs off the page but the tables, which scroll in their box', { skip, timeout: 120_000 }, async () => {
  await open(message(), 'light', 420);
  await page.screenshot({ path: join(OUT, 'report-narrow-light.png'), fullPage: true });
  const overflow = await page.evaluate(() => {
    const wide = Array.from(document.querySelectorAll('body *')).filter(
      (e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1,
    );
    return wide.map((e) => `${e.tagName.toLowerCase()}.${e.className}`).slice(0, 5);
  });
  assert.deepEqual(overflow, [], "elements past the panel's right edge");
});

test('no log readable: the reason and what to do, with Try again', { skip, timeout: 120_000 }, async () => {
  const text = "Cannot read hotel's log. Through SQL: this role may not list the log directory. Grant this role pg_monitor …";
  await open({ type: 'failed', message: text }, 'dark');
  assert.equal(await page.locator('.message.failed p').innerText(), text);
  await page.locator('.message button', { hasText: 'Try again' }).click();
  assert.ok((await sent()).some((x) => x.type === 'refresh'));
  await page.screenshot({ path: join(OUT, 'failed-dark.png') });
});

test(
  'a read under way offers Cancel, over a report and on an empty page; a cancelled read shows the report as it was, with why',
  { skip, timeout: 120_000 },
  async () => {
    const post = (m: HostMessage) => page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
    await open(message(), 'dark');
    const before = await figure('Statements');
    await post({ type: 'loading', text: 'Reading 2026-12-01T10:00:00.000Z – 2026-12-01T11:00:00.000Z…', cancellable: true });
    const note = page.locator('.toolbar .loading-note');
    await note.locator('button', { hasText: 'Cancel' }).click();
    assert.ok(
      (await sent()).some((x) => x.type === 'cancel'),
      'Cancel sends cancel',
    );
    const why = 'Range read cancelled. The report shown is of the last read that finished. Drag across the chart to read a range again.';
    await post({ type: 'cancelled', message: why });
    await page.locator('.toolbar .loading-note.cancelled', { hasText: why }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('.toolbar button', { hasText: 'Cancel' }).count(), 0, 'no Cancel once the read stopped');
    assert.equal(await figure('Statements'), before);
    await page.screenshot({ path: join(OUT, 'cancelled-dark.png') });
    // A read that is not cancellable (finding the log) has no button.
    await post({ type: 'loading', text: "Finding hotel's log…" });
    assert.equal(await page.locator('.toolbar .loading-note button').count(), 0);

    await open({ type: 'loading', text: 'Reading /var/log/postgresql on db (SSH)…', cancellable: true }, 'dark');
    await page.locator('.message button', { hasText: 'Cancel' }).click();
    assert.ok((await sent()).some((x) => x.type === 'cancel'));
    await post({ type: 'cancelled', message: 'Read cancelled. Refresh reads the whole log again.' });
    await page.locator('.message.cancelled button', { hasText: 'Try again' }).click();
    assert.ok(
      (await sent()).some((x) => x.type === 'refresh'),
      'Try again reads again',
    );
  },
);

test('a long read shows its report so far: the chart, how much is read, and Cancel', { skip, timeout: 120_000 }, async () => {
  const total = 1024 ** 3;
  const m = message();
  assert.ok(m.type === 'report');
  await open({ ...m, progress: { done: total / 4, total } }, 'dark');
  assert.match(await page.locator('.subtitle').innerText(), /so far · 25 % read \(256(\.0)? MB of 1(\.0)? GB/);
  await page.locator('.toolbar .loading-note button', { hasText: 'Cancel' }).click();
  assert.ok((await sent()).some((x) => x.type === 'cancel'));
  assert.equal(await figure('Statements'), String(report.summary.statements));
  await page.screenshot({ path: join(OUT, 'progress-dark.png') });
});

test('a log whose prefix has no %u or %d: the Who column says "–", never a lone "in"', { skip, timeout: 120_000 }, async () => {
  const m = message();
  assert.ok(m.type === 'report');
  const statements = m.report.statements.map((g) => ({ ...g, users: {}, databases: {} }));
  await open({ ...m, report: { ...m.report, statements } }, 'dark');
  const who = await page.locator('[data-table=statements] .who').allInnerTexts();
  assert.ok(who.length > 0);
  assert.ok(
    who.every((w) => w.trim() === '–'),
    who.join(' | '),
  );
});
