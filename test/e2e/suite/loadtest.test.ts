// A load test through the command in a real VS Code: scale 1, 4 clients, 3 seconds on the test
// server (arguments skip the questions), the run comes back with per-second samples and
// percentiles, the scratch database is gone, and the panel opens (screenshot).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LoadTestRun } from '../../../src/core/loadtest/types';
import { client, testConn } from './connection';
import { canScreenshot, screenshot } from './screenshot';

suite('load test', () => {
  test('Run Load Test runs pgbench in a scratch database, drops it, and opens the charts', async function () {
    this.timeout(180_000);
    const c = testConn();
    // The panel opens in the active group: give it the window, as a person reading charts would.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const run = await vscode.commands.executeCommand<LoadTestRun | undefined>('pgdba.runLoadTest', {
      profile: c.name,
      scale: 1,
      clients: 4,
      threads: 2,
      durationSeconds: 3,
    });
    assert.ok(run, 'no run came back (see the pgdba log)');
    assert.ok(run.perSecond.length >= 1, 'no per-second sample');
    assert.ok(run.summary.transactions > 0);
    assert.equal(run.percentiles.count, run.summary.transactions - run.summary.failed);
    assert.match(run.config.database, /^pgdba_loadtest_/);
    const db = await client(c);
    try {
      const left = await db.query("SELECT datname FROM pg_database WHERE datname LIKE 'pgdba\\_loadtest\\_%'");
      assert.deepEqual(left.rows, [], 'the scratch database was dropped');
    } finally {
      await db.end();
    }
    if (canScreenshot()) {
      // The webview loads its script and draws after the command returns.
      await new Promise((r) => setTimeout(r, 4000));
      const shot = await screenshot('e2e-load-test', { waitForText: 'Load Test:' });
      assert.ok(shot.found, shot.error);
    }
  });
});
