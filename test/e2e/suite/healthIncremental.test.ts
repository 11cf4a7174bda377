// A second Run Health Check in the real VS Code reads only what the log gained: the Slow query
// log section goes on from the first report (SlowLogMemory), its figures merged. Its own suite,
// run last in window 1: after its two quick reports VS Code showed no further notification toast
// in the window (the next tests wait on toasts: Advise Indexes' Create Index…, a backup's Cancel),
// which the closing note of stop 14 describes; the reports themselves are right.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait';
import type { HealthCheckResult } from '../../../src/vscode/health/runHealthCheck';
import { client, testConn } from './connection';

suite('health incremental', () => {
  test('a second Run Health Check reads only what the log gained: the Slow query log section goes on from the first, its figures merged', async function () {
    this.timeout(300_000);
    const c = testConn();
    // A group of its own (libpg-query keeps column names, not aliases), slow enough to be a warning (mean over the seed's 500 ms) and shown.
    const name = `e2e_incr_${Date.now()}`;
    const text = `SELECT pg_sleep(${name}) FROM (SELECT $1::float8 AS ${name}) AS t`;
    const db = await client(c);
    const logFiles = async () => {
      const r = await db.query<{ dir: string }>("SELECT current_setting('data_directory') || '/' || current_setting('log_directory') AS dir");
      const dir = r.rows[0]!.dir;
      return readdirSync(dir).map((f) => join(dir, f));
    };
    /** Runs the statement `n` times and waits until the collector wrote the calls so far. */
    const calls = async (n: number, total: number) => {
      for (let i = 0; i < n; i++) await db.query(text, [0.55]);
      const files = await logFiles();
      await waitFor(`${total} calls in the log`, () => {
        const seen = files.reduce((k, f) => k + readFileSync(f, 'utf8').split(`execute <unnamed>: ${text}`).length - 1, 0);
        return seen >= total ? true : undefined;
      });
    };
    const section = async () => {
      const result = await vscode.commands.executeCommand<HealthCheckResult | undefined>('pgdba.runHealthCheck', c.name);
      assert.ok(result?.report.servers[0]?.ok, 'the test server was reached');
      await vscode.window.showTextDocument(result.document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      const f = result.report.servers[0].report.findings.filter((x) => x.check === 'slow-log');
      const group = f.find((x) => x.subject.includes(name));
      assert.ok(group, JSON.stringify(f, null, 1));
      return { summary: f.find((x) => x.subject === 'server log')!, group };
    };
    try {
      await calls(2, 2);
      // The suite's first test ran a report already: this one may go on from it; what matters is the next.
      const first = await section();
      assert.match(first.group.observed, /^2 calls, /);
      await calls(3, 5);
      const second = await section();
      assert.match(second.group.observed, /^5 calls, /, 'the group counted once per call over both reads');
      assert.match(second.summary.why, /^Read [\d.]+ [kMG]?B of \d+ files? on this machine \([\d.]+ [kM]?B of it new since the report of /);
    } finally {
      await db.end();
    }
  });
});
