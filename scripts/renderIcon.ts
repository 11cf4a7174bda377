// `npx tsx scripts/renderIcon.ts`: media/icon.svg → media/icon.png (128×128), drawn by the browser the
// rigs use (Debian's chromium through playwright-core). The marketplace accepts only a PNG icon; the
// SVG is the source, so a change to the drawing is made there and rendered again.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchBrowser } from './lib/browser';

const ROOT = resolve(__dirname, '..');
const SIZE = 128;

async function main(): Promise<void> {
  const svg = readFileSync(join(ROOT, 'media', 'icon.svg'), 'utf8');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
    // setContent, not a file URL: nothing is fetched, and the transparent corners stay transparent.
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
    const out = join(ROOT, 'media', 'icon.png');
    await page.locator('svg').screenshot({ path: out, omitBackground: true });
    console.log(`renderIcon: ${out}`);
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(`renderIcon: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
