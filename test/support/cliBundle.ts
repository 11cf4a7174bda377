// The `pgdba` CLI bundled as esbuild.mjs bundles it (node, cjs, pg's unused parts left out), at a
// path the test owns: the CLI tests run what ships, not the TypeScript source through tsx.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { pgUnusedParts } from '../../scripts/lib/pgUnusedParts.mjs';
import { optionalNative } from '../../scripts/lib/optionalNative.mjs';

const MAIN = resolve(__dirname, '..', '..', 'src', 'cli', 'main.ts');
export const LIBPG_QUERY_WASM = resolve(__dirname, '..', '..', 'node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm');

const CATALOGS = resolve(__dirname, '..', '..', 'src', 'core', 'catalog');

const SSH2_MODULE = resolve(__dirname, '..', '..', 'src', 'core', 'ssh', 'ssh2Module.ts');

/** Writes the bundle to `outfile`, with ssh2's bundle beside it as in dist/; returns it. */
export async function buildCliBundle(outfile: string): Promise<string> {
  await buildNodeBundle(SSH2_MODULE, join(dirname(outfile), 'ssh2.js'));
  // The parameter catalogs, read at run time from the bundle's catalog/ folder as from dist/catalog (esbuild.mjs).
  mkdirSync(join(dirname(outfile), 'catalog'), { recursive: true });
  for (const f of readdirSync(CATALOGS)) if (/^(pg\d+|serverNames)\.json$/.test(f)) copyFileSync(join(CATALOGS, f), join(dirname(outfile), 'catalog', f));
  return buildNodeBundle(MAIN, outfile);
}

/** Any entry bundled the same way (a helper a test runs as another user, without tsx). */
export async function buildNodeBundle(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    external: ['vscode', ...optionalNative],
    logLevel: 'error',
    plugins: [pgUnusedParts],
  });
  // libpg-query's parser (the index advisor, pgdba logs' fingerprints) loads its WASM from the bundle's folder, as from dist/.
  copyFileSync(LIBPG_QUERY_WASM, join(dirname(outfile), 'libpg-query.wasm'));
  return outfile;
}
