// Runner side of the UI handshake (protocol.ts): performs an in-host test's UI steps on the page.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { UiReceipt, UiRequest, UiStep } from './protocol';

const STEP_TIMEOUT_MS = 20_000;

/** The first visible match of `selector` in a webview's frame (never the workbench's own). */
async function inFrames(page: Page, selector: string): Promise<Locator> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = frame.locator(selector).filter({ visible: true }).first();
      if (await found.isVisible().catch(() => false)) {
        await found.scrollIntoViewIfNeeded({ timeout: 5000 }).catch(() => undefined);
        return found;
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`${selector} did not show in a webview within ${STEP_TIMEOUT_MS / 1000} s`);
}

/** How long a toast may take to show before the notification centre is looked in. */
const TOAST_MS = 8000;

/** Opens the notification centre (the status bar's bell), clicks `target` in it, and closes it again: while it is open VS Code shows no toast. */
async function clickInCentre(page: Page, target: Locator): Promise<void> {
  const bell = page.locator('[id="status.notifications"] .statusbar-item-label');
  const centre = page.locator('.notifications-center.visible');
  if (!(await centre.isVisible())) await bell.click({ timeout: STEP_TIMEOUT_MS });
  try {
    await target.click({ timeout: STEP_TIMEOUT_MS - TOAST_MS });
  } finally {
    if (await centre.isVisible()) await bell.click({ timeout: 5000 }).catch(() => undefined);
    await page.mouse.move(1, 1); // the bell's hover would stay in the next screenshots
  }
}

async function perform(page: Page, step: UiStep, say: (s: string) => void): Promise<void> {
  if ('frameWaitFor' in step) {
    await inFrames(page, step.frameWaitFor);
  } else if ('frameClick' in step) {
    await (await inFrames(page, step.frameClick)).click({ timeout: STEP_TIMEOUT_MS });
  } else if ('frameDrag' in step) {
    const box = await (await inFrames(page, step.frameDrag)).boundingBox();
    if (!box) throw new Error(`${step.frameDrag} has no box on screen`);
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 10 });
    await page.mouse.up();
  } else if ('clickInToast' in step) {
    const bar = step.clickInToast.lastIndexOf('|');
    const [text, button] = [step.clickInToast.slice(0, bar), step.clickInToast.slice(bar + 1)];
    const buttonIn = (where: string) =>
      page.locator(where).filter({ hasText: text }).getByRole('button', { name: button, exact: true }).filter({ visible: true }).first();
    try {
      await buttonIn('.notification-toast').click({ timeout: TOAST_MS });
    } catch {
      // VS Code shows no toast for a notification that comes as the fourth within 800 ms (its spam
      // protection, notificationsToasts.ts): the notification is then in the notification centre only.
      say(`ui: no toast shows "${text}": its ${button} is clicked in the notification centre`);
      await clickInCentre(page, buttonIn('.notifications-center .notification-list-item'));
    }
  } else if ('waitFor' in step) {
    // Visible matches only: VS Code keeps finished notifications (their text, their Cancel) in the
    // DOM of the hidden notification centre, and the first match may be one of those.
    await page.getByText(step.waitFor, { exact: false }).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  } else if ('waitGone' in step) {
    await page.getByText(step.waitGone, { exact: false }).filter({ visible: true }).first().waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  } else if ('type' in step) {
    await page.keyboard.type(step.type, { delay: 5 });
  } else if ('fillQuickInput' in step) {
    // A widget still starting sets its own value when it is ready (the file dialog: the folder it
    // starts in), over what was put in before: put in again until the value stays.
    // A quick pick is ready once it lists something (an input box lists nothing: it is ready).
    await page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row')
      .filter({ visible: true })
      .first()
      .waitFor({ state: 'visible', timeout: 5000 })
      .catch(() => undefined);
    const input = page.locator('.quick-input-widget .quick-input-box input').filter({ visible: true }).first();
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
      await input.fill(step.fillQuickInput, { timeout: STEP_TIMEOUT_MS });
      await page.waitForTimeout(500);
      const kept = await input.inputValue();
      if (kept === step.fillQuickInput) break;
      if (Date.now() > deadline) throw new Error(`the quick input holds ${JSON.stringify(kept)}, not ${JSON.stringify(step.fillQuickInput)}`);
    }
  } else if ('press' in step) {
    await page.keyboard.press(step.press);
  } else {
    await page.getByRole('button', { name: step.click, exact: true }).filter({ visible: true }).first().click({ timeout: STEP_TIMEOUT_MS });
  }
}

export function uiDriver(page: Page, resultsDir: string, say: (s: string) => void): (req: UiRequest) => void {
  let queue = Promise.resolve();
  return (req) => {
    queue = queue.then(async () => {
      const receipt: UiReceipt = { ok: true };
      for (const [i, step] of req.steps.entries()) {
        try {
          await perform(page, step, say);
        } catch (e) {
          receipt.ok = false;
          receipt.error = `step ${i + 1} ${JSON.stringify(step)}: ${(e as Error).message.split('\n')[0]}`;
          await page.screenshot({ path: join(resultsDir, `${req.name}-failed.png`) }).catch(() => undefined);
          break;
        }
      }
      say(`ui ${req.name}: ${receipt.ok ? 'done' : receipt.error}`);
      writeFileSync(join(resultsDir, `${req.name}.ui.json.tmp`), JSON.stringify(receipt));
      // Renamed into place so the host never reads half a file.
      renameSync(join(resultsDir, `${req.name}.ui.json.tmp`), join(resultsDir, `${req.name}.ui.json`));
    });
  };
}
