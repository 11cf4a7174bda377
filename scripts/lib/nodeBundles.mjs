// The node bundles' one esbuild setup (extension, CLI, Drive's client, ssh2) and the data files
// they read at run time from beside themselves: esbuild.mjs builds dist/ with it, and
// scripts/packageCli.mjs the CLI package.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgUnusedParts } from './pgUnusedParts.mjs';
import { optionalNative } from './optionalNative.mjs';

/** The repository (paths here do not depend on the working directory: the test rigs call them too). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const LIBPG_QUERY_WASM = join(ROOT, 'node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm');

/** @param {boolean} release minified, no source maps */
export function nodeBundleOptions(release) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: !release,
    minify: release,
    external: ['vscode', ...optionalNative],
    logLevel: 'warning',
    plugins: [pgUnusedParts],
  };
}

/**
 * What the CLI is made of: its entry (everything src/cli imports), and the parts loaded on first
 * use by src/core/bundledPart.ts, by the extension too (each is a dist/NAME.js of both packages).
 */
export const CLI_ENTRIES = {
  cli: 'src/cli/main.ts',
  // Google Drive's client, loaded by src/core/backup/driveClient.ts only when a Drive action runs.
  drive: 'src/core/backup/driveModule.ts',
  // ssh2, loaded by src/core/ssh/sshConnect.ts only when an SSH hop is used.
  ssh2: 'src/core/ssh/ssh2Module.ts',
  // zod, loaded by src/core/agents/zod.ts when the agents' tools are first used.
  zod: 'src/core/agents/zodModule.ts',
};

/** The bundled-apart parts' packages: a bundle that inlined one of them is a mistake (esbuild.mjs fails the build). */
export const APART_PACKAGES = /node_modules\/(zod|ssh2|@googleapis|googleapis|googleapis-common)\//;

/**
 * The data read at run time from the bundles' folder: the parameter catalogs
 * (src/core/catalog/catalog.ts) and libpg-query's WASM parser (the advisor, the log reports).
 */
export function copyRuntimeData(outdir) {
  const catalogs = join(ROOT, 'src', 'core', 'catalog');
  mkdirSync(join(outdir, 'catalog'), { recursive: true });
  for (const f of readdirSync(catalogs)) if (/^(pg\d+|serverNames)\.json$/.test(f)) copyFileSync(join(catalogs, f), join(outdir, 'catalog', f));
  copyFileSync(LIBPG_QUERY_WASM, join(outdir, 'libpg-query.wasm'));
}
