// A profile through an SSH hop in a real VS Code: a real sshd (test/support/sshServer.ts, started by
// the runner) in front of the test server, its host key in the known_hosts of the extension host's
// HOME (VS Code refuses a modal under a test runner). The tree connects through the tunnel (the server's version shows); Open Server
// Configuration reads postgresql.conf over the hop's SFTP (the SSH user is not this process's: it
// may read the file only because the runner gave its group read access); the Host line's facts
// come from the hop (source "ssh"). Through the hop too: postgresql.conf linted with the host's RAM,
// a file of the SSH user's own (included from postgresql.conf) saved over SFTP with its .bak, and
// Reload Server Configuration applying it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type pg from 'pg';
import { ENV, WEBVIEW, type SshHop } from '../protocol';
import { api, child, text } from './tree';
import { addConnections, client, settingOnceReloaded, testConn } from './connection';
import { canScreenshot, screenshot, skipBecause } from './screenshot';
import type { DashboardPanel } from '../../../src/vscode/dashboard/dashboardPanel';
import { waitFor } from './wait';
import { writeRunStatus } from '../../../src/core/backup/runStatus';
import { describeProfile } from '../../../src/core/lint/hardware';
import { HARDWARE_CODE } from '../../../src/core/lint/confHardwareRules';
import type { ReloadReport } from '../../../src/core/serverfiles/reload';

const PROFILE = 'e2e-ssh';
const hopEnv = process.env[ENV.ssh];
const hop = hopEnv ? (JSON.parse(hopEnv) as SshHop) : undefined;

suite('SSH hop', () => {
  let db: pg.Client;
  let before: unknown[];

  suiteSetup(async function () {
    if (!hop) {
      return skipBecause(this, 'SSH hop suite skipped: the runner started no sshd (its reason is in the runner output)');
    }
    db = await client(testConn());
    const c = testConn();
    // The server as the SSH server sees it: the same loopback address and port, reached through the tunnel.
    before = await addConnections([
      { name: PROFILE, host: '127.0.0.1', port: c.port, database: c.database, user: c.user, ssh: hop.ssh, sshIdentityFile: hop.keyFile },
    ]);
  });

  suiteTeardown(async () => {
    if (!hop) return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('pgdba').update('connections', before, vscode.ConfigurationTarget.Global);
    await db?.end();
  });

  test('a profile through SSH: the tree, Open Server Configuration over SFTP, the host facts', async function () {
    this.timeout(120_000);
    const a = await api();
    const server = await child(a, undefined, new RegExp(`^${PROFILE}$`));
    const kids = await a.explorer.getChildren(server);
    assert.ok(
      kids.some((k) => /^Server$/.test(text(k.item().label))),
      kids.map((k) => text(k.item().label)).join(', '),
    );

    const version = (await db.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v.split(' on ')[0]!;
    const info = await child(a, server, /^Server$/);
    const lines = await a.explorer.getChildren(info);
    const line = (label: string) => lines.find((k) => text(k.item().label) === label)?.item();
    assert.equal(line('Version')?.description, version);
    // The Host line: read over the hop, from the machine's own /proc (here the same machine). It once
    // needed reading again: a fast command's exit status could be emitted before SshHost listened for
    // it (now taken from the channel's close too; test/integration/sshHop.test.ts holds it).
    const host = line('Host');
    assert.ok(host && typeof host.description === 'string', 'a Host line');
    assert.match(host.description, /\(ssh\)$/, `facts from the hop: ${String(host.description)} ${text(host.tooltip)}`);
    assert.match(host.description, /CPU/, String(host.description));

    // Open Server Configuration through the hop: the document is the server's postgresql.conf.
    const confPath = (await db.query<{ f: string }>("SELECT current_setting('config_file') AS f")).rows[0]!.f;
    const opened = await vscode.commands.executeCommand<string[]>('pgdba.openServerConfiguration', PROFILE);
    assert.ok(opened && opened.length >= 2, `postgresql.conf and pg_hba.conf: ${JSON.stringify(opened)}`);
    const editor = await waitFor('the postgresql.conf editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'pgdba-server' && e.document.uri.path === confPath && decodeURIComponent(e.document.uri.authority) === PROFILE
        ? e
        : undefined;
    });
    assert.equal(editor.document.getText(), readFileSync(confPath, 'utf8'));
    if (canScreenshot()) {
      await vscode.commands.executeCommand('pgdba.servers.focus');
      const shot = await screenshot('e2e-ssh-hop', { waitForText: PROFILE });
      assert.ok(shot.found, `the SSH profile shows: ${shot.error ?? ''}`);
    }
  });

  test("through the hop: a lint with the host's RAM, save with the .bak over SFTP, Reload applies it", async function () {
    this.timeout(120_000);
    const a = await api();
    const hardware = vscode.workspace.getConfiguration('pgdba.hardware');
    assert.equal(hardware.get('ramGB') ?? null, null, 'pgdba.hardware.ramGB is unset: the RAM can come only from the hop');
    // The host's RAM and CPUs by this machine's own means (the hop is this machine): /proc/meminfo, nproc.
    const memKb = Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    const cpus = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
    const hostText = describeProfile({ ramBytes: memKb * 1024, cpus, storage: 'ssd', workload: 'mixed', pgVersion: 16 })
      .split(', ')
      .slice(0, 2)
      .join(', ');

    // The DBA's own file, included from postgresql.conf (as root, as the server's owner would), and
    // the configuration opened again so that the include is followed.
    const confPath = (await db.query<{ f: string }>("SELECT current_setting('config_file') AS f")).rows[0]!.f;
    const original = readFileSync(confPath, 'utf8');
    const dbaDir = dirname(hop!.dbaConf);
    const dbaBefore = statSync(hop!.dbaConf);
    try {
      writeFileSync(confPath, `${original}\ninclude_if_exists = '${hop!.dbaConf}'\n`);
      await vscode.commands.executeCommand('pgdba.openServerConfiguration', PROFILE);
      const conf = await waitFor('the postgresql.conf editor', () => {
        const e = vscode.window.activeTextEditor;
        return e?.document.uri.scheme === 'pgdba-server' && e.document.uri.path === confPath && decodeURIComponent(e.document.uri.authority) === PROFILE
          ? e.document
          : undefined;
      });
      // A file over SSH is not this machine's: without the hop's host facts it would get no hardware
      // finding at all (lintEngine.hardwareFor), so a finding naming the RAM took it from the hop.
      const finding = await waitFor(
        "a hardware finding with the host's RAM",
        () => vscode.languages.getDiagnostics(conf.uri).find((d) => d.code === HARDWARE_CODE || (typeof d.code === 'object' && d.code.value === HARDWARE_CODE)),
        30_000,
      );
      assert.ok(finding.message.includes(`for ${hostText}`), `${finding.message} (the host: ${hostText})`);

      // Edited and saved over SFTP: the .bak beside it first, then the new text atomically, mode and owner kept.
      // Opened again, the editor shows the file as it is now on the hop's machine (an earlier test had it open).
      await waitFor('postgresql.conf with its new include line', () => (conf.getText().includes(hop!.dbaConf) ? true : undefined));
      // Opened as a person would: the include line in postgresql.conf is a link to the file on the hop's machine.
      const links = (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', conf.uri)) ?? [];
      const dbaUri = links.find((l) => l.target?.path === hop!.dbaConf)?.target;
      assert.ok(
        dbaUri?.scheme === 'pgdba-server' && decodeURIComponent(dbaUri.authority) === PROFILE,
        `the include's link: ${links.map((l) => l.target?.toString()).join(', ')}`,
      );
      const dba = await vscode.workspace.openTextDocument(dbaUri);
      await vscode.window.showTextDocument(dba, { preview: false });
      assert.equal(dba.languageId, 'postgresql-conf');
      const before = dba.getText();
      assert.equal(before, readFileSync(hop!.dbaConf, 'utf8'));
      const text = `${before}work_mem = '7MB'\n`;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(dba.uri, new vscode.Range(dba.positionAt(0), dba.positionAt(before.length)), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await dba.save(), 'saved');
      assert.equal(readFileSync(hop!.dbaConf, 'utf8'), text);
      const after = statSync(hop!.dbaConf);
      assert.equal((after.mode & 0o7777).toString(8), (dbaBefore.mode & 0o7777).toString(8), 'mode kept');
      assert.deepEqual([after.uid, after.gid], [dbaBefore.uid, dbaBefore.gid], 'owner kept');
      assert.notEqual(after.ino, dbaBefore.ino, 'replaced by a rename, not written in place');
      const left = readdirSync(dbaDir).filter((n) => n !== 'dba.conf');
      assert.equal(left.length, 1, `the .bak alone beside it, no temp left: ${left.join(', ')}`);
      assert.match(left[0]!, /^dba\.conf\.\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\.bak$/);
      assert.equal(readFileSync(join(dbaDir, left[0]!), 'utf8'), before);
      const said = await waitFor('the saved message', () => a.serverFileMessages.find((m) => m.startsWith('Saved dba.conf')));
      assert.match(said, /work_mem: reload\./);

      // Reload through the hop's connection: a new session sees the value.
      const report = await vscode.commands.executeCommand<ReloadReport | undefined>('pgdba.reloadServerConfiguration', PROFILE);
      assert.ok(report?.reloaded, `reloaded: ${a.serverFileMessages.join(' | ')}`);
      assert.deepEqual(report.problems, []);
      assert.equal(await settingOnceReloaded('work_mem', (v) => v === '7MB'), '7MB');
      if (canScreenshot()) {
        const shot = await screenshot('e2e-ssh-saved', { waitForText: 'dba.conf' });
        assert.ok(shot.found, `the saved file shows: ${shot.error ?? ''}`);
      }
    } finally {
      // postgresql.conf as it was (other suites use this server), the value gone with the include.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      writeFileSync(confPath, original);
      await db.query('SELECT pg_reload_conf()');
    }
    // The include gone, a new session has work_mem as before it.
    const restored = await settingOnceReloaded('work_mem', (v) => v !== '7MB');
    assert.notEqual(restored, '7MB');
  });

  test("the Backups branch: the nightly timer is looked for on the hop's machine (no systemd here: its note names the hop)", async function () {
    this.timeout(60_000);
    const dir = vscode.workspace.getConfiguration('pgdba').get<string>('backup.directory')!;
    const made = !existsSync(dir);
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    const c = testConn();
    // A run record of this server (its host and port) under a database name of this test's alone.
    const database = 'e2e_ssh_timer';
    const now = new Date().toISOString();
    const file = await writeRunStatus(dir, {
      database,
      server: { host: '127.0.0.1', port: c.port },
      startedAt: now,
      endedAt: now,
      result: 'succeeded',
      pid: process.pid,
    });
    try {
      const a = await api();
      const server = await child(a, undefined, new RegExp(`^${PROFILE}$`));
      const backups = await child(a, server, /^Backups$/);
      const run = await child(a, backups, new RegExp(`^Last run of ${database}$`));
      const tooltip = text(run.item().tooltip);
      assert.ok(tooltip.includes(`${hop!.ssh} does not run systemd (no /run/systemd/system)`), tooltip);
    } finally {
      rmSync(made ? dir : file, { recursive: true, force: true });
    }
  });

  test("the dashboard's host charts through the hop: one /proc read per tick over SSH", async function () {
    this.timeout(90_000);
    const panel = await vscode.commands.executeCommand<DashboardPanel | undefined>('pgdba.openDashboard', PROFILE);
    assert.ok(panel, 'pgdba.openDashboard returned no panel (see the pgdba log)');
    try {
      const hosted = await waitFor(
        'a point with the host charts in it',
        () => panel.points.find((p) => p.hostCpuBusyPct !== null && p.hostMemTotalBytes !== null && p.hostMemUsedBytes !== null),
        60_000,
      );
      assert.ok(hosted.hostCpuBusyPct! >= 0 && hosted.hostCpuBusyPct! <= 100, `CPU busy ${hosted.hostCpuBusyPct}%`);
      assert.ok(hosted.hostMemUsedBytes! > 0 && hosted.hostMemUsedBytes! < hosted.hostMemTotalBytes!);
      if (canScreenshot()) {
        const shot = await screenshot('e2e-ssh-dashboard', { waitForText: 'Host disk reads and writes per second', within: WEBVIEW }, 60_000);
        assert.ok(shot.found, shot.error ?? 'the host charts were not on screen');
      }
    } finally {
      panel.dispose();
    }
  });
});
