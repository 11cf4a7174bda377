// Runs a bench as the product runs its code: bundled by esbuild (tsx adds a wrapper to every
// function and slows cross-module calls, which in-process micro-benchmarks would measure).
//   node scripts/runBundled.mjs bench/lintConf.ts [args…]
import { buildSync } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { optionalNative } from './lib/optionalNative.mjs';
import { CLI_ENTRIES } from './lib/nodeBundles.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/runBundled.mjs <file.ts> [args…]');
  process.exit(2);
}
// One level below the repo, as dist/ is: paths like __dirname/../node_modules resolve the same.
const dir = '.tmp';
mkdirSync(dir, { recursive: true });
// The parameter catalogs are read beside the bundle, as in dist/.
cpSync(join('src', 'core', 'catalog'), join(dir, 'catalog'), { recursive: true, filter: (f) => !f.endsWith('.ts') });
const out = join(dir, basename(entry).replace(/\.ts$/, '.js'));
// The parts bundled apart (ssh2, Drive's client, zod) are loaded from beside the bundle, as from
// dist/ (src/core/bundledPart.ts).
const { cli: _cli, ...parts } = CLI_ENTRIES;
for (const [name, part] of Object.entries(parts)) {
  buildSync({
    entryPoints: [part],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: join(dir, `${name}.js`),
    external: optionalNative,
    logLevel: 'error',
  });
}
buildSync({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: out,
  external: ['vscode', ...optionalNative],
  logLevel: 'error',
});
const r = spawnSync(process.execPath, [out, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
