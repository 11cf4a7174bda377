// The UI-level check, as a person would do it: command palette (F1), "PostgreSQL DBA: Show Server
// Version", Enter, and the notification with the server's version on screen.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { TestRecord } from './protocol';

export const PALETTE_TEST = 'ui › command palette: PostgreSQL DBA: Show Server Version shows the version';

export async function checkShowServerVersion(page: Page, major: number, resultsDir: string): Promise<TestRecord> {
  const started = Date.now();
  const shot = join(resultsDir, 'e2e-show-server-version.png');
  try {
    // The palette lists the commands known when it opens: wait for the extension's contributions
    // (its activity-bar entry), and reopen the palette until the command is listed.
    await page.locator('.activitybar').getByRole('tab', { name: /PostgreSQL DBA/ }).waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } });
    const input = page.locator('.quick-input-widget input');
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'PostgreSQL DBA: Show Server Version' }).first();
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('>PostgreSQL DBA: Show Server Version');
      try {
        await row.waitFor({ state: 'visible', timeout: 3_000 });
        break;
      } catch (e) {
        if (attempt >= 5) throw e;
        await page.keyboard.press('Escape');
        await page.waitForTimeout(1000);
      }
    }
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts').getByText(new RegExp(`PostgreSQL ${major}\\.\\d+`));
    await toast.first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.screenshot({ path: shot });
    return { name: PALETTE_TEST, state: 'passed', durationMs: Date.now() - started };
  } catch (e) {
    await page.screenshot({ path: shot }).catch(() => undefined);
    return { name: PALETTE_TEST, state: 'failed', durationMs: Date.now() - started, error: `${(e as Error).message}\n(screenshot: ${shot})` };
  }
}
