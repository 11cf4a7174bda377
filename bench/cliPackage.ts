// `npm run bench:cliPackage [-- --runs N]`: the CLI package as a server gets it — its size packed
// and installed, `npm install -g` of it into a fresh empty prefix with an empty cache and no
// network (--offline), against the same install of an empty package in the same run (npm's own
// cost); and the installed `pgdba`'s cold start — `pgdba help` (the bundle loaded, nothing else)
// and `pgdba version` (which also asks five tools for theirs) — against `node -e 0`, runs
// interleaved so that load hits each alike. Medians; writes bench/results/cliPackage.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, numberArg } from './lib/stats';

const ROOT = resolve(__dirname, '..');
const RUNS = numberArg('--runs', 7);

function timed(cmd: string, args: string[], cwd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return ms;
}

function duKb(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]);
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'pgdba-bench-clipkg-'));
  try {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'packageCli.mjs'), '--out', work], { cwd: ROOT, stdio: 'inherit' });
    const tgz = join(work, `pgdba-cli-${version}.tgz`);
    // The baseline: a package with nothing in it, packed by the same npm.
    const empty = join(work, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'package.json'), JSON.stringify({ name: 'empty-cli', version: '1.0.0', bin: { 'empty-cli': 'x.js' } }));
    writeFileSync(join(empty, 'x.js'), '#!/usr/bin/env node\n');
    execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: empty, stdio: 'ignore' });
    const emptyTgz = join(work, 'empty-cli-1.0.0.tgz');
    const away = join(work, 'away');
    mkdirSync(away);
    const rc = join(work, 'npmrc');
    writeFileSync(rc, '');
    const install = (pkg: string, n: number) => {
      const prefix = join(work, `prefix-${n}`);
      const cache = join(work, `cache-${n}`);
      const ms = timed('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--cache', cache, '--prefix', prefix, '--userconfig', rc, pkg], away);
      return { ms, prefix };
    };
    console.log(`cliPackage bench: ${RUNS} runs, load ${loadavg()[0]!.toFixed(1)}`);
    const ours: number[] = [];
    const base: number[] = [];
    let prefix = '';
    for (let i = 0; i < RUNS; i++) {
      const a = install(tgz, i);
      ours.push(a.ms);
      prefix = a.prefix;
      base.push(install(emptyTgz, 1000 + i).ms);
    }
    const installedKb = duKb(join(prefix, 'lib', 'node_modules', 'pgdba-cli'));
    const pgdba = join(prefix, 'bin', 'pgdba');
    const help: number[] = [];
    const ver: number[] = [];
    const node: number[] = [];
    timed(pgdba, ['help'], away); // the file cache warm for every contestant
    for (let i = 0; i < RUNS * 3; i++) {
      node.push(timed(process.execPath, ['-e', '0'], away));
      help.push(timed(pgdba, ['help'], away));
      ver.push(timed(pgdba, ['version'], away));
    }
    const result = {
      load: loadavg()[0],
      runs: RUNS,
      packedKb: statSync(tgz).size / 1024,
      installedKb,
      installMs: median(ours),
      installEmptyMs: median(base),
      helpMs: median(help),
      versionMs: median(ver),
      nodeMs: median(node),
    };
    const r = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    console.log(`package: ${result.packedKb.toFixed(1)} kB packed, ${installedKb} kB installed`);
    console.log(
      `npm install -g --offline: ${result.installMs.toFixed(0)} ms  (empty package: ${result.installEmptyMs.toFixed(0)} ms, ${r(result.installMs, result.installEmptyMs)})`,
    );
    console.log(`pgdba help: ${result.helpMs.toFixed(1)} ms  (node -e 0: ${result.nodeMs.toFixed(1)} ms, ${r(result.helpMs, result.nodeMs)})`);
    console.log(`pgdba version: ${result.versionMs.toFixed(1)} ms  (${r(result.versionMs, result.nodeMs)} of node -e 0; five tools asked for their versions)`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'cliPackage.json'), JSON.stringify(result, null, 2) + '\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
