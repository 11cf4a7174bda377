// The `pgdba` CLI bundled as esbuild.mjs bundles it (node, cjs, pg's unused parts left out), at a
// path the test owns: the CLI tests run what ships, not the TypeScript source through tsx.
import { copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { copyRuntimeData, LIBPG_QUERY_WASM, nodeBundleOptions } from '../../scripts/lib/nodeBundles.mjs';

const MAIN = resolve(__dirname, '..', '..', 'src', 'cli', 'main.ts');

const SSH2_MODULE = resolve(__dirname, '..', '..', 'src', 'core', 'ssh', 'ssh2Module.ts');

/** Writes the bundle to `outfile`, with ssh2's bundle beside it as in dist/; returns it. */
export async function buildCliBundle(outfile: string): Promise<string> {
  await buildNodeBundle(SSH2_MODULE, join(dirname(outfile), 'ssh2.js'));
  // The catalogs and the WASM, read at run time from beside the bundle as from dist/ (esbuild.mjs).
  copyRuntimeData(dirname(outfile));
  return buildNodeBundle(MAIN, outfile);
}

/** Any entry bundled the same way (a helper a test runs as another user, without tsx). */
export async function buildNodeBundle(entry: string, outfile: string): Promise<string> {
  await build({ ...nodeBundleOptions(false), sourcemap: false, entryPoints: [entry], outfile, logLevel: 'error' });
  // libpg-query's parser (the index advisor, pgdba logs' fingerprints) loads its WASM from the bundle's folder, as from dist/.
  copyFileSync(LIBPG_QUERY_WASM, join(dirname(outfile), 'libpg-query.wasm'));
  return outfile;
}
