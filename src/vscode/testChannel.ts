// The extension's one test channel (documented in panel.ts): created only under a test runner
// (ExtensionMode.Test) and handed out as the API's `test`; shipped code only ever writes to it
// through `ctx.test?.…`.
import type { Alert } from '../core/stats/alerts';
import type { Ctx } from './ctx';
import type { ExplorerProvider } from './explorer/explorerProvider';

export interface LiveCounts {
  /** context.subscriptions: what lives as long as the window. */
  subscriptions: number;
  panels: number;
  /** Open panels whose page has said 'ready'. */
  readyPanels: number;
  /** Listeners, timers and run disposables the open panels own. */
  panelDisposables: number;
}

export class TestChannel {
  /** The alerts the dashboards notified the person of (a notification per crossing), oldest first. */
  readonly notified: { connection: string; alert: Alert }[] = [];
  /** What saving a server file told the person (saved, what it needs, a refusal), oldest first. */
  readonly serverFileMessages: string[] = [];
  /** What the agents' tools asked VS Code to confirm (prepareInvocation), oldest first. */
  readonly agentConfirmations: { tool: string; title: string; message: string }[] = [];

  constructor(private readonly ctx: Ctx) {}

  /** The Servers view's provider: the e2e suite walks and reveals its nodes as a person would. */
  get explorer(): ExplorerProvider {
    return this.ctx.explorer;
  }

  /** How many "Open as Table" texts are kept (bounded). */
  get resultDocuments(): number {
    return this.ctx.results.size;
  }

  liveCounts(): LiveCounts {
    const panels = this.ctx.panels.all;
    return {
      subscriptions: this.ctx.extension.subscriptions.length,
      panels: panels.length,
      readyPanels: panels.filter((p) => p.pageReady).length,
      panelDisposables: panels.reduce((n, p) => n + p.disposableCount, 0),
    };
  }
}
