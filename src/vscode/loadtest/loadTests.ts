// ctx.loadTests: the runs of this window (the panel's list and its "Compare with" choices), the
// one load-test panel, and the runs under way (a window closed mid-run stops pgbench too).
import * as vscode from 'vscode';
import type { LoadTestRun } from '../../core/loadtest/types';
import type { Ctx } from '../ctx';
import { DisposableStore } from '../disposableStore';
import { LoadTestPanel } from './loadTestPanel';

export class LoadTests implements vscode.Disposable {
  /** Oldest first. */
  readonly runs: LoadTestRun[] = [];
  private panel: LoadTestPanel | undefined;
  private readonly running = new DisposableStore();

  constructor(private readonly ctx: Ctx) {
    ctx.push(this);
  }

  add(run: LoadTestRun): void {
    if (!this.runs.some((r) => r.id === run.id)) this.runs.push(run);
    this.runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  find(id: string): LoadTestRun | undefined {
    return this.runs.find((r) => r.id === id);
  }

  /** Shows the run (one panel per window: a new run replaces the view, the list keeps every run). */
  show(run: LoadTestRun): void {
    this.add(run);
    const view = { kind: 'run', id: run.id } as const;
    if (this.panel) {
      this.panel.reveal(true);
      this.panel.setView(view);
      return;
    }
    const panel = new LoadTestPanel(this.ctx, this, view);
    this.panel = panel;
    panel.onClose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
  }

  /** Runs `body` with an AbortSignal that also fires if the window closes before the run ends. */
  async whileRunning<T>(abort: AbortController, body: () => Promise<T>): Promise<T> {
    const stop = this.running.add(new vscode.Disposable(() => abort.abort()));
    try {
      return await body();
    } finally {
      this.running.delete(stop);
    }
  }

  dispose(): void {
    this.running.dispose();
  }
}
