// The `pgdba` CLI bundled as esbuild.mjs bundles it (node, cjs), at a path the test owns: the CLI
// tests run what ships, not the TypeScript source through tsx.
import { resolve } from 'node:path';
import { buildSync } from 'esbuild';

const MAIN = resolve(__dirname, '..', '..', 'src', 'cli', 'main.ts');

/** Writes the bundle to `outfile`; returns it. */
export function buildCliBundle(outfile: string): string {
  buildSync({ entryPoints: [MAIN], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, external: ['vscode'], logLevel: 'error' });
  return outfile;
}
