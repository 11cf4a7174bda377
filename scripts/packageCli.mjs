// The CLI package: `pgdba-cli-X.Y.Z.tgz`, installed on a server with Node 20+ and nothing else by
// `npm install -g ./pgdba-cli-X.Y.Z.tgz`. Everything is inside and nothing is fetched: the release
// bundle of src/cli/main.ts (whatever the CLI imports), Drive's client, ssh2 and zod (pure JS;
// bundled apart, loaded on first use), the parameter catalogs and libpg-query's WASM; a package.json with
// no dependencies. Run by `npm run package` after the .vsix; alone: node scripts/packageCli.mjs [--out DIR].
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { CLI_ENTRIES, copyRuntimeData, nodeBundleOptions } from './lib/nodeBundles.mjs';

const outIndex = process.argv.indexOf('--out');
const outDir = resolve(outIndex > 0 ? (process.argv[outIndex + 1] ?? '.') : '.');
const root = JSON.parse(readFileSync('package.json', 'utf8'));
const name = 'pgdba-cli';
const file = `${name}-${root.version}.tgz`;

const BIN = `#!/usr/bin/env node
// pgdba's command line (${name} ${root.version}): the bundle beside it, Node 20 or newer.
'use strict';
const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stderr.write('pgdba: Node ' + process.versions.node + ' is too old: pgdba needs Node 20 or newer (https://nodejs.org, or apt install nodejs from NodeSource)\\n');
  process.exit(2);
}
require('../dist/cli.js');
`;

const README = `# pgdba command line ${root.version}

The \`pgdba\` command of the pgdba VS Code extension, for PostgreSQL servers 13–18: config lint,
EXPLAIN insights, health reports, host facts, logs, PgBouncer, and the nightly backup
(pg_dump → verify → retention → Google Drive). Everything it runs is in this package: it needs
Node 20 or newer and nothing fetched.

    npm install -g ./${file}      # as root: /usr/local/bin/pgdba
    pgdba version                 # pgdba's version, Node's, and the tools it found
    pgdba doctor --url postgres://backup@localhost/hotel --dir /var/backups/postgresql
    pgdba help

pg_dump, pg_restore (postgresql-client of the server's major or newer) and zstd come from the
system's packages: \`pgdba doctor\` says which are missing, and what the nightly job needs.
`;

const stage = mkdtempSync(join(tmpdir(), 'pgdba-cli-'));
try {
  const pkgDir = join(stage, 'package');
  const dist = join(pkgDir, 'dist');
  mkdirSync(join(pkgDir, 'bin'), { recursive: true });
  const opts = nodeBundleOptions(true);
  await Promise.all(Object.entries(CLI_ENTRIES).map(([n, entry]) => esbuild.build({ ...opts, entryPoints: { [n]: entry }, outdir: dist })));
  copyRuntimeData(dist);
  writeFileSync(join(pkgDir, 'bin', 'pgdba.js'), BIN);
  chmodSync(join(pkgDir, 'bin', 'pgdba.js'), 0o755);
  writeFileSync(join(pkgDir, 'README.md'), README);
  copyFileSync('LICENSE', join(pkgDir, 'LICENSE'));
  const manifest = {
    name,
    version: root.version,
    description: "pgdba's command line for PostgreSQL 13–18 servers: lint, explain, health, backups to Google Drive, doctor",
    license: root.license ?? 'MIT',
    bin: { pgdba: 'bin/pgdba.js' },
    engines: { node: '>=20' },
    files: ['bin/', 'dist/', 'README.md', 'LICENSE'],
  };
  writeFileSync(join(pkgDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  mkdirSync(outDir, { recursive: true });
  execFileSync('npm', ['pack', '--offline', '--silent', '--pack-destination', outDir], { cwd: pkgDir, stdio: ['ignore', 'ignore', 'inherit'] });
} catch (e) {
  console.error(`package: the CLI package ${file} could not be made: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
if (!process.exitCode) {
  const size = statSync(join(outDir, file)).size;
  const budget = 4 * 1024 * 1024;
  console.log(`budget: ${file} ${(size / 1024).toFixed(1)} kB of ${budget / 1024} kB${size > budget ? '  OVER BUDGET' : ''}`);
  if (size > budget) process.exitCode = 1;
}
