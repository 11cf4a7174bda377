// `npx tsx scripts/copyScreenshots.ts`: the pictures of the marketplace page (docs/extension-readme.md)
// and of README.md, copied from the last e2e run's test-results/ into docs/images/. Each one was
// looked at before it was chosen; a run that failed copies nothing, and one that ran only some
// suites (PGDBA_E2E_GREP) copies what it took and names what it kept from before.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const RESULTS = join(ROOT, 'test-results');

/** e2e screenshot → docs/images name, and the test that takes it. */
const CHOSEN: Record<string, { to: string; by: string }> = {
  'e2e-health-tree.png': { to: 'servers-view.png', by: 'test/e2e/suite/explorer.test.ts (the health checks in the tree)' },
  'e2e-lint-problems.png': { to: 'lint.png', by: 'test/e2e/suite/lint.test.ts' },
  'e2e-plan-viewer.png': { to: 'explain.png', by: 'test/e2e/suite/explain.test.ts' },
  'e2e-walkthrough-backup.png': { to: 'backups.png', by: 'test/e2e/walkthroughUi.ts (window 2, Verify Backup)' },
  'e2e-bouncer-branch.png': { to: 'pgbouncer.png', by: 'test/e2e/suite/bouncer.test.ts' },
  'e2e-walkthrough.png': { to: 'walkthrough.png', by: 'test/e2e/walkthroughUi.ts (window 2)' },
  'e2e-logs-panel.png': { to: 'logs.png', by: 'test/e2e/suite/logs.test.ts' },
};

function main(): void {
  const summaryFile = join(RESULTS, 'e2e-summary.json');
  if (!existsSync(summaryFile)) throw new Error(`${summaryFile} is missing: run the e2e rig first (npx tsx test/e2e/runE2e.ts)`);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { passed: number; failed: number };
  if (summary.failed > 0) throw new Error(`the last e2e run failed ${summary.failed} test(s): its pictures may show the failure, so none is copied`);
  const taken = Object.entries(CHOSEN).filter(([from]) => existsSync(join(RESULTS, from)));
  if (taken.length === 0) throw new Error('none of the chosen pictures is in test-results/');
  for (const [from, { to }] of taken) {
    copyFileSync(join(RESULTS, from), join(ROOT, 'docs', 'images', to));
    console.log(`copyScreenshots: test-results/${from} → docs/images/${to}`);
  }
  for (const [from, { to, by }] of Object.entries(CHOSEN).filter(([f]) => !existsSync(join(RESULTS, f))))
    console.log(`copyScreenshots: docs/images/${to} kept: this run did not take ${from} (${by})`);
}

try {
  main();
} catch (e) {
  console.error(`copyScreenshots: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
