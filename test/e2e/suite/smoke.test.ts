// Smoke test of the extension in a real VS Code: it activates, Show Server Version runs against
// the test server, and the PostgreSQL DBA view shows that server (screenshot, looked at by a person).
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { PgdbaApi } from '../../../src/extension';
import type { ServerVersion } from '../../../src/core/db/serverInfo';
import { ENV, SIDEBAR } from '../protocol';
import { canScreenshot, skipWithoutBrowser, screenshot } from './screenshot';

function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the e2e suite through test/e2e/runE2e.ts or runDesktop.ts`);
  return v;
}

suite('smoke', () => {
  const profile = requiredEnv(ENV.profile);
  const major = Number(requiredEnv(ENV.major));

  test('the extension activates and reports its activation time', async () => {
    const ext = vscode.extensions.getExtension<PgdbaApi>('pgdba.pgdba');
    assert.ok(ext, 'extension pgdba.pgdba is not installed in this host');
    const api = await ext.activate();
    assert.ok(ext.isActive);
    assert.equal(typeof api.activationMs, 'number');
    console.log(`pgdba activationMs=${api.activationMs.toFixed(2)}`);
  });

  test('every command in package.json is registered, and every registered pgdba command is in package.json', async () => {
    const ext = vscode.extensions.getExtension<PgdbaApi>('pgdba.pgdba');
    assert.ok(ext);
    await ext.activate();
    const pkg = ext.packageJSON as { contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> } };
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    // VS Code adds its own commands per view (pgdba.servers.focus, …): not ours to register.
    const viewIds = Object.values(pkg.contributes.views)
      .flat()
      .map((v) => `${v.id}.`);
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('pgdba.') && !viewIds.some((v) => c.startsWith(v))).sort();
    assert.deepEqual(registered, contributed);
  });

  test(`Show Server Version returns the server's version (PostgreSQL ${major})`, async () => {
    const v = await vscode.commands.executeCommand<ServerVersion | undefined>('pgdba.showServerVersion', profile);
    assert.ok(v, 'pgdba.showServerVersion returned nothing (see the pgdba log)');
    assert.equal(v.major, major);
    assert.match(v.text, new RegExp(`^${major}\\.`));
  });

  test('the PostgreSQL DBA view shows the server node', async function () {
    if (!canScreenshot()) return skipWithoutBrowser(this, 'its screenshot is the check');
    await vscode.commands.executeCommand('workbench.view.extension.pgdba');
    const shot = await screenshot('e2e-servers-view', { waitForText: `PostgreSQL ${major}.`, within: SIDEBAR });
    assert.ok(existsSync(shot.file), `no screenshot at ${shot.file}`);
    assert.ok(shot.found, `the side bar did not show "${profile}" with "PostgreSQL ${major}." (${shot.error ?? ''}); see ${shot.file}`);
  });
});
