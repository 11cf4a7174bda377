#!/usr/bin/env node
// The `pgdba` CLI. Runs the bundled dist/cli.js; in a fresh clone without a build, runs the
// TypeScript source through tsx so that `npx pgdba` works right after `npm ci`.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const bundled = join(__dirname, '..', 'dist', 'cli.js');
if (existsSync(bundled)) {
  require(bundled);
} else {
  const { spawnSync } = require('node:child_process');
  const tsx = join(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const r = spawnSync(tsx, [join(__dirname, '..', 'src', 'cli', 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 2);
}
