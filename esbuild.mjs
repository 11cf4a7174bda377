// Bundles the extension (node, cjs, 'vscode' external), the CLI, the e2e test entry and each
// webview entry (browser). Flags: --release (minified, no source maps), --watch, --analyze (what
// takes room in dist/extension.js: its largest inputs by package or source folder).
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { optionalNative } from './scripts/lib/optionalNative.mjs';
import { APART_PACKAGES, CLI_ENTRIES, copyRuntimeData, nodeBundleOptions } from './scripts/lib/nodeBundles.mjs';

const release = process.argv.includes('--release');
const watch = process.argv.includes('--watch');
const analyze = process.argv.includes('--analyze');

const nodeCommon = nodeBundleOptions(release);

/** @type {esbuild.BuildOptions[]} */
const builds = [
  // Its metafile tells which packages it inlined (the check below).
  { ...nodeCommon, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', metafile: true },
  // The CLI, and Drive's client, ssh2 and zod (each loaded on first use, by the extension too).
  ...Object.entries(CLI_ENTRIES).map(([name, entry]) => ({ ...nodeCommon, entryPoints: { [name]: entry }, outdir: 'dist' })),
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

// The catalogs and libpg-query's WASM are data read at run time from beside the bundles.
copyRuntimeData('dist');

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching for changes');
} else {
  const started = Date.now();
  const [extension] = await Promise.all(builds.map((b) => esbuild.build(b)));
  // A value import of a bundled-apart package (instead of its loader, src/core/bundledPart.ts)
  // would put it back into what activation parses.
  const inlined = [...new Set(Object.keys(extension.metafile.inputs).flatMap((f) => APART_PACKAGES.exec(f)?.[1] ?? []))];
  if (inlined.length > 0) {
    console.error(`esbuild: dist/extension.js inlined ${inlined.join(', ')}, which must be loaded through src/core/bundledPart.ts (import only its types)`);
    process.exitCode = 1;
  }
  if (analyze) printLargestInputs(extension.metafile, 'dist/extension.js');
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

/** The output's bytes by package (node_modules/NAME) or source folder (src/a/b), the largest 20. */
function printLargestInputs(metafile, output) {
  const by = new Map();
  for (const [file, { bytesInOutput }] of Object.entries(metafile.outputs[output].inputs)) {
    const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.split('/').slice(0, 3).join('/');
    by.set(key, (by.get(key) ?? 0) + bytesInOutput);
  }
  console.log(`${output}, its largest inputs (kB in the output):`);
  for (const [key, bytes] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${(bytes / 1024).toFixed(1).padStart(8)}  ${key}`);
}
