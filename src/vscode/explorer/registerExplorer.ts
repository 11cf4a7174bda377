// Wires the explorer: the tree view, its commands, the result documents and the status bar.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { ExplorerProvider } from './explorerProvider';
import type { ExplorerNode } from './node';
import { ResultDocuments, RESULT_SCHEME } from './resultDocument';
import { ConnectionStatus } from './statusBar';
import { addConnection, removeConnection, setPassword } from './connectionCommands';
import { settingCommands } from './serverCommands';
import { loadMoreTables, type LoadMoreData } from './databaseNodes';

export function registerExplorer(ctx: Ctx): ExplorerProvider {
  const tree = new ExplorerProvider(ctx);
  const view = vscode.window.createTreeView('pgdba.servers', { treeDataProvider: tree, showCollapseAll: true });
  tree.view = view;
  const results = new ResultDocuments();
  const active = ctx.activeServer;
  const status = new ConnectionStatus(active);
  ctx.push(tree, view, status, results, vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, results));
  // What the tree read of the active server goes to the active-server service: its state for the
  // status bar, its major and running values for the linter (read once per connection).
  const tellActive = (name: string | undefined) => {
    if (!name || name !== active.name) return;
    const error = tree.lastState(name)?.error;
    const session = tree.session(name);
    active.learn(name, { error, major: session?.knownVersion?.major });
    if (error || !session) return;
    session.runningValues().then(
      (runningValues) => active.learn(name, { runningValues }),
      (e: unknown) => ctx.log.warn(`${name}: running values not read for the linter: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  const choose = (name: string) => {
    active.select(name);
    tellActive(name);
  };
  ctx.push(
    view.onDidChangeSelection((e) => {
      const name = (e.selection[0] as { profileName?: string } | undefined)?.profileName;
      if (name) choose(name);
    }),
    tree.onDidReadServers((states) => {
      if (states.some((x) => x.session.profile.name === active.name)) tellActive(active.name);
    }),
  );

  ctx.registerCommand('refreshServers', () => () => {
    ctx.connections.reset();
    tree.refresh();
  });
  ctx.registerCommand('retryNode', () => () => {
    ctx.connections.reset();
    tree.refresh();
  });
  ctx.registerCommand('selectConnection', () => async (arg?: unknown) => {
    const all = ctx.connections.profiles();
    const picked = typeof arg === 'string' ? ctx.connections.find(arg) : all.length === 1 ? all[0] : undefined;
    const p = picked ?? (await vscode.window.showQuickPick(all.map((x) => ({ label: x.name, description: `${x.user}@${x.host}:${x.port}/${x.database}`, x })), { placeHolder: 'Active PostgreSQL connection' }))?.x;
    if (p) choose(p.name);
  });
  ctx.registerCommand('addConnection', addConnection);
  ctx.registerCommand('setPassword', setPassword);
  ctx.registerCommand('removeConnection', removeConnection);
  ctx.registerCommand('copySql', () => async (arg?: unknown) => {
    const node = arg as ExplorerNode | undefined;
    const sql = node?.sql?.();
    if (!sql) throw new Error('This item has no SQL to copy.');
    await vscode.env.clipboard.writeText(sql.endsWith(';') ? sql : `${sql};`);
    void vscode.window.setStatusBarMessage('PostgreSQL DBA: SQL copied', 3000);
    return sql;
  });
  ctx.registerCommand('openAsTable', () => async (arg?: unknown) => {
    const node = arg as ExplorerNode | undefined;
    const t = await node?.table?.();
    if (!t) throw new Error('This item cannot be opened as a table.');
    await results.open(t, node?.sql?.());
    return t.rows.length;
  });
  ctx.registerCommand('loadMore', () => async (arg?: unknown) => {
    const data = arg as LoadMoreData | undefined;
    if (!data) return;
    const s = tree.session(data.profileName);
    if (!s) return;
    await loadMoreTables(s, tree.pages, data.schemaNodeId, data.database, data.schema);
    tree.refresh(tree.nodeById(data.schemaNodeId));
  });
  const sc = settingCommands(ctx, tree);
  ctx.registerCommand('editSetting', sc.editSetting);
  ctx.registerCommand('resetSetting', sc.resetSetting);
  ctx.registerCommand('cancelBackend', sc.cancelBackend);
  ctx.registerCommand('terminateBackend', sc.terminateBackend);
  ctx.registerCommand('fixPgStatStatements', sc.fixPgStatStatements);
  return tree;
}
