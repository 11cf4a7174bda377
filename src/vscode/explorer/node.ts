// The explorer's node contract. Nodes are small objects built from core rows; the provider asks
// them for their TreeItem and, lazily, their children (one round trip per expansion).
import * as vscode from 'vscode';
import type { NodeData } from './nodeData';

export interface ResultTable {
  title: string;
  columns: string[];
  rows: Record<string, unknown>[];
}

export interface ExplorerNode {
  /** Unique and stable across refreshes: VS Code keeps expansion state by it. */
  readonly id: string;
  /** What the commands of this node receive (read with nodeData). */
  readonly data?: NodeData;
  item(): vscode.TreeItem;
  children?(): Promise<ExplorerNode[]>;
  /** The SQL behind this node, for "Copy SQL". */
  sql?(): string | undefined;
  /** Rows to open as a read-only document, when a list reads better as a table. */
  table?(): Promise<ResultTable | undefined>;
}

export interface LeafOptions {
  description?: string;
  tooltip?: string | vscode.MarkdownString;
  icon?: vscode.ThemeIcon;
  contextValue?: string;
  command?: vscode.Command;
  sql?: string;
  data?: NodeData;
}

export function leaf(id: string, label: string, o: LeafOptions = {}): ExplorerNode {
  return {
    id,
    ...(o.data ? { data: o.data } : {}),
    item() {
      const it = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      it.id = id;
      if (o.description !== undefined) it.description = o.description;
      if (o.tooltip !== undefined) it.tooltip = o.tooltip;
      if (o.icon) it.iconPath = o.icon;
      it.contextValue = o.contextValue ?? (o.sql ? 'pgdba.leaf.sql' : 'pgdba.leaf');
      if (o.command) it.command = o.command;
      return it;
    },
    sql: o.sql === undefined ? undefined : () => o.sql,
  };
}

export interface GroupOptions extends LeafOptions {
  expanded?: boolean;
  table?: () => Promise<ResultTable | undefined>;
}

export function group(id: string, label: string, load: () => Promise<ExplorerNode[]>, o: GroupOptions = {}): ExplorerNode {
  const hasSql = o.sql !== undefined;
  const hasTable = o.table !== undefined;
  return {
    id,
    ...(o.data ? { data: o.data } : {}),
    item() {
      const it = new vscode.TreeItem(label, o.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      it.id = id;
      if (o.description !== undefined) it.description = o.description;
      if (o.tooltip !== undefined) it.tooltip = o.tooltip;
      if (o.icon) it.iconPath = o.icon;
      it.contextValue = o.contextValue ?? `pgdba.group${hasSql ? '.sql' : ''}${hasTable ? '.table' : ''}`;
      return it;
    },
    children: load,
    sql: hasSql ? () => o.sql : undefined,
    table: o.table,
  };
}

/** A node that says what went wrong, in words, with a retry. */
export function errorNode(id: string, message: string, retryArg?: unknown): ExplorerNode {
  return leaf(`${id}#error`, message.split('\n')[0] ?? message, {
    icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
    tooltip: message,
    contextValue: 'pgdba.error',
    command: { command: 'pgdba.retryNode', title: 'Retry', arguments: [retryArg] },
  });
}

/** A node for "nothing here", which reads better than an empty expansion. */
export function emptyNode(id: string, text: string, tooltip?: string): ExplorerNode {
  return leaf(`${id}#empty`, text, { icon: new vscode.ThemeIcon('info'), ...(tooltip ? { tooltip } : {}) });
}

/** A command's argument as a tree node (a menu passes the node itself), or undefined. */
export function explorerNode(arg: unknown): ExplorerNode | undefined {
  return typeof arg === 'object' &&
    arg !== null &&
    typeof (arg as Partial<ExplorerNode>).id === 'string' &&
    typeof (arg as Partial<ExplorerNode>).item === 'function'
    ? (arg as ExplorerNode)
    : undefined;
}
