// The page a browser test, screenshot or bench hosts a panel's bundle in, outside VS Code: the
// panel's own CSP (src/vscode/webviewCsp.ts, with `file:` as the extension's source), VS Code's
// theme variables as a stylesheet (inline styles are refused by that policy), the harness's host
// script under the nonce, and window.__violations collecting every CSP violation for the tests.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { webviewCsp } from '../../src/vscode/webviewCsp';
import type { Theme } from './planHarness';

export interface HarnessPage {
  /** dist/webview (the folder with <bundle>.js and <bundle>.css). */
  dist: string;
  bundle: 'plan' | 'dashboard' | 'loadtest' | 'logs';
  theme: Theme;
  /** The stylesheet of the theme's variables. */
  css: string;
  /** Runs before the bundle: defines acquireVsCodeApi and what the harness answers. */
  hostScript: string;
}

const NONCE = 'harness-nonce';

const TEST_HOOK = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
// The pages' test hook (webview/shared/testHook.ts): a count of painted frames on the body.
window.__pgdbaTest = {
  painted(page) {
    performance.mark(page + '-painted');
    document.body.dataset.painted = String(Number(document.body.dataset.painted || 0) + 1);
  },
};
`;

/** Writes the page into a fresh folder under `root` (the caller's, who removes it); returns its index.html. */
export function writeHarnessPage(root: string, p: HarnessPage): string {
  const dir = mkdtempSync(join(root, 'page-'));
  writeFileSync(join(dir, 'theme.css'), p.css);
  writeFileSync(join(dir, 'host.js'), TEST_HOOK + p.hostScript);
  const file = join(dir, 'index.html');
  writeFileSync(
    file,
    `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${webviewCsp('file:', NONCE)}">
<link rel="stylesheet" href="theme.css">
<link rel="stylesheet" href="file://${p.dist}/${p.bundle}.css">
<script nonce="${NONCE}" src="host.js"></script>
</head><body class="vscode-${p.theme}"><div id="app"></div>
<script nonce="${NONCE}" src="file://${p.dist}/${p.bundle}.js"></script>
</body></html>`,
  );
  return file;
}

/** A host script whose acquireVsCodeApi answers the page's 'ready' with `message` and records what the page sends (window.__sent). */
export function answeringHost(message: object): string {
  return `window.__message = ${JSON.stringify(message).replace(/</g, '\\u003c')};
window.__sent = [];
window.acquireVsCodeApi = () => ({
  postMessage(m) {
    window.__sent.push(m);
    if (m.type === 'ready') window.postMessage(window.__message, '*');
  },
});`;
}

/** Opens a harness page in `page` until its first painted frame: no page error, no CSP violation. */
export async function openHarnessPage(page: Page, html: string): Promise<void> {
  const errors: string[] = [];
  page.removeAllListeners('pageerror');
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${html}`);
  await page.waitForFunction(() => document.body.dataset.painted !== undefined, undefined, { timeout: 30_000 });
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate('window.__violations'), [], 'CSP violations');
}

/** The painted (non-transparent) pixels of each canvas `selector` matches: a chart was drawn. */
export function paintedPixels(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (cs) =>
    cs.map((c) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    }),
  );
}
