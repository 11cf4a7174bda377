// The plan viewer panel (a Panel, panel.ts): one plan, or two compared; the page asks for a node's
// detail and the raw plan when it shows them (planContent.ts answers).
import * as vscode from 'vscode';
import { parseWebviewMessage, type Answer, type HostMessage, type WebviewMessage } from '../../core/explain/planProtocol';
import { toExplainJson } from '../../core/explain/planJson';
import type { PlanDoc } from '../../core/explain/planDoc';
import type { Ctx } from '../ctx';
import { Panel } from '../panel';
import { answer, docOf, titleOf, wireMessage, type PanelContent } from './planContent';
import { pickPlanFile } from './planSource';
import { walkthroughDone } from '../walkthrough';

export class PlanPanel extends Panel<WebviewMessage, HostMessage, Answer> {
  private constructor(
    ctx: Ctx,
    private content: PanelContent,
  ) {
    super(ctx, {
      page: 'plan',
      viewType: 'pgdba.plan',
      title: titleOf(content),
      column: vscode.ViewColumn.Beside,
      retainContextWhenHidden: true,
      parse: parseWebviewMessage,
      label: 'plan panel',
    });
    this.post(wireMessage(content));
  }

  static show(ctx: Ctx, content: PanelContent): PlanPanel {
    walkthroughDone('explained');
    return new PlanPanel(ctx, content);
  }

  private get doc(): PlanDoc {
    return docOf(this.content, 0);
  }

  protected override onPageReload(): void {
    this.post(wireMessage(this.content));
  }

  protected override async onMessage(m: Exclude<WebviewMessage, { type: 'ready' }>): Promise<Answer | undefined> {
    switch (m.type) {
      case 'node':
      case 'raw':
        return answer(this.content, m);
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
        if (!other || this.closed) return;
        this.content = { type: 'compare', left: this.doc, right: other };
        this.panel.title = titleOf(this.content);
        this.post(wireMessage(this.content));
        return;
      }
    }
  }
}
