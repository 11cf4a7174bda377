// The walkthrough, as a person meets it in the runner's second window: do each step's thing through
// the UI (the tree connects, a postgresql.conf opened, Explain Analyze from the palette, Verify Backup
// on a real backup, Open Dashboard), then open "Get Started with pgdba" and read each step's checkbox.
// A step is checked only by its context key (src/vscode/walkthrough.ts), set when the thing succeeded.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { runFromPalette } from '../../scripts/lib/workbenchUi';
import type { TestRecord } from './protocol';
import { SIDEBAR, clickViewButton, contextAction, expand, row } from './sidebarUi';

const STEPS = ['connect', 'lint', 'explain', 'backup', 'dashboard'] as const;

/** Quick Open (F1 without the ">"), the file's name, Enter: the file opens in an editor tab. */
async function quickOpen(page: Page, file: string): Promise<void> {
  // Focus back in the workbench: a key pressed while the walkthrough's media frame has it goes nowhere.
  await page.locator(`${SIDEBAR} .title-label`).first().click();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(file);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: file }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab').filter({ hasText: file }).first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** Add Connection from the palette, each input box answered as a person would (no password: PGPASSWORD serves). */
async function addConnection(page: Page, name: string, port: number): Promise<void> {
  const answer = async (prompt: string, text: string | undefined) => {
    await page.getByText(prompt).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    if (text !== undefined) {
      await page.keyboard.press('Control+A');
      await page.keyboard.type(text, { delay: 5 });
    }
    await page.keyboard.press('Enter');
  };
  await runFromPalette(page, 'PostgreSQL DBA: Add Connection');
  await answer('A name for this connection', name);
  await answer("SSH to the server's machine", undefined);
  await answer('Host name or address', '127.0.0.1');
  await answer('Port of the PostgreSQL server', String(port));
  await answer('Database to connect to', 'postgres');
  await answer('User to connect as', 'postgres');
  await answer('verify-full', 'disable');
  await answer('PgBouncer port', undefined);
  await answer('Password for postgres@', undefined);
}

/** Right-click → Verify Backup… → Quick → the notification that it passed. */
async function verifyFromMenu(page: Page, node: Locator): Promise<void> {
  const quick = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Quick' }).first();
  await contextAction(page, node, 'Verify Backup', quick);
  await quick.click();
  await page
    .locator('.notifications-toasts')
    .getByText(/quick verification passed/)
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
}

/** Each step's checkbox on the walkthrough page: aria-checked of `[data-done-step-id="…#<step>"]`. */
async function stepStates(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const step of STEPS) {
    const box = page.locator(`[data-done-step-id$="#${step}"]`).first();
    out[step] = (await box.getAttribute('aria-checked', { timeout: 5_000 }).catch(() => null)) ?? 'absent';
  }
  return out;
}

const BACKUP_PROFILE = 'e2e-walkthrough';

/**
 * `backup`: the file name of a real backup (pg_dump, manifest) in the backup directory and the port
 * of the PostgreSQL 15 it was taken from, or undefined when the rig had none (the step is then
 * expected unchecked, and said).
 */
export async function checkWalkthrough(page: Page, backup: { file: string; port: number } | undefined, resultsDir: string): Promise<TestRecord> {
  const backupBase = backup?.file;
  const name = 'ui › walkthrough: each step is checked off by doing it (connect, lint, explain, verify a backup, dashboard)';
  const started = Date.now();
  const shot = join(resultsDir, 'e2e-walkthrough.png');
  try {
    // Nothing done in this window yet but the tree's connection (the explorer checks ran first):
    // the steps still to do must be unchecked, or the page would pass whatever was done.
    await runFromPalette(page, 'PostgreSQL DBA: Get Started');
    await page.locator('[data-done-step-id$="#connect"]').first().waitFor({ state: 'attached', timeout: 30_000 });
    const before = await stepStates(page);
    await page.screenshot({ path: join(resultsDir, 'e2e-walkthrough-before.png') });
    for (const step of ['lint', 'explain', 'backup', 'dashboard'] as const)
      if (before[step] !== 'false') throw new Error(`before doing it, step ${step} is ${before[step]}: ${JSON.stringify(before)}`);
    // Closed again: the palette helper clicks the middle of the window, which would land on the page.
    await page
      .locator('.tabs-container .tab')
      .filter({ hasText: /Walkthrough/ })
      .first()
      .locator('.codicon-close')
      .click();

    // The tree's next read of a server that answers checks "Connect a server" (the first read came
    // before the walkthrough existed in this window: src/vscode/walkthrough.ts says why that one cannot).
    await clickViewButton(page, /Refresh/);
    await quickOpen(page, 'postgresql.conf');
    await quickOpen(page, 'queries.sql');
    await page.locator('.monaco-editor .view-lines').first().click();
    await runFromPalette(page, 'PostgreSQL DBA: Explain Analyze');
    await page
      .locator('.tabs-container .tab')
      .filter({ hasText: /Explain Analyze —/ })
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });

    await runFromPalette(page, 'PostgreSQL DBA: Open Dashboard');
    await page
      .locator('.tabs-container .tab')
      .filter({ hasText: /Dashboard/ })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    // Closed: the palette helper clicks the middle of the window, and a click in a panel's frame keeps F1 from the workbench.
    await page
      .locator('.tabs-container .tab')
      .filter({ hasText: /Dashboard/ })
      .first()
      .locator('.codicon-close')
      .click();

    let backupProblem: string | undefined;
    if (backup) {
      // A backup is listed under the server it was taken from: its profile, added as a person adds
      // one (last: with two profiles, the palette commands above would ask which).
      await addConnection(page, BACKUP_PROFILE, backup.port);
      // The editors put away: the picture of this step shows the tree and the verdict, nothing else.
      await runFromPalette(page, 'View: Close All Editors');
      await clickViewButton(page, /Collapse All/);
      // The backup was written outside this window: a refresh re-reads the backup directory.
      await clickViewButton(page, /Refresh/);
      await expand(page, BACKUP_PROFILE);
      await expand(page, 'Backups');
      const database = backup.file.replace(/-\d{4}-\d{2}-\d{2}_.*$/, '');
      await verifyFromMenu(page, row(page, new RegExp(`^${database} · `))).then(
        // The node's ✓ and the toast settle (it slides in) before the picture.
        () => page.waitForTimeout(1500).then(() => page.screenshot({ path: join(resultsDir, 'e2e-walkthrough-backup.png') })),
        (e: Error) => {
          backupProblem = e.message.split('\n')[0];
        },
      );
    }

    await runFromPalette(page, 'PostgreSQL DBA: Get Started');
    const want: Record<string, string> = Object.fromEntries(STEPS.map((s) => [s, s === 'backup' && !backupBase ? 'false' : 'true']));
    let got: Record<string, string> = {};
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await page.waitForTimeout(500)) {
      got = await stepStates(page);
      if (JSON.stringify(got) === JSON.stringify(want)) break;
    }
    if (JSON.stringify(got) === JSON.stringify(want)) {
      // The picture for the README: the walkthrough alone, at the width a person gives it.
      const plan = page.locator('.tabs-container .tab').filter({ hasText: /Explain Analyze —/ });
      if ((await plan.count()) > 0) await plan.first().locator('.codicon-close').click();
      await page
        .locator('.getting-started-category .category-title, h2.category-title')
        .first()
        .click()
        .catch(() => undefined);
      await page.keyboard.press('Control+B');
      // The step's Markdown is a webview: it paints after the layout settles.
      await page.waitForTimeout(2500);
    }
    await page.screenshot({ path: shot });
    if (JSON.stringify(got) !== JSON.stringify(want))
      throw new Error(`steps checked ${JSON.stringify(got)}, expected ${JSON.stringify(want)}${backupProblem ? ` (Verify Backup: ${backupProblem})` : ''}`);
    return {
      name,
      state: 'passed',
      durationMs: Date.now() - started,
      ...(backupBase ? {} : { error: 'no PostgreSQL 15 for pg_dump: the backup step was left undone and checked unchecked' }),
    };
  } catch (e) {
    await page.screenshot({ path: shot }).catch(() => undefined);
    return { name, state: 'failed', durationMs: Date.now() - started, error: `${(e as Error).message.split('\n')[0]}\n(screenshot: ${shot})` };
  }
}
