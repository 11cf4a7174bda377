// The explorer's own commands: refresh, choose the active connection, Copy SQL, Open as Table,
// load the next page of tables.
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import { explorerNode } from './node';
import { loadMoreTables } from './databaseNodes';
import { nodeData } from './nodeData';

export const refreshServers: CommandFactory = (ctx) => () => {
  ctx.connections.reset();
  ctx.explorer.refresh();
};

export const selectConnection: CommandFactory = (ctx) => async (arg?: unknown) => {
  const all = ctx.connections.profiles();
  const picked = typeof arg === 'string' ? ctx.connections.find(arg) : all.length === 1 ? all[0] : undefined;
  const p =
    picked ??
    (
      await vscode.window.showQuickPick(
        all.map((x) => ({ label: x.name, description: `${x.user}@${x.host}:${x.port}/${x.database}`, x })),
        { placeHolder: 'Active PostgreSQL connection' },
      )
    )?.x;
  if (p) ctx.explorer.choose(p.name);
};

export const copySql: CommandFactory = () => async (arg?: unknown) => {
  const node = explorerNode(arg);
  const sql = node?.sql?.();
  if (!sql) throw new Error('This item has no SQL to copy.');
  await vscode.env.clipboard.writeText(sql.endsWith(';') ? sql : `${sql};`);
  void vscode.window.setStatusBarMessage('PostgreSQL DBA: SQL copied', 3000);
  return sql;
};

export const openAsTable: CommandFactory = (ctx) => async (arg?: unknown) => {
  const node = explorerNode(arg);
  const t = await node?.table?.();
  if (!t) throw new Error('This item cannot be opened as a table.');
  await ctx.results.open(t, node?.sql?.());
  return t.rows.length;
};

export const loadMore: CommandFactory = (ctx) => async (arg?: unknown) => {
  const data = nodeData(arg, 'loadMore');
  if (!data) return;
  const tree = ctx.explorer;
  const s = tree.session(data.profileName);
  if (!s) return;
  await loadMoreTables(s, tree.pages, data.schemaNodeId, data.database, data.schema);
  tree.refresh(tree.nodeById(data.schemaNodeId));
};
