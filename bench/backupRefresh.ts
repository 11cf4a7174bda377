// `npx tsx bench/backupRefresh.ts [--before REF]`: what the Servers view asks the servers (1) when
// a backup finishes: the queries each OTHER server in the tree receives (target 0), and (2) in
// one refresh of the tree: the SQL round trips one server receives (its node and its Databases
// open). Both come from the e2e test "a finished backup re-reads only the Backups nodes", in a
// real VS Code (code-server) against real PostgreSQL servers the e2e rig starts; two of the
// servers sit behind a relay that counts Query and Sync messages (test/support/queryCounter.ts).
// --before REF runs the same test on REF's code (exported with git archive into .tmp/, with this
// checkout's test and relay copied in) for the figure of today's code. Figures only: the test's
// own pass/fail is not the bench's.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const TEST = 'a finished backup re-reads only the Backups nodes';
const argv = process.argv.slice(2);
const beforeAt = argv.indexOf('--before');
const beforeRef = beforeAt >= 0 ? argv[beforeAt + 1] : undefined;

interface Figures {
  queriesToOtherServersAfterBackup: number[];
  roundTripsOfOneTreeRefreshPerServer: number[];
}

function runIn(root: string): Figures {
  const out = join(root, 'test-results', 'backup-refresh.json');
  rmSync(out, { force: true });
  const r = spawnSync('npx', ['tsx', 'test/e2e/runE2e.ts'], {
    cwd: root,
    env: { ...process.env, PGDBA_E2E_GREP: TEST },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (!existsSync(out)) throw new Error(`the e2e run in ${root} wrote no figures (exit ${r.status ?? r.signal})`);
  return JSON.parse(readFileSync(out, 'utf8')) as Figures;
}

/** REF's tree in .tmp/, with the measuring test and the relay of this checkout. */
function checkoutOf(ref: string): string {
  const dir = join(ROOT, '.tmp', 'bench-backup-refresh-before');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync('bash', ['-o', 'pipefail', '-c', `git archive ${JSON.stringify(ref)} | tar -x -C ${JSON.stringify(dir)}`], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (archive.status !== 0) throw new Error(`git archive ${ref} failed`);
  for (const f of ['test/e2e/suite/backup.test.ts', 'test/support/queryCounter.ts']) cpSync(join(ROOT, f), join(dir, f));
  for (const link of ['node_modules', '.vscode-host']) symlinkSync(resolve(ROOT, link), join(dir, link));
  return dir;
}

const show = (label: string, f: Figures) =>
  console.log(
    `${label.padEnd(8)} queries to each other server after a backup: ${f.queriesToOtherServersAfterBackup.join(', ')}   round trips of one tree refresh, per server: ${f.roundTripsOfOneTreeRefreshPerServer.join(', ')}`,
  );

const before = beforeRef ? runIn(checkoutOf(beforeRef)) : undefined;
const after = runIn(ROOT);
if (before) show(`${beforeRef}:`, before);
show('this:', after);
