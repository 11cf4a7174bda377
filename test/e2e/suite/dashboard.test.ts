// The dashboard in a real VS Code: opened on the test server, its charts (the host's too) move while a load runs,
// it pauses when hidden and resumes when shown, and opening connections past the (lowered)
// warning threshold raises the alert in the panel and as a warning notification.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type pg from 'pg';
import type { DashboardPanel } from '../../../src/vscode/dashboard/dashboardPanel';
import { client, testConn } from './connection';
import { api } from './tree';
import { canScreenshot, screenshot } from './screenshot';
import { WEBVIEW } from '../protocol';

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

suite('dashboard', () => {
  const conn = testConn();
  const cfg = () => vscode.workspace.getConfiguration('pgdba');
  const extra: pg.Client[] = [];

  suiteTeardown(async () => {
    await Promise.all(extra.map((c) => c.end().catch(() => undefined)));
    await cfg().update('alerts.thresholds', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('dashboard.intervalSeconds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('charts move under load, sampling pauses while hidden, and a connection alert is raised once', async function () {
    this.timeout(240_000);
    const db = await client(conn);
    extra.push(db);
    const max = Number((await db.query<{ v: string }>("SELECT current_setting('max_connections') AS v")).rows[0]!.v);
    const now = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend'")).rows[0]!.n);
    // A warning threshold a few sessions above today's count, the critical one out of reach.
    const warnPct = Math.ceil((100 * (now + 4)) / max);
    await cfg().update('alerts.thresholds', { connectionsPct: { warn: warnPct, crit: 100 } }, vscode.ConfigurationTarget.Global);
    await cfg().update('dashboard.intervalSeconds', 1, vscode.ConfigurationTarget.Global);
    await db.query('DROP TABLE IF EXISTS e2e_dash; CREATE TABLE e2e_dash (id serial PRIMARY KEY, v int)');

    const channel = await api();
    assert.ok(channel, 'the test channel is on under the e2e runner');
    const notified = () => channel.notified.filter((n) => n.connection === conn.name).map((n) => n.alert);
    const panel = await vscode.commands.executeCommand<DashboardPanel | undefined>('pgdba.openDashboard', conn.name);
    assert.ok(panel, 'pgdba.openDashboard returned no panel (see the pgdba log)');
    await until('the first samples', () => panel.points.length >= 3);

    // Load: three clients inserting for a few seconds; the charts must show the commits.
    const start = panel.points.length;
    const stop = Date.now() + 6000;
    const loaders = await Promise.all([1, 2, 3].map(() => client(conn)));
    extra.push(...loaders);
    await Promise.all(
      loaders.map(async (c) => {
        while (Date.now() < stop) await c.query('INSERT INTO e2e_dash (v) SELECT g FROM generate_series(1, 50) g');
      }),
    );
    const busy = await until('a point with the load in it', () =>
      panel.points.slice(start).find((p) => (p.commitsPerSec ?? 0) > 5 && (p.tupInsertedPerSec ?? 0) > 100),
    );
    assert.ok(panel.points.length - start >= 3, `only ${panel.points.length - start} samples during the load`);
    assert.ok((busy.walBytesPerSec ?? 0) > 0, 'WAL written during the load');
    // The test server runs on this machine: each point carries its host's part, one read per tick.
    const hosted = await until('a point with the host charts in it', () =>
      panel.points.slice(start).find((p) => p.hostCpuBusyPct !== null && p.hostMemTotalBytes !== null && p.hostDiskWritesPerSec !== null),
    );
    assert.ok(hosted.hostCpuBusyPct! >= 0 && hosted.hostCpuBusyPct! <= 100, `CPU busy ${hosted.hostCpuBusyPct}%`);
    assert.ok(hosted.hostMemUsedBytes! > 0 && hosted.hostMemUsedBytes! < hosted.hostMemTotalBytes!);
    if (canScreenshot()) {
      const shot = await screenshot('e2e-dashboard-host', { waitForText: 'Host disk reads and writes per second', within: WEBVIEW }, 60_000);
      assert.ok(shot.found, shot.error ?? 'the host charts were not on screen');
    }

    // Hidden: another editor in the panel's group; sampling stops, and resumes when shown again.
    const doc = await vscode.workspace.openTextDocument({ content: 'hiding the dashboard' });
    await vscode.window.showTextDocument(doc, { preview: false });
    await until('sampling to pause while hidden', () => !panel.sampling);
    const hiddenAt = panel.points.length;
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(panel.points.length, hiddenAt, 'no samples while hidden');
    await vscode.commands.executeCommand('pgdba.openDashboard', conn.name);
    await until('sampling to resume when shown', () => panel.sampling && panel.points.length > hiddenAt);

    // Past the warning threshold: a notification, once.
    for (let i = 0; i < 8; i++) extra.push(await client(conn));
    const alert = await until('the connections alert', () => notified().find((a) => a.metric === 'connections'));
    assert.equal(alert.level, 'warning');
    assert.equal(alert.threshold, warnPct);
    if (canScreenshot()) {
      const shot = await screenshot('e2e-dashboard', { waitForText: 'above the warning threshold' });
      assert.ok(shot.found, shot.error ?? 'the warning notification was not on screen');
    }
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(notified().filter((a) => a.metric === 'connections').length, 1, 'one notification per crossing, not one per tick');
  });
});
