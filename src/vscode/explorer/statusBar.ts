// The active connection in the status bar: the server last selected in the tree (or picked with
// the item), with its state. Other commands default to it.
import * as vscode from 'vscode';
import { describeProfile } from '../../core/db/profile';
import type { Ctx } from '../ctx';

export class ConnectionStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pgdba.connection', vscode.StatusBarAlignment.Left, 50);
  private active?: string;

  constructor(private readonly ctx: Ctx) {
    this.item.name = 'PostgreSQL connection';
    this.item.command = 'pgdba.selectConnection';
    this.active = ctx.extension.workspaceState.get<string>('pgdba.activeConnection');
    ctx.activeProfileName = this.active;
    this.render();
  }

  get activeName(): string | undefined {
    const names = this.ctx.connections.profiles().map((p) => p.name);
    return this.active && names.includes(this.active) ? this.active : names[0];
  }

  setActive(name: string, error?: string): void {
    this.active = name;
    this.ctx.activeProfileName = name;
    void this.ctx.extension.workspaceState.update('pgdba.activeConnection', name);
    this.render(error);
  }

  render(error?: string): void {
    const name = this.activeName;
    const profile = name ? this.ctx.connections.find(name) : undefined;
    if (!profile) {
      this.item.hide();
      return;
    }
    this.item.text = `${error ? '$(error)' : '$(database)'} ${profile.name}`;
    this.item.tooltip = `PostgreSQL DBA: ${describeProfile(profile)}${error ? `\n${error}` : ''}\nClick to choose another connection.`;
    this.item.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
