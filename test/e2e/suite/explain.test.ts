// EXPLAIN ANALYZE from the editor in a real VS Code: a query on a large table without an index,
// the command run with the cursor in it, the plan panel opens with the missing-index insight.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PlanDoc } from '../../../src/core/explain/planDoc';
import { client, testConn } from './connection';
import { canScreenshot, screenshot } from './screenshot';
import { ui } from './ui';
import { WEBVIEW } from '../protocol';

suite('explain', () => {
  test('Explain Analyze on the statement under the cursor opens the plan with the CREATE INDEX insight', async function () {
    this.timeout(120_000);
    const c = testConn();
    const db = await client(c);
    try {
      await db.query('DROP TABLE IF EXISTS e2e_bookings');
      await db.query('CREATE TABLE e2e_bookings AS SELECT g AS id, g % 5000 AS guest_id, md5(g::text) AS note FROM generate_series(1, 200000) g');
      await db.query('ANALYZE e2e_bookings');
    } finally {
      await db.end();
    }
    const doc = await vscode.workspace.openTextDocument({
      language: 'sql',
      content: '-- arrivals of one guest\nSELECT * FROM e2e_bookings\nWHERE guest_id = 42;\n',
    });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(2, 3, 2, 3); // the cursor in the WHERE line
    const plan = await vscode.commands.executeCommand<PlanDoc | undefined>('pgdba.explainAnalyze', c.name);
    assert.ok(plan, 'no plan came back (see the pgdba log)');
    const index = plan.insights.find((i) => i.action.kind === 'sql' && /CREATE INDEX/i.test(i.action.text));
    assert.ok(index, `no CREATE INDEX insight among: ${plan.insights.map((i) => i.title).join('; ')}`);
    assert.match(index.action.text, /e2e_bookings.*guest_id/);
    if (canScreenshot()) {
      // The insight inside the panel's page, shown once the tree is built: the columns crossed postMessage.
      const shot = await screenshot('e2e-plan-viewer', { waitForText: 'Missing index on e2e_bookings', within: WEBVIEW }, 60_000);
      assert.ok(shot.found, shot.error);
    }
  });

  test("a syntax error shows the server's message, marked in the editor at its position", async function () {
    this.timeout(60_000);
    const c = testConn();
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'SELECT 1;\n\nSELECT *\nFORM e2e_bookings\nWHERE guest_id = 42;\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(3, 2, 3, 2); // the cursor on the FORM line
    const plan = await vscode.commands.executeCommand<PlanDoc | undefined>('pgdba.explainAnalyze', c.name);
    assert.equal(plan, undefined, 'no plan for a statement with a syntax error');
    const marks = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'pgdba explain');
    assert.equal(marks.length, 1, `one mark, got ${JSON.stringify(marks.map((d) => d.message))}`);
    const mark = marks[0]!;
    assert.match(mark.message, /syntax error at or near/);
    assert.equal(mark.severity, vscode.DiagnosticSeverity.Error);
    // The server points at the word after "SELECT *" that it could not parse: FORM's line.
    const marked = doc.getText(mark.range);
    assert.ok(
      mark.range.start.line === 3 && ['FORM', 'e2e_bookings'].includes(marked),
      `marked "${marked}" at ${mark.range.start.line}:${mark.range.start.character}`,
    );
    assert.ok(mark.message.includes(`"${marked}"`), `the message names the marked word: ${mark.message}`);
    if (canScreenshot()) {
      const shot = await screenshot('e2e-explain-syntax-error', { waitForText: 'syntax error' });
      assert.ok(shot.found, shot.error);
    }
    // Editing the text clears the stale mark.
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), ' '));
    const deadline = Date.now() + 10_000;
    while (vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'pgdba explain') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'pgdba explain').length, 0, 'the mark goes with the edit');
  });

  test('Open Plan on an editor holding a psql session pasted (prompt, command, unicode table) opens the plan', async function () {
    this.timeout(90_000);
    const ext = vscode.extensions.getExtension('pgdba.pgdba')!;
    const file = vscode.Uri.joinPath(ext.extensionUri, 'test', 'fixtures', 'pastes', 'derived', 'psql-prompt-unicode.txt');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const opened = vscode.commands.executeCommand<PlanDoc | undefined>('pgdba.openPlan');
    await ui('open-plan-editor', [{ waitFor: 'The active editor' }, { press: 'Enter' }]);
    const plan = await opened;
    assert.ok(plan, 'no plan came back (see the pgdba log)');
    assert.deepEqual(
      plan.plan.nodes.map((n) => n.nodeType),
      ['Sort', 'Aggregate', 'Seq Scan', 'Aggregate', 'Hash Join', 'CTE Scan', 'Hash', 'Seq Scan', 'Aggregate', 'Seq Scan'],
    );
    assert.match(plan.query ?? '', /^WITH busy AS MATERIALIZED/);
    if (canScreenshot()) {
      const shot = await screenshot('e2e-open-plan-psql-unicode', { waitForText: 'HashAggregate', within: WEBVIEW }, 60_000);
      assert.ok(shot.found, shot.error);
    }
  });
});
