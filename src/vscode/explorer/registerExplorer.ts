// Wires the explorer's views: the tree view, the result documents and the status bar. Its
// commands are in the command table (src/vscode/commands.ts).
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { RESULT_SCHEME } from './resultDocument';
import { ConnectionStatus } from './statusBar';
import { nodeData } from './nodeData';

export function registerExplorer(ctx: Ctx): void {
  const tree = ctx.explorer;
  const view = vscode.window.createTreeView('pgdba.servers', { treeDataProvider: tree, showCollapseAll: true });
  tree.view = view;
  ctx.push(
    view,
    new ConnectionStatus(ctx.activeServer),
    vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, ctx.results),
    view.onDidChangeSelection((e) => {
      const name = nodeData(e.selection[0])?.profileName;
      if (name) tree.choose(name);
    }),
  );
}
