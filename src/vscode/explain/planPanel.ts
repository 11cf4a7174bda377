// The plan viewer panel: a webview running dist/webview/plan.js under a strict CSP (a nonce, no
// remote resources, resources only from dist/webview). Messages from the page are validated
// through planProtocol before anything is done with them.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { answer, docOf, parseWebviewMessage, wireMessage, type PanelContent, type PlanDoc } from '../../core/explain/planProtocol';
import { toExplainJson } from '../../core/explain/planJson';
import type { Ctx } from '../ctx';
import { pickPlanFile } from './planSource';

export class PlanPanel {
  private ready = false;

  private constructor(
    private readonly ctx: Ctx,
    private readonly panel: vscode.WebviewPanel,
    private message: PanelContent,
  ) {
    panel.webview.html = html(panel.webview, ctx.extension.extensionUri);
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

function html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`, `img-src ${webview.cspSource} data:`, `font-src ${webview.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${asset('plan.css')}">
</head><body><div id="app"></div>
<script nonce="${nonce}" src="${asset('plan.js')}"></script>
</body></html>`;
}
