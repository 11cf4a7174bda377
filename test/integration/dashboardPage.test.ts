// The dashboard page in headless Chromium (Debian's, through playwright-core) with recorded
// samples: it draws every chart, lists the alerts, sorts the top queries, asks for "Explain" by
// id only, drops malformed messages, and loads under a strict CSP with nothing remote.
// Screenshots in the dark and light themes go to test-results/dashboard/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchBrowser } from '../../scripts/lib/browser';
import { buildPageBundle } from '../../scripts/lib/pageBundle';
import { writeDashboardHarness } from '../../scripts/lib/dashboardHarness';
import { paintedPixels } from '../../scripts/lib/harnessPage';
import type { Theme } from '../../scripts/lib/planHarness';
import { DashboardSampler } from '../../src/core/dashboard/sampler';
import { historyCapacity } from '../../src/core/dashboard/history';
import { thresholdLines } from '../../src/core/dashboard/dashboardAlerts';
import type { HostMessage } from '../../src/core/dashboard/dashboardProtocol';
import type { TopQuery } from '../../src/core/dashboard/topQueries';
import { resolveThresholds } from '../../src/core/stats/thresholds';
import { recordedHostSamples, recordedSamples } from '../support/dashboardSamples';
import { tempDir } from '../support/tempDir';

const OUT = join(resolve(__dirname, '..', '..'), 'test-results', 'dashboard');
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (Debian's chromium package): the dashboard page is not rendered`;
if (skip) console.log(`# skipped: ${skip}`);

const TOP: TopQuery[] = [
  {
    id: '101',
    query: 'SELECT * FROM bookings WHERE guest_id = $1',
    database: 'hotel',
    user: 'app',
    calls: 120_000,
    totalMs: 95_000,
    meanMs: 0.79,
    rows: 240_000,
    pctOfTotal: 61.2,
    generic: true,
  },
  {
    id: '102',
    query: 'UPDATE rooms SET status = $1 WHERE id = $2',
    database: 'hotel',
    user: 'app',
    calls: 8_000,
    totalMs: 41_000,
    meanMs: 5.1,
    rows: 8_000,
    pctOfTotal: 26.4,
    generic: true,
  },
  {
    id: '103',
    query: 'SELECT count(*) FROM invoices',
    database: 'hotel',
    user: 'report',
    calls: 12,
    totalMs: 19_000,
    meanMs: 1583,
    rows: 12,
    pctOfTotal: 12.2,
    generic: false,
  },
  {
    id: '104',
    query: 'VACUUM ANALYZE rooms',
    database: 'hotel',
    user: 'postgres',
    calls: 3,
    totalMs: 300,
    meanMs: 100,
    rows: 0,
    pctOfTotal: 0.2,
    generic: false,
    notExplainable: 'VACUUM cannot run inside a transaction block, and EXPLAIN cannot show it',
  },
];

/** The run's messages; `host`: each point with its machine's read beside it (host charts), `hostNote`: why there are none. */
function messages(o: { host?: boolean; hostNote?: string } = {}): HostMessage[] {
  const { thresholds } = resolveThresholds();
  const sampler = new DashboardSampler(historyCapacity(2), thresholds);
  const samples = recordedSamples();
  const machine = recordedHostSamples();
  // All but the last ten as history (a panel re-opened), the last ten as live samples.
  const ticks = samples.map((s, i) => sampler.add(s, o.host ? machine[i] : undefined));
  const history = ticks.slice(0, -10).map((t) => t.point);
  return [
    {
      type: 'init',
      init: {
        connection: 'hotel-prod',
        serverVersion: '16.14',
        intervalSeconds: 2,
        thresholds: thresholdLines(thresholds),
        history,
        capacity: sampler.history.capacity,
        ...(o.hostNote ? { hostNote: o.hostNote } : {}),
      },
    },
    ...ticks.slice(-10).map((t): HostMessage => ({ type: 'sample', point: t.point, alerts: t.alerts })),
    { type: 'topQueries', rows: TOP },
  ];
}

let browser: Browser;
let dist: string;
const pages = tempDir('dashboard-page');

before(async () => {
  if (skip) return;
  mkdirSync(OUT, { recursive: true });
  dist = await buildPageBundle(pages, 'dashboard');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function open(theme: Theme, o: Parameters<typeof messages>[0] = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file://') && !r.url().startsWith('data:')) errors.push(`remote request: ${r.url()}`);
  });
  await page.goto(`file://${writeDashboardHarness(pages, dist, messages(o), theme)}`);
  await page.waitForFunction(() => document.body.dataset.points === '300', undefined, { timeout: 30_000 });
  await page.waitForSelector('vscode-table-row', { timeout: 30_000 });
  return { page, errors };
}

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`the dashboard draws recorded samples in the ${theme} theme, under the CSP, with nothing remote`, { skip, timeout: 120_000 }, async () => {
    const { page, errors } = await open(theme);
    try {
      const cards = await page.$$eval('.card:not([hidden])', (els) => els.map((e) => e.getAttribute('data-chart')));
      assert.deepEqual(cards, ['connections', 'tps', 'cache', 'tuples', 'checkpoints', 'wal', 'locks', 'xacts', 'size', 'replication']);
      // every visible chart has a canvas with something drawn on it
      const painted = await paintedPixels(page, '.card:not([hidden]) canvas');
      assert.equal(painted.length, 10);
      for (const n of painted) assert.ok(n > 500, `a chart is (nearly) blank: ${painted.join(', ')}`);
      // the newest sample is past the connections warning (climbing idle sessions): listed at the top
      const alerts = await page.$$eval('.alert', (els) => els.map((e) => e.textContent ?? ''));
      assert.ok(
        alerts.some((a) => /connections.*warning threshold of 80%/.test(a)),
        `alerts: ${alerts.join(' | ')}`,
      );
      assert.deepEqual(await page.evaluate('window.__violations'), [], 'CSP violations');
      assert.deepEqual(errors, []);
      await page.screenshot({ path: join(OUT, `dashboard-${theme}.png`), fullPage: true });
      // the time range: every sample kept (ten minutes) instead of the last five
      const before = await page.evaluate(() => document.querySelector('.card[data-chart="tps"]')!.getAttribute('data-x-span'));
      await page.locator('vscode-single-select').click();
      await page.locator('vscode-single-select').getByRole('option', { name: 'All samples' }).click();
      const after = await page.evaluate(() => document.querySelector('.card[data-chart="tps"]')!.getAttribute('data-x-span'));
      assert.deepEqual([before, after], ['300', '598'], 'the x axis spans five minutes, then all ten (seconds)');
      await page.screenshot({ path: join(OUT, `dashboard-all-samples-${theme}.png`), fullPage: true });
    } finally {
      await page.close();
    }
  });
}

/** How many pixels of each visible chart's canvases are painted. */
const paintedCharts = (page: Page) =>
  page.$$eval('.card:not([hidden])', (cards) =>
    cards.map((card) => {
      let n = 0;
      for (const c of Array.from(card.querySelectorAll('canvas'))) {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      }
      return [card.getAttribute('data-chart'), n] as const;
    }),
  );

test(
  "the host charts: CPU busy, memory used and page cache, load, disk reads/writes, from the machine's part of each point",
  { skip, timeout: 120_000 },
  async () => {
    const { page, errors } = await open('dark', { host: true });
    try {
      const painted = await paintedCharts(page);
      assert.deepEqual(
        painted.map(([id]) => id),
        [
          'connections',
          'tps',
          'cache',
          'tuples',
          'checkpoints',
          'wal',
          'locks',
          'xacts',
          'size',
          'replication',
          'host-cpu',
          'host-memory',
          'host-load',
          'host-disk',
        ],
      );
      for (const [id, n] of painted) assert.ok(n > 500, `${id} is (nearly) blank`);
      assert.equal(await page.$eval('.host-note', (e) => (e as HTMLElement).hidden), true, 'no note when the host is charted');
      assert.deepEqual(errors, []);
      await page.screenshot({ path: join(OUT, 'dashboard-host-dark.png'), fullPage: true });
    } finally {
      await page.close();
    }
  },
);

test('no way to the machine: the host charts are hidden and the note says why', { skip, timeout: 120_000 }, async () => {
  const note = 'No host charts: db1 is another machine; give the profile an SSH hop ("ssh") to chart its CPU, memory and disks.';
  const { page } = await open('dark', { hostNote: note });
  try {
    const ids = (await paintedCharts(page)).map(([id]) => id);
    assert.ok(!ids.some((id) => id?.startsWith('host-')), ids.join(', '));
    assert.equal(await page.$eval('.host-note', (e) => (e as HTMLElement).hidden), false);
    assert.equal(await page.$eval('.host-note', (e) => e.textContent), note);
  } finally {
    await page.close();
  }
});

test('the top-queries table sorts by a clicked column, and Explain sends only the query id', { skip, timeout: 120_000 }, async () => {
  const { page } = await open('dark');
  try {
    const firstQuery = () => page.$eval('vscode-table-row vscode-table-cell.query', (c) => c.textContent);
    assert.match((await firstQuery()) ?? '', /bookings/, 'sorted by total time, descending, at first');
    await page.click('vscode-table-header-cell[data-key="meanMs"]');
    assert.match((await firstQuery()) ?? '', /invoices/, 'the slowest statement on average first');
    await page.click('vscode-table-header-cell[data-key="meanMs"]');
    assert.match((await firstQuery()) ?? '', /bookings/, 'a second click reverses');
    await page.click('vscode-table-header-cell[data-key="meanMs"]');
    await page.locator('vscode-table-row').first().locator('vscode-button').click();
    const vacuum = page.locator('vscode-table-row', { hasText: 'VACUUM' }).locator('vscode-button');
    assert.equal(await vacuum.getAttribute('disabled'), '', 'VACUUM cannot be explained: its button is disabled');
    await page.click('vscode-button:has-text("Export CSV")');
    const sent = await page.evaluate<unknown[]>('window.__sent');
    assert.deepEqual(sent, [{ type: 'ready' }, { type: 'explain', id: '103' }, { type: 'exportCsv' }]);
    await page.screenshot({ path: join(OUT, 'dashboard-sorted-by-mean.png') });
  } finally {
    await page.close();
  }
});

test('the page drops malformed messages from the host and keeps drawing', { skip, timeout: 120_000 }, async () => {
  const { page, errors } = await open('dark');
  try {
    const bad = [
      { type: 'sample', point: { t: 'yesterday' }, alerts: [] },
      { type: 'sample', point: null, alerts: [] },
      { type: 'topQueries', rows: [{ id: 1, query: 'x' }] },
      { type: 'init', init: { connection: 'x' } },
      { type: 'status', paused: 'yes' },
      { type: 'runSql', sql: 'DROP TABLE t' },
      'sample',
    ];
    for (const m of bad) await page.evaluate((x) => (window as unknown as { __post(m: unknown): void }).__post(x), m);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    assert.equal(await page.evaluate(() => document.body.dataset.points), '300', 'no bad point was added');
    assert.equal(await page.$$eval('vscode-table-row', (r) => r.length), 4, 'the table was not replaced by a bad one');
    assert.deepEqual(
      errors.filter((e) => !/malformed message/.test(e)),
      [],
    );
  } finally {
    await page.close();
  }
});
