// Wires the explorer: the tree view, its commands, the result documents and the status bar.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { ExplorerProvider } from './explorerProvider';
import type { ExplorerNode } from './node';
import { ResultDocuments, RESULT_SCHEME } from './resultDocument';
import { ConnectionStatus } from './statusBar';
import { addConnection, removeConnection, setPassword } from './connectionCommands';
import { settingCommands } from './serverCommands';
import { loadMoreTables } from './databaseNodes';
import { nodeData } from './nodeData';

export function registerExplorer(ctx: Ctx): ExplorerProvider {
  const tree = new ExplorerProvider(ctx);
  const view = vscode.window.createTreeView('pgdba.servers', { treeDataProvider: tree, showCollapseAll: true });
  tree.view = view;
  const results = new ResultDocuments();
  const status = new ConnectionStatus(ctx);
  ctx.push(tree, view, status, vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, results));
  ctx.push(
    view.onDidChangeSelection((e) => {
      const name = nodeData(e.selection[0])?.profileName;
      if (!name) return;
      const changed = name !== status.activeName;
      status.setActive(name, tree.lastState(name)?.error);
      if (changed) readActive(name, tree.lastState(name)?.error);
    }),
  );
  ctx.onConfigChange(() => status.render());
  ctx.activeServerMajor = () => {
    const name = status.activeName;
    return name ? tree.session(name)?.knownVersion?.major : undefined;
  };
  ctx.activeRunningValues = () => {
    const name = status.activeName;
    return name ? tree.session(name)?.knownRunningValues : undefined;
  };
  // After each read of the servers: the status bar tells the active one's state, and the linter
  // gets its major and running values (read once per connection; a refresh reads them again).
  let linted: unknown; // the running values the linter last heard of: relint only on news
  const readActive = (name: string | undefined, error: string | undefined) => {
    if (!name) return;
    status.render(error);
    if (error) return;
    tree
      .session(name)
      ?.runningValues()
      .then(
        (values) => {
          if (values === linted) return;
          linted = values;
          ctx.fireActiveServerChange();
        },
        (e: unknown) => ctx.log.warn(`${name}: running values not read for the linter: ${e instanceof Error ? e.message : String(e)}`),
      );
  };
  ctx.push(
    tree.onDidReadServers((states) => {
      const st = states.find((x) => x.session.profile.name === status.activeName);
      if (st) readActive(st.session.profile.name, st.error);
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
    if (p) {
      status.setActive(p.name, tree.lastState(p.name)?.error);
      readActive(p.name, tree.lastState(p.name)?.error);
    }
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
    const data = nodeData(arg, 'loadMore');
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
