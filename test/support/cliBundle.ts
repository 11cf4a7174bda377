// The `pgdba` CLI bundled as esbuild.mjs bundles it (node, cjs, pg's unused parts left out), at a
// path the test owns: the CLI tests run what ships, not the TypeScript source through tsx.
import { copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { CLI_ENTRIES, copyRuntimeData, LIBPG_QUERY_WASM, nodeBundleOptions } from '../../scripts/lib/nodeBundles.mjs';

const ROOT = resolve(__dirname, '..', '..');

/** Writes the bundle to `outfile`, with the parts loaded on first use beside it as in dist/; returns it. */
export async function buildCliBundle(outfile: string): Promise<string> {
  const { cli, ...parts } = CLI_ENTRIES;
  await Promise.all(Object.entries(parts).map(([name, entry]) => buildNodeBundle(join(ROOT, entry), join(dirname(outfile), `${name}.js`))));
  // The catalogs and the WASM, read at run time from beside the bundle as from dist/ (esbuild.mjs).
  copyRuntimeData(dirname(outfile));
  return buildNodeBundle(join(ROOT, cli), outfile);
}

/** Any entry bundled the same way (a helper a test runs as another user, without tsx). */
export async function buildNodeBundle(entry: string, outfile: string): Promise<string> {
  await build({ ...nodeBundleOptions(false), sourcemap: false, entryPoints: [entry], outfile, logLevel: 'error' });
  // libpg-query's parser (the index advisor, pgdba logs' fingerprints) loads its WASM from the bundle's folder, as from dist/.
  copyFileSync(LIBPG_QUERY_WASM, join(dirname(outfile), 'libpg-query.wasm'));
  return outfile;
}
