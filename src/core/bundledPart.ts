// The parts bundled apart from extension.js and cli.js (CLI_ENTRIES in scripts/lib/nodeBundles.mjs:
// Drive's client, ssh2, zod), each loaded on its first use, so that activation and a CLI start never
// parse them. The one loader of all three.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const loaded = new Map<string, unknown>();

/**
 * dist/NAME.js beside the running bundle; else, run from the TypeScript source (tsx, tests), its
 * module `source`, a path relative to src/core. The specifier is a variable, so that esbuild
 * does not inline the part into the bundle that calls this.
 */
export function requireBundled<T>(name: string, source: string): T {
  const known = loaded.get(name);
  if (known) return known as T;
  const bundled = join(__dirname, `${name}.js`);
  let target = source;
  if (existsSync(bundled)) target = bundled;
  else if (!__filename.endsWith('.ts')) throw new Error(`pgdba's ${name}.js is missing beside ${__filename}: reinstall pgdba (the package is incomplete)`);
  const mod = createRequire(__filename)(target) as T;
  loaded.set(name, mod);
  return mod;
}

/** The same for an async caller: a part that cannot be loaded is a rejection, as the caller's other failures are. */
export function importBundled<T>(name: string, source: string): Promise<T> {
  return new Promise<T>((resolve) => resolve(requireBundled<T>(name, source)));
}
