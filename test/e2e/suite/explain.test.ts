// EXPLAIN ANALYZE from the editor in a real VS Code: a query on a large table without an index,
// the command run with the cursor in it, the plan panel opens with the missing-index insight.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PlanDoc } from '../../../src/core/explain/planProtocol';
import { client, testConn } from './connection';
import { canScreenshot, screenshot } from './screenshot';

suite('explain', () => {
  test('Explain Analyze on the statement under the cursor opens the plan with the CREATE INDEX insight', async function () {
    this.timeout(120_000);
    const c = testConn();
    const db = await client(c);
    try {
      await db.query('DROP TABLE IF EXISTS e2e_bookings');
      await db.query("CREATE TABLE e2e_bookings AS SELECT g AS id, g % 5000 AS guest_id, md5(g::text) AS note FROM generate_series(1, 200000) g");
      await db.query('ANALYZE e2e_bookings');
    } finally {
      await db.end();
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: '-- arrivals of one guest\nSELECT * FROM e2e_bookings\nWHERE guest_id = 42;\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(2, 3, 2, 3); // the cursor in the WHERE line
    const plan = await vscode.commands.executeCommand<PlanDoc | undefined>('pgdba.explainAnalyze', c.name);
    assert.ok(plan, 'no plan came back (see the pgdba log)');
    const index = plan.insights.find((i) => i.action.kind === 'sql' && /CREATE INDEX/i.test(i.action.text));
    assert.ok(index, `no CREATE INDEX insight among: ${plan.insights.map((i) => i.title).join('; ')}`);
    assert.match(index.action.text, /e2e_bookings.*guest_id/);
    if (canScreenshot()) {
      const shot = await screenshot('e2e-plan-viewer', { waitForText: 'Explain Analyze' });
      assert.ok(shot.found, shot.error);
    }
  });
});
