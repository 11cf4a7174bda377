// The base of every pgdba webview panel: the WebviewPanel with its options, icon and page (the one
// page builder, webviewHtml.ts); posts held until the page says 'ready'; every message from the
// page validated by the protocol's validator, rejects logged; a request's answer posted back with
// its requestId; and a DisposableStore that dies with the panel, so nothing a panel or one of its
// runs registers goes into context.subscriptions. The page's side is webview/shared/host.ts.
//
// The test channel (one for the whole extension): src/vscode/testChannel.ts, on only when the
// extension runs under a test runner (ExtensionMode.Test) and reached through the API's `test`:
// it counts live disposables (context.subscriptions, the panels and what they own) and records
// the alerts the dashboards notified. The pages' counterpart is webview/shared/testHook.ts, a
// no-op unless a harness outside VS Code defines window.__pgdbaTest.
import * as vscode from 'vscode';
import { hasRequestId } from '../core/requestId';
import type { Ctx } from './ctx';
import { DisposableStore } from './disposableStore';
import { webviewHtml } from './webviewHtml';

export interface PanelOptions<In> {
  /** The folder under webview/ whose bundle the panel loads. */
  page: string;
  viewType: string;
  title: string;
  column: vscode.ViewColumn;
  /** Keep the page (charts, scroll, selection) while the panel is hidden. */
  retainContextWhenHidden: boolean;
  /** The protocol's check of what the page sends. */
  parse: (raw: unknown) => In | undefined;
  /** The panel's name in the log and in error messages. */
  label: string;
}

type Ready = { type: 'ready' };

/** What the registry of open panels sees of one. */
export interface LivePanel extends vscode.Disposable {
  readonly pageReady: boolean;
  readonly disposableCount: number;
}

/** In: what the page sends; Out: what the host posts; Answer: what it answers requests with. */
export abstract class Panel<In extends { type: string }, Out extends object, Answer extends object = never> implements LivePanel {
  protected readonly panel: vscode.WebviewPanel;
  /** Listeners, timers and per-run disposables: disposed with the panel. */
  protected readonly disposables = new DisposableStore();
  /** Resolves when the page has said 'ready' (never, when it closes first). */
  readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;
  /** Posts made before the page listens; undefined once it does. */
  private queue: object[] | undefined = [];
  private disposed = false;

  constructor(
    protected readonly ctx: Ctx,
    private readonly options: PanelOptions<In>,
  ) {
    const ext = ctx.extension.extensionUri;
    this.panel = vscode.window.createWebviewPanel(options.viewType, options.title, options.column, {
      enableScripts: true,
      retainContextWhenHidden: options.retainContextWhenHidden,
      localResourceRoots: [vscode.Uri.joinPath(ext, 'dist', 'webview')],
    });
    this.panel.iconPath = vscode.Uri.joinPath(ext, 'media', 'pgdba.svg');
    this.panel.webview.html = webviewHtml(this.panel.webview, ext, options.page);
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.disposables.add(this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    this.disposables.add(this.panel.onDidDispose(() => this.dispose()));
    ctx.panels.add(this);
  }

  /** What the page handles; a request's answer is returned (posted back with its requestId). */
  protected abstract onMessage(m: Exclude<In, Ready>): Answer | undefined | void | Promise<Answer | undefined | void>;

  get pageReady(): boolean {
    return this.queue === undefined;
  }

  get closed(): boolean {
    return this.disposed;
  }

  get visible(): boolean {
    return !this.disposed && this.panel.visible;
  }

  /** Live disposables the panel owns (the test channel's count). */
  get disposableCount(): number {
    return this.disposables.size;
  }

  /** Sent now if the page is ready, else when it says so; dropped once the panel is closed. */
  post(m: Out): void {
    this.send(m);
  }

  private send(m: object): void {
    if (this.disposed) return;
    if (this.queue) this.queue.push(m);
    else void this.panel.webview.postMessage(m);
  }

  /** Runs when the panel closes (the person closed it, or the window). */
  onClose(listener: () => void): void {
    this.disposables.add(new vscode.Disposable(listener));
  }

  reveal(preserveFocus = false): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  private async receive(raw: unknown): Promise<void> {
    const m = this.options.parse(raw);
    if (!m) {
      this.ctx.log.warn(`${this.options.label}: rejected a message from the page: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    if (isReady(m)) return this.pageSaidReady();
    try {
      const answer = await this.onMessage(m as Exclude<In, Ready>);
      if (answer && hasRequestId(m)) this.send({ ...answer, requestId: m.requestId });
    } catch (e) {
      this.ctx.reportError(this.options.label, e);
    }
  }

  /**
   * A page says 'ready' once, unless VS Code loads it again (Developer: Reload Webviews, a panel
   * moved to another window): then it is a blank page that needs the panel's state.
   */
  protected abstract onPageReload(): void;

  private pageSaidReady(): void {
    const queued = this.queue;
    if (!queued) return this.onPageReload();
    this.queue = undefined;
    for (const m of queued) void this.panel.webview.postMessage(m);
    this.markReady();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ctx.panels.delete(this);
    this.disposables.dispose();
    this.panel.dispose();
  }
}

const isReady = (m: { type: string }): m is Ready => m.type === 'ready';

/** The open panels, whatever their kind: closed with the window, counted by the test channel. */
export class OpenPanels implements vscode.Disposable {
  private readonly live = new Set<LivePanel>();

  add(p: LivePanel): void {
    this.live.add(p);
  }

  delete(p: LivePanel): void {
    this.live.delete(p);
  }

  get all(): readonly LivePanel[] {
    return [...this.live];
  }

  dispose(): void {
    for (const p of [...this.live]) p.dispose();
  }
}
