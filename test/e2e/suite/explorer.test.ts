// The Servers view in a real VS Code: every top-level branch expands with data, and a profile
// added through the input boxes keeps its password out of settings. (Editing a setting and
// cancelling a session need modal confirmations, which VS Code refuses to show in a test
// window: test/e2e/explorerUi.ts does those as a person, in the runner's second window.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ServerVersion } from '../../../src/core/db/serverInfo';
import { SIDEBAR } from '../protocol';
import { client, testConn, type Conn } from './connection';
import { canScreenshot, screenshot } from './screenshot';
import { ui } from './ui';
import { api, child, text } from './tree';

suite('explorer', () => {
  const conn = testConn();

  test('every top-level branch of the server expands with data, none with an error', async function () {
    this.timeout(90_000);
    const a = await api();
    await vscode.commands.executeCommand('workbench.view.extension.pgdba');
    const server = await child(a, undefined, new RegExp(`^${conn.name}$`));
    const branches = await a.explorer.getChildren(server);
    const labels = branches.map((b) => text(b.item().label));
    for (const want of [/^Alerts/, /^Server$/, /^Configuration$/, /^Databases$/, /^Activity$/, /^Statistics$/]) {
      assert.ok(
        labels.some((l) => want.test(l)),
        `missing branch ${want} in ${labels.join(', ')}`,
      );
    }
    for (const b of branches) {
      const kids = await a.explorer.getChildren(b);
      const errors = kids.filter((k) => k.id.endsWith('#error')).map((k) => text(k.item().tooltip));
      assert.deepEqual(errors, [], `${text(b.item().label)} shows errors`);
      if (b.children) assert.ok(kids.length > 0, `${text(b.item().label)} is empty`);
      if (b.children) await a.explorer.view?.reveal(b, { expand: true, select: false, focus: false });
    }
    if (canScreenshot()) {
      const shot = await screenshot('e2e-explorer', { waitForText: 'Statistics', within: SIDEBAR });
      assert.ok(shot.found, shot.error);
    }
  });

  test('a profile added through the input boxes keeps its typed password in SecretStorage, not in settings', async function () {
    this.timeout(120_000);
    const password = `typed-${Date.now()}-S3cret`;
    const admin = await client(conn);
    try {
      await admin.query('DROP ROLE IF EXISTS e2e_typed');
      await admin.query(`CREATE ROLE e2e_typed LOGIN PASSWORD '${password}'`);
    } finally {
      await admin.end();
    }
    const added = vscode.commands.executeCommand<string | undefined>('pgdba.addConnection');
    const replace = (text: string) => [{ press: 'Control+A' }, { type: text }, { press: 'Enter' }];
    await ui('add-connection', [
      { waitFor: 'A name for this connection' },
      { type: 'e2e typed' },
      { press: 'Enter' },
      { waitFor: 'Host name or address' },
      ...replace(conn.host),
      { waitFor: 'Port of the PostgreSQL server' },
      ...replace(String(conn.port)),
      { waitFor: 'Database to connect to' },
      ...replace(conn.database),
      { waitFor: 'User to connect as' },
      ...replace('e2e_typed'),
      { waitFor: 'verify-full' },
      { type: 'disable' },
      { press: 'Enter' },
      { waitFor: 'PgBouncer port' },
      { press: 'Enter' },
      { waitFor: 'Password for e2e_typed@' },
      { type: password },
      { press: 'Enter' },
    ]);
    assert.equal(await added, 'e2e typed');
    const inspected = vscode.workspace.getConfiguration('pgdba').inspect('connections');
    const saved = JSON.stringify(inspected?.globalValue ?? null) + JSON.stringify(inspected?.workspaceValue ?? null);
    assert.ok(saved.includes('e2e_typed'), 'the profile was saved to settings');
    assert.ok(!saved.includes(password), 'the password must not be in settings');
    // PGPASSWORD in this host is another role's: only the secret store can log e2e_typed in.
    const v = await vscode.commands.executeCommand<ServerVersion | undefined>('pgdba.showServerVersion', 'e2e typed');
    assert.ok(v && v.major >= 13, 'e2e typed connects with the stored password');
    // Leave the settings as they were for the tests after this one.
    const c = vscode.workspace.getConfiguration('pgdba');
    await c.update(
      'connections',
      (c.inspect<Conn[]>('connections')?.globalValue ?? []).filter((x) => x.name !== 'e2e typed'),
      vscode.ConfigurationTarget.Global,
    );
  });

  test('Open as Table keeps the newest 20 result texts however many tables are opened', async function () {
    this.timeout(120_000);
    const a = await api();
    const server = await child(a, undefined, new RegExp(`^${conn.name}$`));
    const stats = await child(a, server, /^Statistics$/);
    const withTable = (await a.explorer.getChildren(stats)).find((n) => n.table !== undefined);
    assert.ok(withTable, 'a Statistics group opens as a table');
    for (let i = 0; i < 25; i++) {
      const rows: number | undefined = await vscode.commands.executeCommand<number | undefined>('pgdba.openAsTable', withTable);
      assert.equal(typeof rows, 'number', 'Open as Table returned its row count');
    }
    assert.equal(a.resultDocuments, 20);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
