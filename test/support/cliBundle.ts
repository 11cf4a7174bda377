// The `pgdba` CLI bundled as esbuild.mjs bundles it (node, cjs, pg's unused parts left out), at a
// path the test owns: the CLI tests run what ships, not the TypeScript source through tsx.
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { pgUnusedParts } from '../../scripts/lib/pgUnusedParts.mjs';
import { optionalNative } from '../../scripts/lib/optionalNative.mjs';

const MAIN = resolve(__dirname, '..', '..', 'src', 'cli', 'main.ts');

/** Writes the bundle to `outfile`; returns it. */
export async function buildCliBundle(outfile: string): Promise<string> {
  await build({
    entryPoints: [MAIN],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    external: ['vscode', ...optionalNative],
    logLevel: 'error',
    plugins: [pgUnusedParts],
  });
  return outfile;
}
