// `npm run bench:activate`: how long pgdba takes to activate in the e2e host (code-server), as the
// median of N fresh windows (a fresh code-server and user-data-dir each), against an empty
// extension activated the same way in the same run; and the sizes of dist/extension.js and the
// .vsix. Two measures per window:
//   activate()   pgdba's own, from inside: the activationMs its activate() returns and logs;
//   VS Code      the workbench's "Activation: N ms" (Developer: Show Running Extensions), which
//                also counts loading the bundle.
// Options: --runs N (default 5), --no-package (measure the dist/ and .vsix already built),
// --trigger view|command (open the view from the activity bar, the default; or run Show Server Version).
// Figures only; never a pass/fail (docs/architecture.md). Writes bench/results/activate.json.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { startVscodeHost } from '../scripts/lib/vscodeHost';
import { launchBrowser, VIEWPORT } from '../scripts/lib/browser';
import { openDevelopmentWindow } from '../scripts/lib/extensionTestWindow';
import { openActivityBarView, runFromPalette } from '../scripts/lib/workbenchUi';
import { writeBaselineExtension, type BenchExtension } from './baselineExtension';
import { median } from './lib/stats';

const ROOT = resolve(__dirname, '..');
const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 5;
const PACKAGE = !argv.includes('--no-package');
/** How activation is fired: opening the view from the activity bar (default) or a command from the palette. */
const TRIGGER = argv.includes('--trigger') && argv[argv.indexOf('--trigger') + 1] === 'command' ? 'command' : 'view';
/** Quiet time after the workbench shows, so that start-up activations of built-ins are over. */
const SETTLE_MS = 3000;

interface Sample {
  ownMs: number;
  vscodeMs: number | undefined;
}

const PGDBA: Omit<BenchExtension, 'dir'> = {
  id: 'pgdba.pgdba',
  containerTitle: 'PostgreSQL DBA',
  command: 'PostgreSQL DBA: Show Server Version',
  activatedLine: /pgdba activated in ([\d.]+) ms/,
};

function findFile(dir: string, test: (path: string) => boolean): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const found = findFile(p, test);
      if (found) return found;
    } else if (test(p)) return p;
  }
  return undefined;
}

/** The extension's own figure, from its log channel's file in the server's logs folder. */
async function readOwnMs(userDataDir: string, ext: BenchExtension, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const file = findFile(join(userDataDir, 'logs'), (p) => p.includes(`/${ext.id}/`) && p.endsWith('.log'));
    const m = file ? ext.activatedLine.exec(readFileSync(file, 'utf8')) : null;
    if (m) return Number(m[1]);
    await new Promise((r) => setTimeout(r, 200));
  }
  const hostLog = findFile(join(userDataDir, 'logs'), (p) => p.endsWith('remoteexthost.log'));
  const tail = hostLog ? readFileSync(hostLog, 'utf8').trim().split('\n').slice(-8).join('\n') : '(no extension host log)';
  throw new Error(`${ext.id} logged no activation line within ${timeoutMs / 1000} s; the extension host's log ends:\n${tail}`);
}

async function sample(browser: Browser, ext: BenchExtension): Promise<Sample> {
  const workspace = mkdtempSync(join(tmpdir(), 'pgdba-bench-ws-'));
  const host = await startVscodeHost({ workspace });
  // Tall, so that the Running Extensions list shows every active extension without scrolling.
  const context = await browser.newContext({ viewport: { width: VIEWPORT.width, height: 2400 } });
  try {
    const page = await context.newPage();
    await openDevelopmentWindow(page, host, { extensionDevelopmentPath: ext.dir });
    await page.waitForTimeout(SETTLE_MS);
    if (TRIGGER === 'view') await openActivityBarView(page, ext.containerTitle);
    else await runFromPalette(page, ext.command);
    const ownMs = await readOwnMs(host.userDataDir, ext);
    await runFromPalette(page, 'Developer: Show Running Extensions');
    const row = page.locator('.runtime-extensions-editor .monaco-list-row').filter({ hasText: ext.id }).first();
    let vscodeMs: number | undefined;
    try {
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      const m = /Activation:\s*([\d.]+)\s*ms/.exec(await row.innerText());
      vscodeMs = m ? Number(m[1]) : undefined;
    } catch {
      vscodeMs = undefined;
    }
    return { ownMs, vscodeMs };
  } finally {
    await context.close();
    await host.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Runs `npm run package`; true when it made the .vsix. */
/** What the .vsix carries (manifest, bundle, assets), copied to a temp dir. */
function snapshotExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bench-pgdba-'));
  for (const p of ['package.json', 'dist', 'media', 'syntaxes']) {
    if (existsSync(join(ROOT, p))) cpSync(join(ROOT, p), join(dir, p), { recursive: true, filter: (f) => !f.endsWith('.map') && !f.includes('/dist/test') });
  }
  return dir;
}

function packageVsix(): boolean {
  console.log('bench: npm run package (release build and .vsix)');
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) console.log(`bench: npm run package exited ${r.status ?? r.signal}`);
  return r.status === 0;
}

const benchStarted = Date.now();

/** Size of `file`, flagged when it was not made by this run (a failed package step leaves an old one). */
function kB(file: string): string {
  if (!existsSync(file)) return 'missing';
  const st = statSync(file);
  return `${(st.size / 1024).toFixed(1)} kB${PACKAGE && st.mtimeMs < benchStarted ? ' (stale: not rebuilt by this run)' : ''}`;
}

async function main(): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  if (PACKAGE) packageVsix();
  // Sizes now: the clean-up below rebuilds dist/ for development.
  const sizes = { extensionJs: kB(join(ROOT, 'dist', 'extension.js')), vsix: kB(vsix) };
  // Measure a copy: other work in this tree (a watch, an e2e run) may rebuild dist/ meanwhile.
  const pgdba: BenchExtension = { ...PGDBA, dir: snapshotExtension() };
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: npm run build');
  const baseline = writeBaselineExtension(join(ROOT, 'media', 'pgdba.svg'));
  const browser = await launchBrowser();
  const samples: Record<'pgdba' | 'baseline', Sample[]> = { pgdba: [], baseline: [] };
  const failures: string[] = [];
  try {
    // Interleaved, so that a machine busy for a while weighs on both alike.
    for (let i = 1; i <= RUNS; i++) {
      for (const [key, ext] of [
        ['pgdba', pgdba],
        ['baseline', baseline],
      ] as const) {
        try {
          const s = await sample(browser, ext);
          samples[key].push(s);
          console.log(`bench: window ${i}/${RUNS} ${key}: activate() ${s.ownMs.toFixed(2)} ms, VS Code ${s.vscodeMs ?? '?'} ms`);
        } catch (e) {
          failures.push(`${key} window ${i}: ${(e as Error).message.split('\n')[0]}`);
          console.log(`bench: window ${i}/${RUNS} ${key}: FAILED ${(e as Error).message}`);
        }
      }
    }
  } finally {
    await browser.close();
    rmSync(baseline.dir, { recursive: true, force: true });
    rmSync(pgdba.dir, { recursive: true, force: true });
    if (PACKAGE) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' }); // leave dist/ as a development build
  }

  const med = (k: 'pgdba' | 'baseline', f: (s: Sample) => number | undefined) => {
    const xs = samples[k].map(f).filter((x): x is number => x !== undefined);
    return xs.length ? median(xs) : undefined;
  };
  const fmt = (x: number | undefined) => (x === undefined ? '?' : `${x.toFixed(x < 10 ? 2 : 1)} ms`);
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? `${(a / b).toFixed(1)}×` : '?');
  const own = [med('pgdba', (s) => s.ownMs), med('baseline', (s) => s.ownMs)] as const;
  const vsc = [med('pgdba', (s) => s.vscodeMs), med('baseline', (s) => s.vscodeMs)] as const;
  const rows = [
    ['figure', 'pgdba', 'baseline', 'ratio', 'budget'],
    [`activate() itself, median of ${RUNS}`, fmt(own[0]), fmt(own[1]), ratio(own[0], own[1]), ''],
    [`VS Code's activation time, median of ${RUNS}`, fmt(vsc[0]), fmt(vsc[1]), ratio(vsc[0], vsc[1]), '< 50 ms'],
    [`dist/extension.js (${PACKAGE ? 'release' : 'as built'})`, sizes.extensionJs, '', '', '< 1024 kB'],
    [`${pkg.name}-${pkg.version}.vsix`, sizes.vsix, '', '', '< 3072 kB'],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log('');
  for (const r of rows)
    console.log(
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    );
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  console.log(
    `(code-server 4.100.3, headless chromium, ${cpus().length} cores, load average at the end ${load}, activation by ${TRIGGER === 'view' ? 'opening the view from the activity bar' : 'a command from the palette'}; ${PACKAGE ? 'release' : 'current'} build)`,
  );

  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const out = join(ROOT, 'bench', 'results', 'activate.json');
  writeFileSync(out, JSON.stringify({ when: new Date().toISOString(), runs: RUNS, samples, failures, medians: { own, vscode: vsc }, sizes }, null, 2));
  console.log(`bench: figures in ${out}`);
  if (failures.length) console.log(`bench: ${failures.length} window(s) gave no figure:\n  ${failures.join('\n  ')}`);
  if (samples.pgdba.length === 0 || samples.baseline.length === 0) process.exitCode = 1;
}

void main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
