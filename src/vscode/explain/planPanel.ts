// The plan viewer panel: a webview running dist/webview/plan.js under a strict CSP (a nonce, no
// remote resources, resources only from dist/webview). Messages from the page are validated
// through planProtocol before anything is done with them.
import * as vscode from 'vscode';
import { answer, docOf, parseWebviewMessage, wireMessage, type PanelContent, type PlanDoc } from '../../core/explain/planProtocol';
import { toExplainJson } from '../../core/explain/planJson';
import type { Ctx } from '../ctx';
import { pickPlanFile } from './planSource';
import { webviewHtml } from '../webviewHtml';

export class PlanPanel {
  private ready = false;

  private constructor(
    private readonly ctx: Ctx,
    private readonly panel: vscode.WebviewPanel,
    private message: PanelContent,
  ) {
    panel.webview.html = webviewHtml(panel.webview, ctx.extension.extensionUri, 'plan');
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw).catch((e: unknown) => ctx.reportError('plan panel', e)), undefined, ctx.extension.subscriptions);
  }

  static show(ctx: Ctx, message: PanelContent): PlanPanel {
    const title = message.type === 'show' ? message.doc.title : `${message.left.title} ⇄ ${message.right.title}`;
    const root = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel('pgdba.plan', title, vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [root],
    });
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'pgdba.svg');
    return new PlanPanel(ctx, panel, message);
  }

  private get doc(): PlanDoc {
    return docOf(this.message, 0);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseWebviewMessage(raw);
    if (!m) {
      this.ctx.log.warn(`plan panel: ignored an unexpected message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.ready = true;
        await this.panel.webview.postMessage(wireMessage(this.message));
        return;
      case 'node':
      case 'raw': {
        const reply = answer(this.message, m);
        if (reply) await this.panel.webview.postMessage(reply);
        return;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        void vscode.window.setStatusBarMessage('pgdba: copied to the clipboard', 3000);
        return;
      case 'save': {
        const target = await vscode.window.showSaveDialog({ filters: { 'PostgreSQL plan': ['json'] }, saveLabel: 'Save plan', title: 'Save the plan as JSON' });
        if (!target) return;
        const json = JSON.stringify(toExplainJson(this.doc.plan, this.doc.query), null, 2);
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(json + '\n'));
        void vscode.window.showInformationMessage(`Plan saved to ${vscode.workspace.asRelativePath(target)}; reopen it with "PostgreSQL DBA: Open Plan".`);
        return;
      }
      case 'compareWith': {
        const other = await pickPlanFile('Plan to compare with');
        if (!other) return;
        this.message = { type: 'compare', left: this.doc, right: other };
        this.panel.title = `${this.doc.title} ⇄ ${other.title}`;
        if (this.ready) await this.panel.webview.postMessage(wireMessage(this.message));
        return;
      }
    }
  }
}

