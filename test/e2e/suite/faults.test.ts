// The Servers view when things go wrong, in a real VS Code: a wrong password, an unknown host, a
// port where no server listens and a role without superuser each get a message on their own node
// while the rest of the tree works; a server that stops turns into an error node with the reason
// and a retry, and comes back on its own (no click, no refresh) when it is started again; and the
// linter follows the active connection's major and running values. No unhandled rejection.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestChannel } from '../../../src/vscode/testChannel';
import type { ExplorerNode } from '../../../src/vscode/explorer/node';
import { RETRY_MS } from '../../../src/vscode/explorer/explorerProvider';
import { ENV, SIDEBAR, type FaultServer } from '../protocol';
import { client, testConn, type Conn } from './connection';
import { faultServer, startServer, stopServer } from './faultControl';
import { canScreenshot, screenshot, skipBecause } from './screenshot';
import { api, child, reveal, text } from './tree';
import { startStallProxy } from '../../support/stallProxy';
import type { HealthCheckResult } from '../../../src/vscode/health/runHealthCheck';

const WRONG_PW = 'e2e wrong password';
const UNKNOWN_HOST = 'e2e unknown host';
const DOWN = 'e2e server down';
const PLAIN = 'e2e not superuser';
const OUTAGE = 'e2e outage';
const STALLED = 'e2e stalled';

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const labelOf = (n: ExplorerNode) => text(n.item().label);

/** Earlier tests leave the tree expanded far below the fold: fold it, and open these nodes. */
async function showOnly(a: TestChannel, nodes: ExplorerNode[]): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('workbench.actions.treeView.pgdba.servers.collapseAll');
  for (const n of nodes) await reveal(a, n, { expand: true, select: false, focus: false });
}

/** A server node in error: its description, tooltip and its one child (the reason, with Retry). */
async function assertErrorNode(a: TestChannel, name: string, reason: RegExp): Promise<void> {
  const node = await child(a, undefined, new RegExp(`^${name}$`));
  const item = node.item();
  assert.equal(item.description, 'unreachable — retrying', `${name}: description`);
  assert.match(text(item.tooltip), reason, `${name}: tooltip`);
  assert.equal(item.contextValue, 'pgdba.server.error');
  assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded, `${name}: the reason shows without a click`);
  const kids = await a.explorer.getChildren(node);
  assert.equal(kids.length, 1, `${name}: one child, the reason`);
  const why = kids[0]!.item();
  assert.match(text(why.label), reason, `${name}: the reason on the node`);
  assert.equal(why.command?.command, 'pgdba.retryNode', `${name}: the reason offers a retry`);
}

suite('explorer faults', () => {
  const conn = testConn();
  let fault: FaultServer;
  const rejections: string[] = [];
  const onRejection = (reason: unknown) => {
    rejections.push(reason instanceof Error ? (reason.stack ?? reason.message) : String(reason));
  };
  let before: Conn[] = [];

  suiteSetup(async function () {
    this.timeout(60_000);
    if (!process.env[ENV.fault]) {
      return skipBecause(this, `explorer faults: skipped, ${ENV.fault} is not set (only test/e2e/runE2e.ts starts the second server)`);
    }
    fault = faultServer();
    process.on('unhandledRejection', onRejection);
    const admin = await client(conn);
    try {
      // PGPASSWORD (the host's) is postgres's password: e2e_wrongpw has another, e2e_plain has it.
      await admin.query('DROP ROLE IF EXISTS e2e_wrongpw');
      await admin.query("CREATE ROLE e2e_wrongpw LOGIN PASSWORD 'not the one in PGPASSWORD'");
      await admin.query('DROP ROLE IF EXISTS e2e_plain');
      await admin.query(`CREATE ROLE e2e_plain LOGIN PASSWORD '${(process.env.PGPASSWORD ?? '').replace(/'/g, "''")}'`);
    } finally {
      await admin.end();
    }
    const cfg = vscode.workspace.getConfiguration('pgdba');
    before = cfg.inspect<Conn[]>('connections')?.globalValue ?? [];
    const at = { host: conn.host, port: conn.port, database: conn.database };
    await cfg.update(
      'connections',
      [
        ...before,
        { name: WRONG_PW, ...at, user: 'e2e_wrongpw' },
        { name: UNKNOWN_HOST, host: 'nohost.invalid', port: 5432, database: 'postgres', user: 'postgres' },
        { name: DOWN, host: '127.0.0.1', port: fault.closedPort, database: 'postgres', user: 'postgres' },
        { name: PLAIN, ...at, user: 'e2e_plain' },
        { name: OUTAGE, host: fault.host, port: fault.port, database: 'postgres', user: 'postgres' },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await vscode.commands.executeCommand('workbench.view.extension.pgdba');
  });

  suiteTeardown(async () => {
    process.off('unhandledRejection', onRejection);
    if (!fault) return;
    await vscode.workspace.getConfiguration('pgdba').update('connections', before, vscode.ConfigurationTarget.Global);
  });

  test('wrong password, unknown host, no server at the port: a clear message on each node, with a retry; the rest of the tree works', async function () {
    this.timeout(90_000);
    const a = await api();
    await assertErrorNode(a, WRONG_PW, /Password authentication failed for user "e2e_wrongpw"/);
    await assertErrorNode(a, UNKNOWN_HOST, /Host "nohost\.invalid" is unknown: check the profile's host/);
    await assertErrorNode(a, DOWN, new RegExp(`No PostgreSQL server answers at 127\\.0\\.0\\.1:${fault.closedPort}: is it running`));
    // The good server beside them: its node and every branch read as usual.
    const good = await child(a, undefined, new RegExp(`^${conn.name}$`));
    assert.match(String(good.item().description), /^PostgreSQL \d+/);
    for (const b of await a.explorer.getChildren(good)) {
      const errors = (await a.explorer.getChildren(b)).filter((k) => k.id.endsWith('#error')).map((k) => text(k.item().tooltip));
      assert.deepEqual(errors, [], `${labelOf(b)} of the good server shows errors`);
    }
    if (canScreenshot()) {
      await showOnly(a, await Promise.all([WRONG_PW, UNKNOWN_HOST, DOWN].map((n) => child(a, undefined, new RegExp(`^${n}$`)))));
      const shot = await screenshot('e2e-explorer-faults', { waitForText: 'nohost.invalid', within: SIDEBAR });
      assert.ok(shot.found, shot.error);
    }
  });

  test('a role without superuser: pg_file_settings and pg_stat_statements say why on their node; the rest reads', async function () {
    this.timeout(90_000);
    const a = await api();
    const server = await child(a, undefined, new RegExp(`^${PLAIN}$`));
    assert.match(String(server.item().description), /^PostgreSQL \d+/, 'the non-superuser connects');
    const config = await child(a, server, /^Configuration$/);
    const fileErrors = await child(a, config, /^Configuration file errors/);
    assert.equal(labelOf(fileErrors), 'Configuration file errors: not readable');
    assert.equal(fileErrors.item().description, 'needs superuser');
    assert.match(text(fileErrors.item().tooltip), /permission denied.*pg_file_settings is readable by superusers only/s);
    const stats = await child(a, server, /^Statistics$/);
    const top = await child(a, stats, /^Top queries/);
    const [why] = await a.explorer.getChildren(top);
    assert.ok(why, 'Top queries has a child');
    assert.match(labelOf(why), /^pg_stat_statements is not (available|loaded)$/);
    assert.match(text(why.item().tooltip), /pg_stat_statements/);
    const info = await child(a, server, /^Server$/);
    const datadir = await child(a, info, /^Data directory$/);
    assert.equal(datadir.item().description, 'hidden (needs pg_read_all_settings)');
    for (const name of [/^Databases$/, /^Activity$/]) {
      const kids = await a.explorer.getChildren(await child(a, server, name));
      assert.ok(kids.length > 0 && !kids.some((k) => k.id.endsWith('#error')), `${name} reads for e2e_plain: ${kids.map(labelOf).join(', ')}`);
    }
    if (canScreenshot()) {
      await showOnly(a, [server]);
      await reveal(a, fileErrors, { select: false, focus: false });
      let shot = await screenshot('e2e-explorer-not-superuser-config', { waitForText: 'Configuration file errors: not readable', within: SIDEBAR });
      assert.ok(shot.found, shot.error);
      await showOnly(a, [server, stats, top]);
      shot = await screenshot('e2e-explorer-not-superuser-stats', { waitForText: labelOf(why), within: SIDEBAR });
      assert.ok(shot.found, shot.error);
    }
  });

  test('a server that stops becomes an error node with the reason and a retry, and recovers on its own when it is back', async function () {
    this.timeout(240_000);
    const a = await api();
    const major = String(fault.major);
    const up = await child(a, undefined, new RegExp(`^${OUTAGE}$`));
    assert.match(String(up.item().description), new RegExp(`^PostgreSQL ${major}\\.`));
    await child(a, up, /^Server$/).then((n) => a.explorer.getChildren(n)); // a pooled connection to lose
    await stopServer(fault);
    let restarted = false;
    try {
      await outage(a, () => startServer(fault).then(() => (restarted = true)));
    } finally {
      if (!restarted) await startServer(fault); // the tests after this one need it
    }
  });

  /** From a stopped server to its recovery: what the tree shows, without a click or a refresh. */
  async function outage(a: TestChannel, start: () => Promise<unknown>): Promise<void> {
    const major = String(fault.major);
    // No refresh, no click: the lost connection makes VS Code read the tree again.
    const error = await waitFor('the outage server to show as an error', () => a.explorer.lastState(OUTAGE)?.error);
    assert.match(error, new RegExp(`No PostgreSQL server answers at 127\\.0\\.0\\.1:${fault.port}|connection to the server was lost`));
    await assertErrorNode(a, OUTAGE, /No PostgreSQL server answers|lost/);
    if (canScreenshot()) {
      await showOnly(a, [await child(a, undefined, new RegExp(`^${OUTAGE}$`))]);
      const shot = await screenshot('e2e-explorer-outage', { waitForText: `No PostgreSQL server answers at 127.0.0.1:${fault.port}`, within: SIDEBAR });
      assert.ok(shot.found, shot.error);
    }
    await start();
    // Again nothing but the provider's own retry (every RETRY_MS) brings it back.
    await waitFor(`the outage server to recover (retry every ${RETRY_MS / 1000} s)`, () => {
      const st = a.explorer.lastState(OUTAGE);
      return st && !st.error && st.versionText?.startsWith(`${major}.`) ? st : undefined;
    });
    const back = await child(a, undefined, new RegExp(`^${OUTAGE}$`));
    assert.match(String(back.item().description), new RegExp(`^PostgreSQL ${major}\\.`));
    assert.equal(back.item().contextValue, 'pgdba.server');
    const branches = (await a.explorer.getChildren(back)).map(labelOf);
    assert.ok(branches.includes('Configuration') && branches.includes('Statistics'), branches.join(', '));
    if (canScreenshot()) {
      const shot = await screenshot('e2e-explorer-recovered', { waitForText: `PostgreSQL ${major}.`, within: SIDEBAR });
      assert.ok(shot.found, shot.error);
    }
  }

  test('a server that stalls after login: an error node with words (not a spinner), and Run Health Check reports the healthy server beside its row', async function () {
    this.timeout(120_000);
    const a = await api();
    const proxy = await startStallProxy({ host: conn.host, port: conn.port });
    const cfg = vscode.workspace.getConfiguration('pgdba');
    const G = vscode.ConfigurationTarget.Global;
    const connections = cfg.inspect<Conn[]>('connections')?.globalValue ?? [];
    const timeout = cfg.inspect<number>('queryTimeoutMs')?.globalValue;
    try {
      // A query deadline longer than the root waits: the view shows the others, and this one as connecting.
      await cfg.update('queryTimeoutMs', 6000, G);
      await cfg.update('connections', [...connections, { name: STALLED, host: '127.0.0.1', port: proxy.port, database: conn.database, user: conn.user }], G);
      const roots = await a.explorer.getChildren(undefined);
      const connecting = roots.find((n) => labelOf(n) === STALLED)?.item();
      assert.equal(connecting?.contextValue, 'pgdba.server.connecting', `the stalled server's node: ${connecting?.description}`);
      assert.equal(connecting.description, 'connecting…');
      assert.ok(
        roots.some((n) => labelOf(n) === conn.name),
        'the other servers are in the view meanwhile',
      );
      assert.match(String((await child(a, undefined, new RegExp(`^${conn.name}$`))).item().description), /^PostgreSQL \d+/);
      if (canScreenshot()) {
        const shot = await screenshot('e2e-explorer-connecting', { waitForText: 'connecting…', within: SIDEBAR });
        assert.ok(shot.found, shot.error);
      }
      await cfg.update('queryTimeoutMs', 1500, G);
      const reason = /did not answer a query before the deadline: it may be stalled/;
      await waitFor('the stalled server as an error node', async () => {
        const node = await child(a, undefined, new RegExp(`^${STALLED}$`));
        return node.item().contextValue === 'pgdba.server.error' ? node : undefined;
      });
      await assertErrorNode(a, STALLED, reason);
      const result = await vscode.commands.executeCommand<HealthCheckResult | undefined>('pgdba.runHealthCheck', [STALLED, conn.name]);
      assert.ok(result, 'a report');
      const [stalled, healthy] = result.report.servers;
      assert.ok(stalled && !stalled.ok, 'the stalled server is a row');
      assert.equal(stalled.server.name, STALLED);
      assert.match(stalled.error, reason);
      assert.ok(healthy?.ok, 'the healthy server has its report');
      assert.match(result.document.getText(), new RegExp(`\\| ${STALLED} \\| UNREACHABLE \\|`));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await cfg.update('connections', connections, G);
      await cfg.update('queryTimeoutMs', timeout, G);
      await proxy.close();
    }
  });

  test("with pgdba.pgVersion unset, the linter follows the active connection's major and running values", async function () {
    this.timeout(120_000);
    const a = await api();
    assert.equal(vscode.workspace.getConfiguration('pgdba').inspect('pgVersion')?.globalValue, undefined, 'pgdba.pgVersion must be unset here');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const uri = vscode.Uri.joinPath(folder.uri, 'postgresql.active.conf');
    // reserved_connections is new in 16, vacuum_defer_cleanup_age gone in 16; the outage server
    // runs with work_mem 8MB, the main one with the default 4MB.
    const lines = ['reserved_connections = 3', 'vacuum_defer_cleanup_age = 0', 'work_mem = 8MB', ''];
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(lines.join('\n')));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const show = () =>
      vscode.languages
        .getDiagnostics(uri)
        .filter((d) => d.source === 'pgdba')
        .map((d) => `${d.range.start.line}:${typeof d.code === 'object' ? String(d.code.value) : String(d.code)} ${d.message}`);
    const expectFor = async (profile: string, major: number, workMem: RegExp | undefined) => {
      await vscode.commands.executeCommand('pgdba.selectConnection', profile);
      const unknownLine = major >= 16 ? 1 : 0;
      return waitFor(
        `diagnostics for ${profile} (PostgreSQL ${major})`,
        () => {
          const d = show();
          const unknown = d.find((x) => x.startsWith(`${unknownLine}:PGC011 `) && x.includes(`PostgreSQL ${major} `));
          const wm = d.find((x) => x.startsWith('2:PGC304'));
          const wmOk = workMem ? wm !== undefined && workMem.test(wm) : wm === undefined;
          return unknown && wmOk && !d.some((x) => x.startsWith(`${1 - unknownLine}:PGC011`)) ? d : undefined;
        },
        30_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; diagnostics: ${show().join(' | ')}`);
      });
    };
    const mainMajor = Number(process.env[ENV.major] ?? 16);
    await expectFor(OUTAGE, fault.major, undefined); // 8MB is what that server runs: nothing to apply
    await expectFor(conn.name, mainMajor, /work_mem = 8MB differs from the running value 4MB/);
    assert.ok(a.explorer.lastState(conn.name)?.versionText?.startsWith(`${mainMajor}.`));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(uri);
  });

  test('no unhandled promise rejection on the way', () => {
    const ours = rejections.filter((r) =>
      /dist\/extension\.js|pgdba|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|password authentication|terminating connection|Connection terminated|permission denied/i.test(
        r,
      ),
    );
    assert.deepEqual(ours, [], 'unhandled rejections');
  });
});
