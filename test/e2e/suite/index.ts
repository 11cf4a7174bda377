// The e2e test entry: VS Code loads this file in the extension host (code-server's, via the
// runner test/e2e/runE2e.ts, or a desktop VS Code via test/e2e/runDesktop.ts) and awaits run().
// Bundled by esbuild to dist/test/e2e/suite/index.js; the test files are bundled into it, mocha
// is loaded from node_modules. run() rejects when any test failed, so the host exits non-zero.
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { LineReporter } from './lineReporter';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 30_000, color: false, reporter: LineReporter });
  // PGDBA_E2E_GREP=<regexp>: run only the matching tests (a developer's loop; CI runs all).
  if (process.env.PGDBA_E2E_GREP) mocha.grep(new RegExp(process.env.PGDBA_E2E_GREP));
  // What `mocha.addFile` + `loadFiles` would do, for files bundled into this one: set the tdd
  // globals (suite, test, …) on this suite, then load the files that call them.
  mocha.suite.emit('pre-require', globalThis, 'bundled', mocha);
  // Each test starts with no toast on screen: an earlier test's message (a backup's result, an
  // error) would otherwise cover its screenshots. A test that shows a toast shows its own.
  mocha.suite.beforeEach(() => vscode.commands.executeCommand('notifications.clearAll'));
  await import('./smoke.test');
  await import('./notifications.test');
  await import('./lint.test');
  await import('./serverFiles.test');
  await import('./explorer.test');
  await import('./faults.test');
  await import('./explain.test');
  await import('./health.test');
  await import('./agents.test');
  await import('./backup.test');
  await import('./loadtest.test');
  await import('./dashboard.test');
  await import('./bouncer.test');
  await import('./panels.test');
  await import('./sshHop.test');
  await import('./logs.test');
  await import('./logSources.test');
  // Last: see its header.
  await import('./healthIncremental.test');

  const failures = await new Promise<number>((done) => mocha.run(done));
  if (failures > 0) throw new Error(`${failures} e2e test${failures === 1 ? '' : 's'} failed`);
}
