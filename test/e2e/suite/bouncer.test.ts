// PgBouncer in a real VS Code (#16): a profile with the runner's PgBouncer (transaction mode,
// waitdb with a pool of 1) gets the PgBouncer branch — the findings of two sessions in pg_sleep
// on that pool, pools and databases, the running config against a pgbouncer.ini open in the
// editor — and its dashboard draws the PgBouncer group. Screenshots of both.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import pg from 'pg';
import type { DashboardPanel } from '../../../src/vscode/dashboard/dashboardPanel';
import { ENV, SIDEBAR, WEBVIEW } from '../protocol';
import { testConn } from './connection';
import { canScreenshot, screenshot, skipBecause } from './screenshot';
import { api, child, reveal, text } from './tree';

const PROFILE = 'e2e-bouncer';

async function until<T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

suite('pgbouncer', () => {
  const conn = testConn();
  const port = Number(process.env[ENV.bouncer]);
  const cfg = () => vscode.workspace.getConfiguration('pgdba');
  const G = vscode.ConfigurationTarget.Global;
  const sleepers: pg.Client[] = [];

  suiteTeardown(async () => {
    await Promise.all(sleepers.map((c) => c.end().catch(() => undefined)));
    const connections = (cfg().inspect<{ name: string }[]>('connections')?.globalValue ?? []).filter((c) => c.name !== PROFILE);
    await cfg().update('connections', connections, G);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the PgBouncer branch shows the waiting pool, and the dashboard its PgBouncer group', async function () {
    this.timeout(180_000);
    if (!port) {
      return skipBecause(this, `pgbouncer suite skipped: ${ENV.bouncer} is not set (the runner found no PgBouncer)`);
    }
    const connections = cfg().inspect<unknown[]>('connections')?.globalValue ?? [];
    await cfg().update('connections', [...connections, { ...conn, name: PROFILE, pgbouncerPort: port, pgbouncerAdminUser: 'pgdba_admin' }], G);
    // Two sessions on a pool of one: one runs, one queues.
    for (let i = 0; i < 2; i++) {
      const c = new pg.Client({ host: conn.host, port, user: conn.user, password: process.env.PGPASSWORD, database: 'waitdb' });
      c.on('error', () => undefined);
      await c.connect();
      sleepers.push(c);
      void c.query('SELECT pg_sleep(60)').catch(() => undefined);
    }
    const ini = await vscode.workspace.openTextDocument({ language: 'pgbouncer-ini', content: '[pgbouncer]\npool_mode = session\ndefault_pool_size = 4\n' });
    await vscode.window.showTextDocument(ini, { preview: false });

    const a = await api();
    await vscode.commands.executeCommand('workbench.view.extension.pgdba');
    const server = await until('the e2e-bouncer server node', async () =>
      (await a.explorer.getChildren(undefined)).find((n) => text(n.item().label) === PROFILE),
    );
    const branch = await child(a, server, /^PgBouncer$/);
    const kids = await until('the pool-full finding', async () => {
      const k = await a.explorer.getChildren(branch);
      return k.some((n) => /pool waitdb\/\S+ is at its size \(1 of 1 server connections\) with 1 client\(s\) waiting/.test(text(n.item().label)))
        ? k
        : undefined;
    });
    const labels = kids.map((k) => text(k.item().label));
    for (const want of [/^Pools$/, /^Databases$/, /^Clients$/, /^Servers$/, /^Config$/, /^Lists$/, /^PgBouncer 1\./])
      assert.ok(
        labels.some((l) => want.test(l)),
        `missing ${want} in ${labels.join(', ')}`,
      );
    // Pools lists the server's pools only: the console's own (pgdba's session) is not one of them.
    const pools = (await a.explorer.getChildren(kids.find((k) => text(k.item().label) === 'Pools'))).map((k) => text(k.item().label));
    assert.ok(
      pools.some((l) => l.startsWith('waitdb/')),
      `no waitdb pool in ${pools.join(', ')}`,
    );
    assert.ok(!pools.some((l) => l.startsWith('pgbouncer/')), `the console's pool is listed: ${pools.join(', ')}`);
    const config = kids.find((k) => text(k.item().label) === 'Config')!;
    assert.match(String(config.item().description), /^1 differ from /);
    const poolMode = (await a.explorer.getChildren(config)).find((k) => text(k.item().label) === 'pool_mode = transaction');
    assert.match(String(poolMode?.item().description), /says session$/);

    await vscode.commands.executeCommand('workbench.actions.treeView.pgdba.servers.collapseAll');
    await reveal(a, branch, { select: false, focus: false, expand: true });
    for (const label of [/^Pools$/, /^Databases$/]) await reveal(a, await child(a, branch, label), { select: false, focus: false, expand: true });
    if (canScreenshot()) {
      const shot = await screenshot('e2e-bouncer-branch', { waitForText: 'waitdb', within: SIDEBAR });
      assert.ok(shot.found, shot.error);
    }

    const panel = await vscode.commands.executeCommand<DashboardPanel | undefined>('pgdba.openDashboard', PROFILE);
    assert.ok(panel, 'pgdba.openDashboard returned no panel (see the pgdba log)');
    const point = await until('a point with the PgBouncer group and the waiting client', () =>
      panel.points.find((p) => p.bouncerClActive !== null && (p.bouncerClWaiting ?? 0) >= 1),
    );
    assert.ok((point.bouncerSvActive ?? 0) >= 1);
    if (canScreenshot()) {
      const shot = await screenshot('e2e-bouncer-dashboard', { waitForText: 'Server connections by state', within: WEBVIEW });
      assert.ok(shot.found, shot.error);
    }
    panel.dispose();
  });
});
