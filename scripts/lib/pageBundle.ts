// A panel's page bundled as esbuild.mjs bundles it (browser, iife, its CSS beside it), into a fresh
// folder under `root` (the caller's, who removes it): the page tests run on their own copy, not on
// dist/ that a build may be rewriting meanwhile.
import { mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const WEBVIEW = resolve(__dirname, '..', '..', 'webview');

/** Bundles webview/<page>/main.ts as <page>.js and <page>.css; returns the folder. */
export async function buildPageBundle(root: string, page: 'plan' | 'dashboard' | 'loadtest' | 'logs'): Promise<string> {
  const out = mkdtempSync(join(root, `${page}-dist-`));
  await esbuild.build({
    entryPoints: { [page]: join(WEBVIEW, page, 'main.ts') },
    outdir: out,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
    loader: { '.css': 'css' },
  });
  return out;
}
