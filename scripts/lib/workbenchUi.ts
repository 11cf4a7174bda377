// What a person does in the workbench, for playwright-core: run a command from the palette, open
// a view container from the activity bar.
import type { Page } from 'playwright-core';

/** Clicks the activity-bar entry titled `title` (waiting for the extension's contributions). */
export async function openActivityBarView(page: Page, title: string | RegExp, timeoutMs = 30_000): Promise<void> {
  const tab = page.locator('.activitybar').getByRole('tab', { name: title });
  await tab.waitFor({ state: 'visible', timeout: timeoutMs });
  await tab.click();
}

/**
 * F1, types `label` ("Category: Title"), Enter. The palette lists the commands known when it
 * opens, so it is reopened until the command shows (an extension's contributions come late).
 */
export async function runFromPalette(page: Page, label: string, attempts = 5): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first();
  for (let attempt = 1; ; attempt++) {
    // Focus in the workbench, each attempt: a key pressed while a panel's frame has it goes there.
    await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } });
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    try {
      // The palette can close between showing and typing: a panel opened just before takes the
      // focus when its page has loaded (the walkthrough's check met it after Explain Analyze).
      await input.fill(`>${label}`, { timeout: 5_000 });
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      break;
    } catch (e) {
      if (attempt >= attempts) throw new Error(`the command palette does not list "${label}": ${(e as Error).message.split('\n')[0]}`);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
  await page.keyboard.press('Enter');
}
