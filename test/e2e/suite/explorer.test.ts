// The Servers view in a real VS Code: every top-level branch expands with data, and a profile
// added through the input boxes keeps its password out of settings. (Editing a setting and
// cancelling a session need modal confirmations, which VS Code refuses to show in a test
// window: test/e2e/explorerUi.ts does those as a person, in the runner's second window.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ServerVersion } from '../../../src/core/db/serverInfo';
import { ENV, SIDEBAR, type SshHop } from '../protocol';
import { client, testConn, type Conn } from './connection';
import { canScreenshot, screenshot, skipBecause } from './screenshot';
import { ui } from './ui';
import { api, child, reveal, text } from './tree';
import { waitFor } from './wait';

suite('explorer', () => {
  const conn = testConn();
  /** Removes a profile a test added, so the tests after it see the settings as they were. */
  const forget = async (name: string) => {
    const c = vscode.workspace.getConfiguration('pgdba');
    await c.update(
      'connections',
      (c.inspect<Conn[]>('connections')?.globalValue ?? []).filter((x) => x.name !== name),
      vscode.ConfigurationTarget.Global,
    );
  };

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
      if (b.children) await reveal(a, b, { expand: true, select: false, focus: false });
    }
    if (canScreenshot()) {
      const shot = await screenshot('e2e-explorer', { waitForText: 'Statistics', within: SIDEBAR });
      assert.ok(shot.found, shot.error);
    }
  });

  test('the health checks in the tree: Statistics → Health checks and the Alerts branch carry the findings with figure, why and fix', async function () {
    this.timeout(120_000);
    const admin = await client(conn);
    try {
      await admin.query('DROP TABLE IF EXISTS e2e_nokey, e2e_seq');
      await admin.query('CREATE TABLE e2e_nokey (note text)');
      await admin.query('CREATE TABLE e2e_seq (id serial PRIMARY KEY)');
      await admin.query(`SELECT setval('e2e_seq_id_seq', 2040109465)`); // 95% of int4
    } finally {
      await admin.end();
    }
    try {
      const a = await api();
      await vscode.commands.executeCommand('workbench.view.extension.pgdba');
      a.explorer.refresh(); // as a person would after changing the schema: the health checks' alerts are read again
      const server = await child(a, undefined, new RegExp(`^${conn.name}$`));
      const stats = await child(a, server, /^Statistics$/);
      const health = await child(a, stats, /^Health checks$/);
      const titles = (await a.explorer.getChildren(health)).map((n) => text(n.item().label));
      for (const want of [
        'Wraparound',
        'Sequences and keys near their limit',
        'Invalid indexes',
        'Duplicate and redundant indexes',
        'Foreign keys without an index',
        'Tables without a primary key',
        'Sessions',
        'Replication',
        'Security posture',
      ])
        assert.ok(titles.includes(want), `${want} missing from ${titles.join(', ')}`);
      const keys = await child(a, health, /^Tables without a primary key$/);
      const nokey = await child(a, keys, /^public\.e2e_nokey$/);
      assert.match(text(nokey.item().description as string), /^no primary key, no replica identity; /);
      assert.match(text(nokey.item().tooltip), /\*\*warning\*\*[\s\S]*Rows cannot be told apart[\s\S]*ADD PRIMARY KEY/);
      const seqs = await child(a, health, /^Sequences and keys near their limit$/);
      const seq = await child(a, seqs, /^public\.e2e_seq\.id$/);
      assert.match(text(seq.item().description as string), /^95% used: 2,040,109,465 of 2,147,483,647 \(integer\), above 90%$/);
      assert.match(seq.sql?.() ?? '', /^ALTER TABLE "public"\."e2e_seq" ALTER COLUMN "id" TYPE bigint;/, 'Copy SQL copies the fix');
      // The Alerts branch: the critical first, then the warning.
      const alerts = await child(a, server, /^Alerts/);
      const alertNodes = await a.explorer.getChildren(alerts);
      const shown = alertNodes.map((n) => text(n.item().label));
      assert.ok(shown.indexOf('public.e2e_seq.id') >= 0 && shown.indexOf('public.e2e_seq.id') < shown.indexOf('public.e2e_nokey'), shown.join(' | '));
      // The count on the branch, the server and the view's badge takes in the health checks' alerts,
      // read in the background once the refresh had shown the tree: the metrics' and the checks' leaves.
      const counted = alertNodes.filter((n) => new RegExp(`^${alerts.id}/(health/)?\\d+$`).test(n.id)).length;
      assert.ok(counted >= 2, `${counted} alerts: ${shown.join(' | ')}`);
      await waitFor(`Alerts (${counted}) on the branch`, () => (text(alerts.item().label) === `Alerts (${counted})` ? true : undefined));
      assert.match(String(server.item().description), new RegExp(` · ${counted} alerts$`));
      const badge = a.explorer.view?.badge?.value ?? 0;
      assert.ok(badge >= counted, `the badge says ${badge}, this server alone has ${counted}`);
      if (canScreenshot()) {
        await reveal(a, alerts, { expand: true, select: false, focus: false });
        await reveal(a, seqs, { expand: true, select: false, focus: false });
        await reveal(a, keys, { expand: true, select: false, focus: false });
        await reveal(a, nokey, { select: true, focus: true }); // scrolled into view: the tree above is long
        const shot = await screenshot('e2e-health-tree', { waitForText: 'public.e2e_nokey', within: SIDEBAR });
        assert.ok(shot.found, shot.error);
      }
    } finally {
      const c = await client(conn);
      await c.query('DROP TABLE IF EXISTS e2e_nokey, e2e_seq');
      await c.end();
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
      { waitFor: "SSH to the server's machine" },
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
    await forget('e2e typed');
  });

  test("a profile added through the input boxes with an SSH hop and its key connects through the hop's tunnel", async function () {
    this.timeout(120_000);
    const hopEnv = process.env[ENV.ssh];
    if (!hopEnv) {
      return skipBecause(this, 'SSH step of Add Connection skipped: the runner started no sshd (its reason is in the runner output)');
    }
    const hop = JSON.parse(hopEnv) as SshHop;
    const added = vscode.commands.executeCommand<string | undefined>('pgdba.addConnection');
    const replace = (text: string) => [{ press: 'Control+A' }, { type: text }, { press: 'Enter' }];
    await ui('add-connection-ssh', [
      { waitFor: 'A name for this connection' },
      { type: 'e2e via ssh' },
      { press: 'Enter' },
      { waitFor: "SSH to the server's machine" },
      { type: hop.ssh },
    ]);
    if (canScreenshot()) await screenshot('e2e-add-connection-ssh', { waitForText: "SSH to the server's machine" });
    await ui('add-connection-ssh-rest', [
      { press: 'Enter' },
      { waitFor: `SSH key file for ${hop.ssh}` },
      { type: hop.keyFile },
      { press: 'Enter' },
      // The host as the SSH server reaches it: 127.0.0.1 is offered.
      { waitFor: `as ${hop.ssh} reaches it` },
      { press: 'Enter' },
      { waitFor: 'Port of the PostgreSQL server' },
      ...replace(String(conn.port)),
      { waitFor: 'Database to connect to' },
      ...replace(conn.database),
      { waitFor: 'User to connect as' },
      ...replace(conn.user),
      { waitFor: 'verify-full' },
      { type: 'disable' },
      { press: 'Enter' },
      { waitFor: 'PgBouncer port' },
      { press: 'Enter' },
      { waitFor: `Password for ${conn.user}@` },
      { press: 'Enter' },
    ]);
    try {
      assert.equal(await added, 'e2e via ssh');
      const saved = vscode.workspace
        .getConfiguration('pgdba')
        .inspect<(Conn & { ssh?: string; sshIdentityFile?: string })[]>('connections')
        ?.globalValue?.find((x) => x.name === 'e2e via ssh');
      assert.deepEqual([saved?.host, saved?.ssh, saved?.sshIdentityFile], ['127.0.0.1', hop.ssh, hop.keyFile]);
      const v = await vscode.commands.executeCommand<ServerVersion | undefined>('pgdba.showServerVersion', 'e2e via ssh');
      assert.ok(v && v.major >= 13, 'the new profile connects through the hop');
    } finally {
      await forget('e2e via ssh');
    }
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
