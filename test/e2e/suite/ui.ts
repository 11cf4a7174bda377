// Host side of the UI handshake: asks the runner to act on the workbench and waits for it.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ENV, UI_MARKER, type UiReceipt, type UiStep } from '../protocol';

export async function ui(name: string, steps: UiStep[], timeoutMs = 60_000): Promise<void> {
  const dir = process.env[ENV.screenshots];
  if (!dir) throw new Error(`no UI runner: ${ENV.screenshots} is not set`);
  const receiptFile = join(dir, `${name}.ui.json`);
  rmSync(receiptFile, { force: true });
  console.log(`${UI_MARKER} ${JSON.stringify({ name, steps })}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(receiptFile)) {
      const r = JSON.parse(readFileSync(receiptFile, 'utf8')) as UiReceipt;
      if (!r.ok) throw new Error(`UI steps "${name}" failed: ${r.error ?? '?'}`);
      return;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`the runner did not perform UI steps "${name}" within ${timeoutMs / 1000} s`);
}
