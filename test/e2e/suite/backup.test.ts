// Backups in a real VS Code, against a real PostgreSQL 15 (the installed pg_dump is 15 and
// refuses a 16 server; the runner starts the 15): back up a database from its tree node with the
// progress notification on screen, see the new node under Backups, verify it (✓ on the node),
// restore it to a new database and count its rows there; a restore over an existing database
// without its name typed is refused, and Cancel kills pg_dump and leaves no file.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import pg from 'pg';
import type { TestChannel } from '../../../src/vscode/testChannel';
import { api, reveal } from './tree';
import type { ExplorerNode } from '../../../src/vscode/explorer/node';
import type { BackupCommandResult } from '../../../src/vscode/backup/backupCommands';
import type { Verification } from '../../../src/core/backup/manifest';
import type { RestoreResult } from '../../../src/core/backup/restore';
import { ENV, SIDEBAR } from '../protocol';
import { startQueryCounter } from '../../support/queryCounter';
import { canScreenshot, screenshot, skipBecause } from './screenshot';
import { ui } from './ui';

const PROFILE = 'e2e-pg15';
const DB = 'shop';
const ROWS = 5000;

function text(v: string | vscode.TreeItemLabel | vscode.MarkdownString | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return 'label' in v ? v.label : v.value;
}

/** Walks the tree by labels from the root, as a person expanding it would. */
async function walk(a: TestChannel, ...labels: RegExp[]): Promise<ExplorerNode> {
  let node: ExplorerNode | undefined;
  for (const label of labels) {
    const kids = await a.explorer.getChildren(node);
    const found = kids.find((k) => label.test(text(k.item().label)));
    assert.ok(found, `no child ${label} under ${node?.id ?? 'the root'}: ${kids.map((k) => text(k.item().label)).join(', ')}`);
    node = found;
  }
  return node!;
}

/** Collapses the tree, then reveals node: the screenshot shows its path, not the whole tree. */
async function showOnly(a: TestChannel, node: ExplorerNode): Promise<void> {
  await vscode.commands.executeCommand('workbench.actions.treeView.pgdba.servers.collapseAll');
  await reveal(a, node, { select: true, focus: false, expand: true });
}

/** The backup directory's entries: backups, manifests, and any temp file a job left. */
function files(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** pg_dump / pg_restore processes this extension host started and that are still alive. */
function childTools(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = /\(([^)]*)\)/.exec(stat)?.[1] ?? '';
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && /^(pg_dump|pg_restore|zstd)$/.test(comm)) out.push(`${comm} ${pid}`);
    } catch {
      /* exited while we looked */
    }
  }
  return out;
}

suite('backups', () => {
  const addr = process.env[ENV.pg15];
  let dir = '';
  let conf: pg.ClientConfig = {};
  const db = async (database: string) => {
    const c = new pg.Client({ ...conf, database });
    await c.connect();
    return c;
  };
  /** Holds an ACCESS EXCLUSIVE lock on orders: pg_dump waits on it, so its progress stays on screen. */
  const lockOrders = async () => {
    const c = await db(DB);
    await c.query('BEGIN');
    await c.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    return { release: async () => (await c.query('COMMIT'), await c.end()) };
  };
  let backup: BackupCommandResult | undefined;
  /** The runner's own values of the settings this suite changes, put back afterwards. */
  let saved: { directory?: string; verify?: string } = {};

  suiteSetup(async function () {
    this.timeout(120_000);
    if (!addr) {
      return skipBecause(this, `backups: skipped: the runner started no PostgreSQL 15 (${ENV.pg15} unset), and pg_dump 15 cannot dump the 16 test server`);
    }
    const [host, port] = addr.split(':');
    conf = { host, port: Number(port), user: 'postgres', password: process.env.PGPASSWORD };
    const admin = await db('postgres');
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${DB}`);
    } finally {
      await admin.end();
    }
    const c = await db(DB);
    try {
      await c.query(`CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
        INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 300) g;
        CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers, total numeric(10,2), items jsonb);
        INSERT INTO orders SELECT g, 1 + g % 300, g * 1.5, jsonb_build_object('n', g % 7) FROM generate_series(1, ${ROWS}) g;
        CREATE INDEX orders_customer ON orders (customer);
        ANALYZE;`);
    } finally {
      await c.end();
    }
    dir = mkdtempSync(join(tmpdir(), 'pgdba-e2e-backups-'));
    const cfg = vscode.workspace.getConfiguration('pgdba');
    const G = vscode.ConfigurationTarget.Global;
    saved = { directory: cfg.inspect<string>('backup.directory')?.globalValue, verify: cfg.inspect<string>('backup.verifyAfterBackup')?.globalValue };
    await cfg.update('backup.directory', dir, G);
    await cfg.update('backup.verifyAfterBackup', 'none', G); // verified below, from the node
    const connections = cfg.inspect<unknown[]>('connections')?.globalValue ?? [];
    await cfg.update('connections', [...connections, { name: PROFILE, host, port: Number(port), database: 'postgres', user: 'postgres' }], G);
    await vscode.commands.executeCommand('workbench.view.extension.pgdba');
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    if (!addr) return;
    const cfg = vscode.workspace.getConfiguration('pgdba');
    const G = vscode.ConfigurationTarget.Global;
    const connections = (cfg.inspect<{ name: string }[]>('connections')?.globalValue ?? []).filter((c) => c.name !== PROFILE);
    await cfg.update('connections', connections, G);
    await cfg.update('backup.directory', saved.directory, G);
    await cfg.update('backup.verifyAfterBackup', saved.verify, G);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('Back Up Database on a database node: progress with objects and bytes, then the new node under Backups', async function () {
    this.timeout(180_000);
    const a = await api();
    const shop = await walk(a, new RegExp(`^${PROFILE}$`), /^Databases$/, new RegExp(`^${DB}$`));
    await reveal(a, shop, { select: true, focus: false, expand: false });
    const lock = await lockOrders();
    let run: Thenable<BackupCommandResult | undefined>;
    try {
      run = vscode.commands.executeCommand<BackupCommandResult | undefined>('pgdba.backupDatabase', shop);
      if (canScreenshot()) {
        const shot = await screenshot('e2e-backup-progress', { waitForText: 'tables · ' });
        assert.ok(shot.found, `the progress notification shows objects dumped: ${shot.error ?? ''}`);
      }
      assert.ok(
        files(dir).some((f) => f.endsWith('.tmp')),
        `pg_dump writes to a hidden temp file while it runs: ${files(dir).join(', ')}`,
      );
    } finally {
      await lock.release();
    }
    backup = await run;
    assert.ok(backup, 'the backup finished');
    assert.match(backup.path, new RegExp(`/${DB}-\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d\\.dump(\\.zst)?$`));
    assert.ok(existsSync(backup.path) && existsSync(`${backup.path}.manifest.json`));
    assert.ok(!files(dir).some((f) => f.endsWith('.tmp')), `no temp file left: ${files(dir).join(', ')}`);
    const backups = await walk(a, new RegExp(`^${PROFILE}$`), /^Backups$/);
    assert.match(text(backups.item().description as string), /^1 · newest/);
    const node = await walk(a, new RegExp(`^${PROFILE}$`), /^Backups$/, new RegExp(`^${DB} · `));
    assert.match(String(node.item().description), /not verified$/);
    assert.equal(node.item().contextValue, 'pgdba.backup.local');
    await showOnly(a, node);
    if (canScreenshot()) {
      const shot = await screenshot('e2e-backup-node', { waitForText: 'not verified', within: SIDEBAR });
      assert.ok(shot.found, shot.error);
    }
  });

  test('Verify Backup from its node: quick, then full (a scratch restore); ✓ on the node', async function () {
    this.timeout(180_000);
    assert.ok(backup, 'the backup of the first test');
    const a = await api();
    const path = [new RegExp(`^${PROFILE}$`), /^Backups$/, new RegExp(`^${DB} · `)];
    const quick = await vscode.commands.executeCommand<Verification | undefined>('pgdba.verifyBackup', await walk(a, ...path), 'quick');
    assert.ok(quick?.ok, `quick verification: ${quick?.reason ?? 'no result'}`);
    assert.match(String((await walk(a, ...path)).item().description), /^✓ quick · /);
    const full = await vscode.commands.executeCommand<Verification | undefined>('pgdba.verifyBackup', await walk(a, ...path), 'full');
    assert.ok(full?.ok, `full verification: ${full?.reason ?? 'no result'}`);
    assert.equal(full.reference, 'live');
    assert.equal(full.tables?.find((t) => t.name === 'orders')?.rows, ROWS);
    const node = await walk(a, ...path);
    assert.match(String(node.item().description), /^✓ full · /);
    const scratch = await db('postgres');
    try {
      const left = await scratch.query("SELECT datname FROM pg_database WHERE datname LIKE 'shop\\_verify\\_%'");
      assert.deepEqual(left.rows, [], 'the scratch database was dropped');
    } finally {
      await scratch.end();
    }
    await showOnly(a, node);
    if (canScreenshot()) {
      const shot = await screenshot('e2e-backup-verified', { waitForText: '✓ full', within: SIDEBAR });
      assert.ok(shot.found, shot.error);
    }
  });

  test('Restore Backup to a new database: the rows are there', async function () {
    this.timeout(180_000);
    const a = await api();
    const node = await walk(a, new RegExp(`^${PROFILE}$`), /^Backups$/, new RegExp(`^${DB} · `));
    const databases = await walk(a, new RegExp(`^${PROFILE}$`), /^Databases$/);
    const refreshed: string[] = [];
    const listener = a.explorer.onDidChangeTreeData((n) => refreshed.push(n?.id ?? '(root)'));
    let r: RestoreResult | undefined;
    try {
      r = await vscode.commands.executeCommand<RestoreResult | undefined>('pgdba.restoreBackup', node, { profileName: PROFILE, database: 'shop_restored' });
    } finally {
      listener.dispose();
    }
    assert.ok(r, 'the restore finished');
    assert.equal(r.database, 'shop_restored');
    assert.equal(r.sampleCounts.find((t) => t.name === 'orders')?.rows, ROWS);
    // Only this server's Databases branch is re-read (and the Backups nodes), never the whole tree.
    assert.ok(refreshed.includes(databases.id), `the Databases branch was refreshed (${refreshed.join(', ')})`);
    assert.ok(!refreshed.includes('(root)'), `the whole tree was refreshed (${refreshed.join(', ')})`);
    const listed = (await a.explorer.getChildren(databases)).map((k) => text(k.item().label));
    assert.ok(listed.includes('shop_restored'), `shop_restored under Databases (${listed.join(', ')})`);
    const c = await db('shop_restored');
    try {
      const orders = await c.query<{ n: string; s: string }>('SELECT count(*) AS n, sum(total)::text AS s FROM orders');
      assert.equal(Number(orders.rows[0]?.n), ROWS);
      assert.equal(orders.rows[0]?.s, ((1.5 * ROWS * (ROWS + 1)) / 2).toFixed(2), 'sum(total) as in shop');
      const customers = await c.query<{ n: string }>('SELECT count(*) AS n FROM customers');
      assert.equal(Number(customers.rows[0]?.n), 300);
    } finally {
      await c.end();
    }
  });

  test('Restore over an existing database is refused without its name typed: nothing replaced, no safety backup taken', async function () {
    this.timeout(180_000);
    const a = await api();
    const node = await walk(a, new RegExp(`^${PROFILE}$`), /^Backups$/, new RegExp(`^${DB} · `));
    const before = files(dir);
    // As a new database under an existing name: refused by name.
    const asNew = await vscode.commands.executeCommand<RestoreResult | undefined>('pgdba.restoreBackup', node, { profileName: PROFILE, database: DB });
    assert.equal(asNew, undefined, 'refused');
    // Replace, but the person types another name in the confirmation box.
    const replacing = vscode.commands.executeCommand<RestoreResult | undefined>('pgdba.restoreBackup', node, {
      profileName: PROFILE,
      database: DB,
      mode: 'replace',
    });
    await ui('backup-replace-confirm', [{ waitFor: `Type ${DB} to replace it` }, { type: `${DB}_typo` }, { press: 'Enter' }]);
    assert.equal(await replacing, undefined, 'refused');
    if (canScreenshot()) {
      const shot = await screenshot('e2e-backup-refused', { waitForText: 'needs its name typed to confirm' });
      assert.ok(shot.found, shot.error);
    }
    assert.deepEqual(files(dir), before, 'no safety backup was taken, no file left');
    const c = await db('postgres');
    try {
      const dbs = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'shop%' ORDER BY 1");
      assert.deepEqual(
        dbs.rows.map((r) => r.datname),
        ['shop', 'shop_restored'],
        'no database made or dropped',
      );
    } finally {
      await c.end();
    }
    const shop = await db(DB);
    try {
      assert.equal(Number((await shop.query<{ n: string }>('SELECT count(*) AS n FROM orders')).rows[0]?.n), ROWS, 'shop untouched');
    } finally {
      await shop.end();
    }
  });

  test('Cancel on the progress notification kills pg_dump and leaves no file', async function () {
    this.timeout(180_000);
    const a = await api();
    const shop = await walk(a, new RegExp(`^${PROFILE}$`), /^Databases$/, new RegExp(`^${DB}$`));
    const before = files(dir);
    // VS Code shows at most three toasts: after the earlier suites' notifications (a refused restore
    // just before this) the progress would open only in the status bar, with no Cancel to click.
    await vscode.commands.executeCommand('notifications.clearAll');
    const lock = await lockOrders();
    try {
      const run = vscode.commands.executeCommand<BackupCommandResult | undefined>('pgdba.backupDatabase', shop);
      // The Cancel of this backup's toast: an earlier test's progress toast (a refused restore's) may
      // still be closing, with a Cancel of its own (a full fresh-clone run clicked that one).
      await ui('backup-cancel', [{ waitFor: `Backing up ${DB}` }, { waitFor: 'tables · ' }, { clickInToast: `Backing up ${DB}|Cancel` }]);
      assert.equal(await run, undefined, 'cancelled');
      if (canScreenshot()) {
        const shot = await screenshot('e2e-backup-cancelled', { waitForText: 'Nothing was left behind' });
        assert.ok(shot.found, shot.error);
      }
      assert.deepEqual(childTools(), [], 'no pg_dump left running');
      assert.deepEqual(files(dir), before, 'no backup, manifest or temp file left');
    } finally {
      await lock.release();
    }
  });

  test("the seed's .dump.gz, 27 h old: listed, the Backups node warns of a missed nightly run, and it verifies ✓", async function () {
    this.timeout(180_000);
    const a = await api();
    const seedDir = mkdtempSync(join(tmpdir(), 'pgdba-e2e-seed-'));
    try {
      // The seed's exact pipeline, `pg_dump -Fc db | gzip > db-<date>.dump.gz`, named 27 h ago.
      const at = new Date(Date.now() - 27 * 3_600_000);
      const p2 = (n: number) => String(n).padStart(2, '0');
      const name = `${DB}-${at.getFullYear()}-${p2(at.getMonth() + 1)}-${p2(at.getDate())}_${p2(at.getHours())}-${p2(at.getMinutes())}-${p2(at.getSeconds())}.dump.gz`;
      const r = spawnSync('bash', ['-o', 'pipefail', '-c', `pg_dump -Fc ${DB} | gzip > ${join(seedDir, name)}`], {
        env: { ...process.env, PGHOST: String(conf.host), PGPORT: String(conf.port), PGUSER: 'postgres' },
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      await vscode.workspace.getConfiguration('pgdba').update('backup.directory', seedDir, vscode.ConfigurationTarget.Global);
      // The setting reaches the extension through onDidChangeConfiguration: look until it has.
      let backups = await walk(a, new RegExp(`^${PROFILE}$`), /^Backups$/);
      for (let i = 0; i < 50 && !text(backups.item().tooltip).startsWith(seedDir); i++) {
        await new Promise((res) => setTimeout(res, 200));
        backups = await walk(a, new RegExp(`^${PROFILE}$`), /^Backups$/);
      }
      assert.match(String(backups.item().description), /^⚠ 1 · newest 27 h \d+ min ago$/);
      const kids = await a.explorer.getChildren(backups);
      assert.match(text(kids[0]?.item().label), /older than 26 h, a nightly run was missed/);
      const seed = kids.find((k) => /^shop · /.test(text(k.item().label)));
      assert.ok(seed, 'the seed file is listed');
      assert.match(text(seed.item().tooltip), /made outside pgdba/);
      const v = await vscode.commands.executeCommand<Verification | undefined>('pgdba.verifyBackup', seed, 'quick');
      assert.ok(v?.ok, `the seed's file verifies: ${v?.reason ?? 'no result'}`);
      const after = await walk(a, new RegExp(`^${PROFILE}$`), /^Backups$/, /^shop · /);
      assert.match(String(after.item().description), /^✓ quick · 27 h \d+ min ago/);
      await showOnly(a, after);
      if (canScreenshot()) {
        const shot = await screenshot('e2e-backup-stale-seed', { waitForText: 'a nightly run was missed', within: SIDEBAR });
        assert.ok(shot.found, shot.error);
      }
    } finally {
      await vscode.workspace.getConfiguration('pgdba').update('backup.directory', dir, vscode.ConfigurationTarget.Global);
      rmSync(seedDir, { recursive: true, force: true });
    }
  });

  test('Copy Backup Path and Generate Backup Schedule: the path on the clipboard; the systemd units and script in the chosen folder', async function () {
    this.timeout(60_000);
    const a = await api();
    const node = await walk(a, new RegExp(`^${PROFILE}$`), /^Backups$/, new RegExp(`^${DB} · `));
    const copied = await vscode.commands.executeCommand<string | undefined>('pgdba.copyBackupPath', node);
    assert.equal(copied, backup?.path);
    assert.equal(await vscode.env.clipboard.readText(), backup?.path);
    const out = mkdtempSync(join(tmpdir(), 'pgdba-e2e-schedule-'));
    try {
      const written = await vscode.commands.executeCommand<string[] | undefined>('pgdba.writeBackupSchedule', PROFILE, { folder: out, database: DB });
      assert.deepEqual(written?.map((f) => f.split('/').pop()).sort(), [
        'README.md',
        'backup_postgresql.sh',
        'postgresql-backup.service',
        'postgresql-backup.timer',
      ]);
      const timer = readFileSync(join(out, 'postgresql-backup.timer'), 'utf8');
      assert.match(timer, /OnCalendar=\*-\*-\* 02:00:00/);
      assert.match(timer, /Persistent=true/);
      assert.match(readFileSync(join(out, 'backup_postgresql.sh'), 'utf8'), /DB_NAME='shop'/);
      // pgdba.backup.directory reaches the unit and the script (it used to be ignored: /var/backups/postgresql).
      const service = readFileSync(join(out, 'postgresql-backup.service'), 'utf8');
      assert.ok(service.split('\n').includes(`ExecStart=/usr/local/bin/pgdba backup --db shop --dir ${dir} --keep 7 --verify quick`), service);
      assert.match(readFileSync(join(out, 'backup_postgresql.sh'), 'utf8'), new RegExp(`^BACKUP_DIR='${dir}'$`, 'm'));
      // The size came from the server: a small database gets the 30-minute floor, not the unknown-size 6 hours.
      assert.match(service, /^TimeoutStartSec=30min$/m);
      // A dedicated user in systemd's sandbox, writing only the backup directory; the profile's server, no password.
      for (const line of ['User=pgdba-backup', 'Group=pgdba-backup', 'ProtectSystem=strict', `ReadWritePaths=${dir}`, 'ProtectHome=yes', 'NoNewPrivileges=yes'])
        assert.ok(service.split('\n').includes(line), `${line} in\n${service}`);
      assert.match(service, /^Environment=PGDBA_URL=postgres:\/\/[^:@]+@[^/]+:\d+\/shop$/m);
      const readme = readFileSync(join(out, 'README.md'), 'utf8');
      for (const step of [
        'sudo npm install -g --prefix /usr/local ./pgdba-cli-',
        'sudo useradd --system',
        '.pgpass',
        'pgdba doctor',
        'systemctl enable --now postgresql-backup.timer',
      ])
        assert.ok(readme.includes(step), `README.md tells: ${step}`);
      assert.ok(vscode.window.activeTextEditor?.document.fileName.endsWith('README.md'), 'the install instructions are open');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('a Drive folder configured without credentials: a Google Drive branch that says which setting is missing', async function () {
    this.timeout(60_000);
    const a = await api();
    const cfg = vscode.workspace.getConfiguration('pgdba');
    const G = vscode.ConfigurationTarget.Global;
    await cfg.update('backup.driveFolderId', 'e2e-folder', G);
    try {
      let kids: ExplorerNode[] = [];
      for (let i = 0; i < 50 && !kids.some((k) => text(k.item().label) === 'Google Drive'); i++) {
        if (i) await new Promise((res) => setTimeout(res, 200));
        kids = await a.explorer.getChildren(await walk(a, new RegExp(`^${PROFILE}$`), /^Backups$/));
      }
      const drive = kids.find((k) => text(k.item().label) === 'Google Drive');
      assert.ok(drive, `a Google Drive branch: ${kids.map((k) => text(k.item().label)).join(', ')}`);
      const inside = await a.explorer.getChildren(drive);
      assert.equal(inside.length, 1);
      assert.match(text(inside[0]?.item().label), /Google Drive: No Google credentials: set pgdba\.backup\.driveCredentialsFile/);
      const node = kids.find((k) => new RegExp(`^${DB} · `).test(text(k.item().label)));
      assert.equal(await vscode.commands.executeCommand('pgdba.uploadBackup', node), undefined, 'no upload without credentials');
    } finally {
      await cfg.update('backup.driveFolderId', undefined, G);
    }
  });

  test('a finished backup re-reads only the Backups nodes: the other servers in the tree get 0 queries', async function () {
    this.timeout(240_000);
    const a = await api();
    const cfg = vscode.workspace.getConfiguration('pgdba');
    const G = vscode.ConfigurationTarget.Global;
    // Two more servers in the tree, each behind a relay that counts the round trips it is sent
    // (they lead to this suite's server, but the tree knows them by their own host:port).
    const counters = [
      await startQueryCounter({ host: String(conf.host), port: Number(conf.port) }),
      await startQueryCounter({ host: String(conf.host), port: Number(conf.port) }),
    ];
    const others = counters.map((c, i) => ({ name: `e2e-other-${i + 1}`, counter: c }));
    const savedRefresh = cfg.inspect<number>('explorer.refreshSeconds')?.globalValue;
    const connections = cfg.inspect<unknown[]>('connections')?.globalValue ?? [];
    /** Waits until no relay has seen a query for 2 s: the view has read what it wanted. */
    const quiet = async () => {
      let last = -1;
      for (let still = 0, i = 0; still < 8 && i < 240; i++) {
        const now = counters.reduce((n, c) => n + c.queries, 0);
        still = now === last ? still + 1 : 0;
        last = now;
        await new Promise((res) => setTimeout(res, 250));
      }
    };
    try {
      await cfg.update('explorer.refreshSeconds', 0, G); // no interval refresh inside the window
      await cfg.update(
        'connections',
        [...connections, ...others.map((o) => ({ name: o.name, host: o.counter.host, port: o.counter.port, database: 'postgres', user: 'postgres' }))],
        G,
      );
      // As a person's tree: every server open with its Databases, the backed-up server's Backups open.
      for (let i = 0; i < 50 && !(await a.explorer.getChildren()).some((k) => text(k.item().label) === others[1]!.name); i++)
        await new Promise((res) => setTimeout(res, 200));
      for (const o of others) await reveal(a, await walk(a, new RegExp(`^${o.name}$`), /^Databases$/), { select: false, focus: false, expand: true });
      await reveal(a, await walk(a, new RegExp(`^${PROFILE}$`), /^Backups$/), { select: false, focus: false, expand: true });
      const shop = await walk(a, new RegExp(`^${PROFILE}$`), /^Databases$/, new RegExp(`^${DB}$`));
      const backupsId = `server:${PROFILE}/backups`;
      const countBefore = (await a.explorer.getChildren(a.explorer.nodeById(backupsId))).filter((k) =>
        new RegExp(`^${DB} · `).test(text(k.item().label)),
      ).length;
      await quiet();

      const atBackup = counters.map((c) => c.queries);
      const done = await vscode.commands.executeCommand<BackupCommandResult | undefined>('pgdba.backupDatabase', shop);
      assert.ok(done, 'the backup finished');
      if (canScreenshot()) {
        const shot = await screenshot('e2e-backup-refresh-only-backups', { waitForText: 'not verified', within: SIDEBAR });
        assert.ok(shot.found, `the new backup shows under Backups without a tree refresh: ${shot.error ?? ''}`);
      }
      await quiet();
      const afterBackup = counters.map((c, i) => c.queries - atBackup[i]!);
      const backups = a.explorer.nodeById(backupsId);
      assert.ok(backups, 'the Backups node is known');
      const listed = (await a.explorer.getChildren(backups)).filter((k) => new RegExp(`^${DB} · `).test(text(k.item().label))).length;
      assert.equal(listed, countBefore + 1, 'the Backups node lists the new backup');

      // For the figure: what one refresh of the tree asks each of those servers today.
      const atRefresh = counters.map((c) => c.queries);
      await vscode.commands.executeCommand('pgdba.refreshServers');
      await quiet();
      const perRefresh = counters.map((c, i) => c.queries - atRefresh[i]!);
      const figures = { queriesToOtherServersAfterBackup: afterBackup, roundTripsOfOneTreeRefreshPerServer: perRefresh };
      console.log(`backup refresh figures: ${JSON.stringify(figures)}`);
      const results = process.env[ENV.screenshots];
      if (results) writeFileSync(join(results, 'backup-refresh.json'), JSON.stringify(figures, null, 2) + '\n');
      assert.deepEqual(afterBackup, [0, 0], 'no query to any other server when a backup finishes');
      assert.ok(
        perRefresh.every((n) => n > 0),
        'the relays do count: a refresh of the tree asks each server',
      );
    } finally {
      await cfg.update('connections', connections, G);
      await cfg.update('explorer.refreshSeconds', savedRefresh, G);
      for (const c of counters) await c.close();
    }
  });
});
