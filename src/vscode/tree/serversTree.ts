// The "Servers" view: one node per connection profile, showing the server's version or, when the
// server cannot be reached, the reason in words.
import * as vscode from 'vscode';
import { describeProfile, type ConnectionProfile } from '../../core/db/profile';
import { readServerVersion } from '../../core/db/serverInfo';
import type { Ctx } from '../ctx';

export class ServerNode {
  constructor(readonly profile: ConnectionProfile) {}
  get profileName(): string {
    return this.profile.name;
  }
}

export class ServersTree implements vscode.TreeDataProvider<ServerNode> {
  private readonly changed = new vscode.EventEmitter<ServerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    ctx.push(this.changed);
    ctx.onConfigChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: ServerNode): ServerNode[] {
    if (node) return [];
    return this.ctx.connections.profiles().map((p) => new ServerNode(p));
  }

  async getTreeItem(node: ServerNode): Promise<vscode.TreeItem> {
    const item = new vscode.TreeItem(node.profile.name, vscode.TreeItemCollapsibleState.None);
    item.id = `server:${node.profile.name}`;
    item.contextValue = 'pgdba.server';
    try {
      const v = await this.ctx.connections.use(node.profile, (pool) => readServerVersion(pool));
      item.description = `PostgreSQL ${v.text}`;
      item.iconPath = new vscode.ThemeIcon('database');
      item.tooltip = `${describeProfile(node.profile)}\nPostgreSQL ${v.text}`;
    } catch (e) {
      item.description = 'unreachable';
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.tooltip = e instanceof Error ? e.message : String(e);
    }
    return item;
  }
}
