// The Servers view as the runner's second window drives it through the browser: its rows by label,
// expanding them, its title buttons, and a context-menu action that is retried until it shows.
import type { Locator, Page } from 'playwright-core';

export const SIDEBAR = '[id="workbench.parts.sidebar"]';

/** The tree row whose label (not its description) is `label`: a string matches exactly. */
export function row(page: Page, label: string | RegExp): Locator {
  const name = page.locator('.label-name').getByText(label, { exact: typeof label === 'string' });
  return page.locator(SIDEBAR).locator('.monaco-list-row').filter({ has: name }).first();
}

export async function expand(page: Page, label: string | RegExp): Promise<void> {
  const r = row(page, label);
  await r.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
}

/** A button of the view's title bar (Refresh, Collapse All …). */
export async function clickViewButton(page: Page, name: RegExp): Promise<void> {
  await page.locator(SIDEBAR).getByRole('button', { name }).first().click();
}

/** Right-click → menu item, until `expect` shows (a click on a menu still sliding in can be lost). */
export async function contextAction(page: Page, target: Locator, action: string, expect: Locator): Promise<void> {
  await target.waitFor({ state: 'visible', timeout: 30_000 });
  for (let attempt = 1; ; attempt++) {
    // The hover of the row clicked last (a tooltip) can lie over the target: the mouse goes away first.
    await page.mouse.move(1, 1);
    await page.waitForTimeout(300);
    await target.click({ button: 'right' });
    const item = page.locator('.context-view .action-label').filter({ hasText: action }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(200);
    await item.click({ timeout: 10_000 });
    try {
      await expect.waitFor({ state: 'visible', timeout: 8_000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}
