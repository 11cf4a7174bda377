// `npm test`: the quality gates (tsc, eslint), then the three rigs — unit, integration, e2e —
// each reporting how many tests ran and passed, and a closing `N passed, N failed` line. Each rig
// runs with its own TMPDIR (lib/tempGuard.ts); anything it leaves there fails it.
//   tsx scripts/runTests.ts [unit|integration|e2e|matrix|gates]...
// `matrix` runs the integration suites once per PostgreSQL major 13–18 (PGDBA_TEST_MAJOR).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { SUPPORTED_MAJORS } from './lib/pgServer';
import { openRigTemp, sweepKilledRuns } from './lib/tempGuard';

const ROOT = resolve(__dirname, '..');
const RESULTS = join(ROOT, 'test-results');

interface Tally {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  note?: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
    child.on('error', () => done(127));
  });
}

function findTests(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.ts')) out.push(relative(ROOT, p));
    }
  };
  walk(abs);
  return out;
}

/** Runs files with node's test runner: spec on the console, TAP to a file we count from. */
async function nodeTestRig(name: string, dir: string, env: NodeJS.ProcessEnv = {}): Promise<Tally> {
  const files = findTests(dir);
  if (files.length === 0) return { name, passed: 0, failed: 1, skipped: 0, note: `no test files under ${dir}` };
  mkdirSync(RESULTS, { recursive: true });
  const tap = join(RESULTS, `${name.replace(/\W+/g, '-')}.tap`);
  rmSync(tap, { force: true });
  console.log(`\n=== ${name}: ${files.length} files ===`);
  const code = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    env,
  );
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (key: string) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  const t: Tally = { name, passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
  if (code !== 0 && t.failed === 0) {
    t.failed = 1;
    t.note = `test runner exited ${code} without a failing test reported`;
  }
  return t;
}

/** Runs a rig with TMPDIR set to a fresh folder: what it leaves there is listed and fails the rig. */
async function inRigTemp(rig: (env: NodeJS.ProcessEnv) => Promise<Tally>): Promise<Tally> {
  const temp = openRigTemp();
  const t = await rig({ TMPDIR: temp.dir });
  const { left, outside } = temp.close();
  const stray = left.filter((l) => l.heldBy.length === 0);
  for (const l of left) {
    const fate = l.heldBy.length ? `still in use by pid ${l.heldBy.join('; pid ')}: left in place` : 'removed';
    console.log(`${t.name} left in its temp dir ${temp.dir}: ${l.name} (${l.what}) — ${fate}`);
  }
  if (left.length === 0) console.log(`${t.name}: its temp dir ${temp.dir} was left empty, and removed`);
  if (outside.length) console.log(`${t.name}: note: new in ${tmpdir()} itself meanwhile (another run's, or a path that ignores TMPDIR): ${outside.join(' ')}`);
  if (stray.length) {
    t.failed++;
    t.note = [t.note, `${stray.length} temp entr${stray.length === 1 ? 'y' : 'ies'} left behind`].filter(Boolean).join('; ');
  }
  return t;
}

async function gates(): Promise<Tally> {
  console.log('\n=== gates: tsc --noEmit, eslint (type-checked), prettier --check ===');
  const t: Tally = { name: 'gates', passed: 0, failed: 0, skipped: 0 };
  for (const [label, args] of [
    ['tsc', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']],
    ['eslint', ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', '.']],
    // Formatting: prettier's own check (npm run format writes it).
    ['prettier', ['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', '.']],
  ] as const) {
    const code = await run(process.execPath, [...args]);
    console.log(`gate ${label}: ${code === 0 ? 'ok' : 'FAILED'}`);
    if (code === 0) t.passed++;
    else t.failed++;
  }
  return t;
}

async function e2e(env: NodeJS.ProcessEnv): Promise<Tally> {
  console.log('\n=== e2e: the extension in a real VS Code (code-server + chromium) ===');
  const summaryFile = join(RESULTS, 'e2e-summary.json');
  rmSync(summaryFile, { force: true });
  const code = await run(process.execPath, ['--import', 'tsx', 'test/e2e/runE2e.ts'], env);
  if (!existsSync(summaryFile)) return { name: 'e2e', passed: 0, failed: 1, skipped: 0, note: `the e2e runner exited ${code} and wrote no summary` };
  const s = JSON.parse(readFileSync(summaryFile, 'utf8')) as { passed: number; failed: number; skipped?: number };
  const t: Tally = { name: 'e2e', passed: s.passed, failed: s.failed, skipped: s.skipped ?? 0 };
  if (code !== 0 && t.failed === 0) {
    t.failed = 1;
    t.note = `the e2e runner exited ${code}`;
  }
  return t;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const all = wanted.length === 0;
  const tallies: Tally[] = [];
  const swept = sweepKilledRuns();
  if (swept.length) console.log(`swept the temp dirs of killed runs: ${swept.join(' ')}`);
  if (all || wanted.includes('gates')) tallies.push(await gates());
  if (all || wanted.includes('unit')) tallies.push(await inRigTemp((env) => nodeTestRig('unit', 'test/unit', env)));
  if (all || wanted.includes('integration')) tallies.push(await inRigTemp((env) => nodeTestRig('integration', 'test/integration', env)));
  if (wanted.includes('matrix')) {
    for (const major of SUPPORTED_MAJORS) {
      tallies.push(
        await inRigTemp((env) => nodeTestRig(`integration-pg${major}`, 'test/integration', { ...env, PGDBA_TEST_MAJOR: String(major), PGDBA_TEST_URL: '' })),
      );
    }
  }
  if (all || wanted.includes('e2e')) tallies.push(await inRigTemp(e2e));

  console.log('\n=== summary ===');
  for (const t of tallies) {
    const ran = t.passed + t.failed;
    console.log(
      `${t.name.padEnd(18)} ${ran} ran, ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}${t.note ? `  (${t.note})` : ''}`,
    );
  }
  const passed = tallies.reduce((a, t) => a + t.passed, 0);
  const failed = tallies.reduce((a, t) => a + t.failed, 0);
  const skipped = tallies.reduce((a, t) => a + t.skipped, 0);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

void main();
