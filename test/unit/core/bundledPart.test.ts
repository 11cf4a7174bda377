// requireBundled as it runs in a release: a bundle that calls it, built as esbuild.mjs builds
// dist/, run by node in a folder of its own — first without the part beside it, then with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { APART_PACKAGES, CLI_ENTRIES, nodeBundleOptions } from '../../../scripts/lib/nodeBundles.mjs';
import { requireBundled } from '../../../src/core/bundledPart';
import { tempDir } from '../../support/tempDir';

const ROOT = resolve(__dirname, '..', '..', '..');

/** A caller of zod's part, as src/core/agents/zod.ts is; prints what the part's zod made of an input. */
const CALLER = `
import { requireBundled } from './src/core/bundledPart';
const { z } = requireBundled<typeof import('./src/core/agents/zodModule')>('zod', './agents/zodModule');
console.log(JSON.stringify(z.object({ n: z.number().int() }).safeParse(JSON.parse(process.argv[2] ?? '{}')).success));
`;

async function bundleCaller(dir: string): Promise<{ file: string; inputs: string[] }> {
  const file = join(dir, 'caller.js');
  const r = await build({
    ...nodeBundleOptions(false),
    sourcemap: false,
    stdin: { contents: CALLER, resolveDir: ROOT, loader: 'ts', sourcefile: 'caller.ts' },
    outfile: file,
    metafile: true,
    logLevel: 'error',
  });
  return { file, inputs: Object.keys(r.metafile.inputs) };
}

const run = (file: string, arg: string) => spawnSync(process.execPath, [file, arg], { encoding: 'utf8', timeout: 60_000 });

test('a bundle loads its part from beside itself, and says to reinstall when the part is missing', async (t) => {
  const dir = tempDir('bundled-part', t);
  const caller = await bundleCaller(dir);
  assert.deepEqual(
    caller.inputs.filter((f) => APART_PACKAGES.test(f)),
    [],
    'the caller inlined zod: requireBundled must keep the part out of the bundle that calls it',
  );

  const missing = run(caller.file, '{"n":1}');
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /pgdba's zod\.js is missing beside .*caller\.js: reinstall pgdba/);

  await build({ ...nodeBundleOptions(false), sourcemap: false, entryPoints: [join(ROOT, CLI_ENTRIES.zod)], outfile: join(dir, 'zod.js'), logLevel: 'error' });
  const ok = run(caller.file, '{"n":1}');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), 'true');
  const refused = run(caller.file, '{"n":1.5}');
  assert.equal(refused.stdout.trim(), 'false', refused.stderr);
});

test('from the TypeScript source, the part is its module, required once', () => {
  const a = requireBundled<typeof import('../../../src/core/agents/zodModule')>('zod', './agents/zodModule');
  assert.equal(a.z.string().safeParse('x').success, true);
  assert.equal(a.z.string().safeParse(1).success, false);
  assert.equal(requireBundled('zod', './agents/zodModule'), a);
});
