// `npm run package`: the release bundle (built just before by esbuild --release) into a .vsix,
// and the size budget printed. Dependencies are bundled by esbuild, so vsce packs none.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `${name}-${version}.vsix`;
try {
  execFileSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--readme-path', 'docs/extension-readme.md', '-o', out], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
} catch {
  console.error(`package: vsce could not package ${out} (its message is above)`);
  process.exit(1);
}
const size = statSync(out).size;
const budget = 3 * 1024 * 1024;
console.log(`budget: ${out} ${(size / 1024).toFixed(1)} kB of ${budget / 1024} kB${size > budget ? '  OVER BUDGET' : ''}`);
if (size > budget) process.exitCode = 1;
