// Screenshots from inside the extension host: the runner outside holds the browser, so the test
// asks for one on the console and waits for the runner's receipt file (test/e2e/protocol.ts).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ENV, SCREENSHOT_MARKER, type ScreenshotReceipt, type ScreenshotRequest } from '../protocol';

/** True when a runner that takes screenshots is listening (not under @vscode/test-electron). */
export function canScreenshot(): boolean {
  return !!process.env[ENV.screenshots];
}

/** Skips a test, saying why first: a skip never passes silently for a run. */
export function skipBecause(t: Mocha.Context, why: string): void {
  console.log(why);
  t.skip();
}

/** Skips a test that needs the runner's browser, saying so (run outside test/e2e/runE2e.ts, e.g. runDesktop.ts). */
export function skipWithoutBrowser(t: Mocha.Context, why: string): void {
  skipBecause(t, `# skipped: ${why}, and no runner's browser is attached (${ENV.screenshots} is not set: run through test/e2e/runE2e.ts)`);
}

/** Asks the runner for `<name>.png`, after `waitForText` shows on screen; resolves with its receipt. */
export async function screenshot(name: string, wait: Omit<ScreenshotRequest, 'name'> = {}, timeoutMs = 30_000): Promise<ScreenshotReceipt> {
  const dir = process.env[ENV.screenshots];
  if (!dir) throw new Error(`no screenshot runner: ${ENV.screenshots} is not set`);
  const receiptFile = join(dir, `${name}.json`);
  rmSync(receiptFile, { force: true });
  rmSync(join(dir, `${name}.png`), { force: true });
  const request: ScreenshotRequest = { name, ...wait };
  console.log(`${SCREENSHOT_MARKER} ${JSON.stringify(request)}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(receiptFile)) return JSON.parse(readFileSync(receiptFile, 'utf8')) as ScreenshotReceipt;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the runner wrote no screenshot ${name} within ${timeoutMs / 1000} s`);
}
