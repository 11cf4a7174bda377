// The UI-level check, as a person would do it: command palette (F1), "PostgreSQL DBA: Show Server
// Version", Enter, and the notification with the server's version on screen.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runFromPalette } from '../../scripts/lib/workbenchUi';
import type { TestRecord } from './protocol';

export const PALETTE_TEST = 'ui › command palette: PostgreSQL DBA: Show Server Version shows the version';

export async function checkShowServerVersion(page: Page, major: number, resultsDir: string): Promise<TestRecord> {
  const started = Date.now();
  const shot = join(resultsDir, 'e2e-show-server-version.png');
  try {
    // The extension's contributions are in once its activity-bar entry shows.
    await page
      .locator('.activitybar')
      .getByRole('tab', { name: /PostgreSQL DBA/ })
      .waitFor({ state: 'visible', timeout: 30_000 });
    await runFromPalette(page, 'PostgreSQL DBA: Show Server Version');
    const toast = page.locator('.notifications-toasts').getByText(new RegExp(`PostgreSQL ${major}\\.\\d+`));
    await toast.first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(600); // the toast slides in: let it settle for a readable screenshot
    await page.screenshot({ path: shot });
    return { name: PALETTE_TEST, state: 'passed', durationMs: Date.now() - started };
  } catch (e) {
    await page.screenshot({ path: shot }).catch(() => undefined);
    return { name: PALETTE_TEST, state: 'failed', durationMs: Date.now() - started, error: `${(e as Error).message}\n(screenshot: ${shot})` };
  }
}
