// Bundles the extension (node, cjs, 'vscode' external), the CLI, the e2e test entry and each
// webview entry (browser). Flags: --release (minified, no source maps), --watch.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, statSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pgUnusedParts } from './scripts/lib/pgUnusedParts.mjs';
import { optionalNative } from './scripts/lib/optionalNative.mjs';

const release = process.argv.includes('--release');
const watch = process.argv.includes('--watch');

const nodeCommon = {
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

/** @type {esbuild.BuildOptions[]} */
const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' },
  // Google Drive's client, loaded by src/core/backup/driveClient.ts only when a Drive action runs.
  { ...nodeCommon, entryPoints: { drive: 'src/core/backup/driveModule.ts' }, outdir: 'dist' },
  // ssh2, loaded by src/core/ssh/sshConnect.ts only when an SSH hop is used.
  { ...nodeCommon, entryPoints: { ssh2: 'src/core/ssh/ssh2Module.ts' }, outdir: 'dist' },
];

// The e2e suites run inside the VS Code extension host; mocha is bundled with them.
if (!release && existsSync('test/e2e/suite/index.ts')) {
  builds.push({
    ...nodeCommon,
    entryPoints: { 'test/e2e/suite/index': 'test/e2e/suite/index.ts' },
    outdir: 'dist',
    external: ['vscode', 'mocha', ...optionalNative],
  });
}

// Every folder under webview/ with a main.ts is one panel's browser bundle.
if (existsSync('webview')) {
  const entries = {};
  for (const name of readdirSync('webview')) {
    const dir = join('webview', name);
    if (statSync(dir).isDirectory() && existsSync(join(dir, 'main.ts'))) entries[name] = join(dir, 'main.ts');
  }
  if (Object.keys(entries).length > 0) {
    builds.push({
      entryPoints: entries,
      outdir: 'dist/webview',
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      sourcemap: !release,
      minify: release,
      logLevel: 'warning',
      loader: { '.css': 'css' },
    });
  }
}

// A release starts from an empty dist/: no source map or test bundle of a development build
// may end up in the .vsix.
if (release) rmSync('dist', { recursive: true, force: true });

// The parameter catalogs are data read at run time (src/core/catalog/catalog.ts), not bundled.
function copyCatalogs() {
  mkdirSync('dist/catalog', { recursive: true });
  for (const f of readdirSync('src/core/catalog'))
    if (/^(pg\d+|serverNames)\.json$/.test(f)) copyFileSync(join('src/core/catalog', f), join('dist/catalog', f));
}
copyCatalogs();
// libpg-query's WASM parser (src/core/sql/pgParser.ts: the index advisor, the log reports' fingerprints) is loaded at run time from beside the bundle.
mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/libpg-query/wasm/libpg-query.wasm', 'dist/libpg-query.wasm');

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching for changes');
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  const size = statSync('dist/extension.js').size;
  const budget = 1024 * 1024;
  console.log(`esbuild: built ${builds.length} bundles in ${Date.now() - started} ms (${release ? 'release' : 'development'})`);
  // The budget is the shipped (release, minified) bundle's: what activation loads. A development
  // build carries names and whitespace and is only reported.
  if (release) {
    console.log(`budget: dist/extension.js ${(size / 1024).toFixed(1)} kB of ${budget / 1024} kB${size > budget ? '  OVER BUDGET' : ''}`);
    if (size > budget) process.exitCode = 1;
  } else console.log(`size: dist/extension.js ${(size / 1024).toFixed(1)} kB (development; the ${budget / 1024} kB budget applies to --release)`);
}
