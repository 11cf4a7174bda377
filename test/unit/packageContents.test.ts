// The .vsix must carry dist/drive.js: src/core/backup/driveClient.ts loads Google Drive's client
// from it at run time (it is not inlined in extension.js), so without it an installed extension
// cannot upload. Asked of vsce itself (`vsce ls`), which applies .vscodeignore as packaging does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

test('the .vsix ships the extension bundle and the Drive bundle, no sources', () => {
  // vsce lists only files that exist: on a fresh clone, build first (the development build, ~1 s).
  if (!existsSync(join(ROOT, 'dist', 'extension.js')) || !existsSync(join(ROOT, 'dist', 'drive.js'))) {
    execFileSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
  }
  const out = execFileSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const files = out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const want of ['package.json', 'dist/extension.js', 'dist/drive.js'])
    assert.ok(files.includes(want), `${want} is not in the package: ${files.join(', ')}`);
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('node_modules/')), 'no sources or node_modules');
});
