// The active connection in the status bar: the server last selected in the tree (or picked with
// the item), with its state. It only shows what the active-server service says.
import * as vscode from 'vscode';
import { describeProfile } from '../../core/db/profile';
import type { ActiveServer } from '../activeServer';

export class ConnectionStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pgdba.connection', vscode.StatusBarAlignment.Left, 50);
  private readonly listener: vscode.Disposable;

  constructor(private readonly active: ActiveServer) {
    this.item.name = 'PostgreSQL connection';
    this.item.command = 'pgdba.selectConnection';
    this.listener = active.onDidChange(() => this.render());
    this.render();
  }

  render(): void {
    const profile = this.active.profile;
    if (!profile) {
      this.item.hide();
      return;
    }
    const error = this.active.error;
    this.item.text = `${error ? '$(error)' : '$(database)'} ${profile.name}`;
    this.item.tooltip = `PostgreSQL DBA: ${describeProfile(profile)}${error ? `\n${error}` : ''}\nClick to choose another connection.`;
    this.item.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}
