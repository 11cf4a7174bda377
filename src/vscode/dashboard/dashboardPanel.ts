// The live dashboard: one webview panel per connection, sampling at pgdba.dashboard.intervalSeconds
// only while the panel is visible, with one read of the server's machine per tick for the host charts. The logic (query, rates, alerts, history) is in core/dashboard;
// this file schedules ticks, posts points to the page and answers its validated requests.
import { errorText } from '../../core/db/connectError';
import { VSCODE_ADVICE } from '../connectAdvice';
import * as vscode from 'vscode';
import { warnAll } from '../notices';
import { resolveThresholds } from '../../core/stats/thresholds';
import { readServerVersion, type ServerVersion } from '../../core/db/serverInfo';
import type { ConnectionProfile } from '../../core/db/profile';
import { DashboardSampler } from '../../core/dashboard/sampler';
import { historyCapacity, pointsToCsv } from '../../core/dashboard/history';
import { thresholdLines } from '../../core/dashboard/dashboardAlerts';
import { readTopQueries, type TopQuery } from '../../core/dashboard/topQueries';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../../core/dashboard/dashboardProtocol';
import type { DashboardPoint } from '../../core/dashboard/rates';
import type { Ctx } from '../ctx';
import { hostSourceFor } from '../../core/host/facts';
import type { HostAccess } from '../../core/host/hostAccess';
import { Panel } from '../panel';
import { explainTopQuery } from './explainTopQuery';
import { BouncerConsole } from '../../core/bouncer/console';
import { readBouncerSample } from '../../core/bouncer/snapshot';
import { consoleConnection, consoleFailureText } from '../bouncer/bouncerConnection';

/** Top queries are read again every this many milliseconds while the panel is visible. */
const TOP_QUERIES_EVERY_MS = 30_000;

/** A dashboard (a Panel, panel.ts); ctx.dashboards opens one per connection. */
export class DashboardPanel extends Panel<WebviewMessage, HostMessage> {
  private readonly sampler: DashboardSampler;
  private timer: NodeJS.Timeout | undefined;
  private version: ServerVersion | undefined;
  private ticking = false;
  /** Counts the pauses: a tick that was reading when one came knows its baseline is stale. */
  private pauses = 0;
  private topQueries: TopQuery[] = [];
  private topQueriesAt = 0;
  private lastError: string | undefined;
  private lastHostError: string | undefined;
  /** The server's machine for the host charts, when it can be reached from here. */
  private readonly host: HostAccess | undefined;
  private readonly hostNote: string | undefined;
  /** The PgBouncer console, open while sampling (closed when hidden or on a failure, opened again by the next tick). */
  private bouncer: Promise<BouncerConsole> | undefined;
  private lastBouncerError: string | undefined;

  constructor(
    ctx: Ctx,
    readonly profile: ConnectionProfile,
  ) {
    // The page keeps its charts while hidden; sampling stops meanwhile (schedule()).
    super(ctx, {
      page: 'dashboard',
      viewType: 'pgdba.dashboard',
      title: `Dashboard — ${profile.name}`,
      column: vscode.ViewColumn.Active,
      retainContextWhenHidden: true,
      parse: parseWebviewMessage,
      label: 'dashboard',
    });
    const cfg = ctx.config;
    const source = hostSourceFor(profile);
    this.host = source === 'sql' ? undefined : ctx.connections.host(profile);
    this.hostNote =
      source === 'sql'
        ? `No host charts: ${profile.host} is another machine; give the profile an SSH hop ("ssh") to chart its CPU, memory and disks.`
        : undefined;
    this.sampler = new DashboardSampler(historyCapacity(cfg.dashboardIntervalSeconds), resolveThresholds(cfg.thresholds).thresholds);
    this.disposables.add(this.panel.onDidChangeViewState(() => this.schedule()));
    this.disposables.add(
      ctx.onConfigChange((c) => {
        this.sampler.thresholds = resolveThresholds(c.thresholds).thresholds;
        this.post({ type: 'init', init: this.init() });
      }),
    );
    this.onClose(() => {
      this.schedule();
      this.closeBouncer();
    });
    this.post({ type: 'init', init: this.init() });
    void this.ready.then(() => this.schedule());
  }

  /** Points kept so far, oldest first. */
  get points(): DashboardPoint[] {
    return this.sampler.history.toArray();
  }

  /** Whether a tick is scheduled or still reading (false once hidden and the last read is in). */
  get sampling(): boolean {
    return this.timer !== undefined || this.ticking;
  }

  private init() {
    const cfg = this.ctx.config;
    return {
      connection: this.profile.name,
      serverVersion: this.version?.text ?? '',
      intervalSeconds: cfg.dashboardIntervalSeconds,
      thresholds: thresholdLines(this.sampler.thresholds),
      history: this.points,
      capacity: this.sampler.history.capacity,
      ...(this.hostNote ? { hostNote: this.hostNote } : {}),
    };
  }

  protected override onPageReload(): void {
    this.post({ type: 'init', init: this.init() });
    if (this.topQueries.length) this.post({ type: 'topQueries', rows: this.topQueries });
  }

  /** Starts the timer when the panel is visible and its page ready, stops it otherwise (and when closed). */
  private schedule(): void {
    const run = this.pageReady && this.visible;
    if (run && !this.timer) {
      this.timer = setTimeout(() => void this.tick(), 0);
      this.post({ type: 'status', paused: false });
    } else if (!run && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.pauses++;
      this.sampler.forget();
      this.closeBouncer();
      this.post({ type: 'status', paused: true });
    }
  }

  private closeBouncer(): void {
    const b = this.bouncer;
    this.bouncer = undefined;
    void b?.then(
      (con) => con.close(),
      () => undefined,
    );
  }

  /** The PgBouncer group's reader for this tick, when the profile names a PgBouncer. */
  private bouncerReader(): (() => Promise<Awaited<ReturnType<typeof readBouncerSample>>>) | undefined {
    if (this.profile.pgbouncerPort === undefined) return undefined;
    return async () => {
      this.bouncer ??= consoleConnection(this.ctx, this.profile).then((c) => BouncerConsole.open(c));
      return readBouncerSample(await this.bouncer);
    };
  }

  /** Said once per outage in the log; the group stays empty meanwhile and the next tick tries again. */
  private async bouncerFailed(e: unknown): Promise<void> {
    this.closeBouncer();
    const c = await consoleConnection(this.ctx, this.profile).catch(() => undefined);
    const message = c ? consoleFailureText(e, c) : e instanceof Error ? e.message : String(e);
    if (message !== this.lastBouncerError) this.ctx.log.warn(`dashboard ${this.profile.name}: PgBouncer group: ${message}`);
    this.lastBouncerError = message;
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    const started = Date.now();
    const pauses = this.pauses;
    try {
      await this.ctx.connections.use(this.profile, async (pool) => {
        this.version ??= await readServerVersion(pool);
        const t = await this.sampler.tick(pool, this.version.num, { ...(this.host ? { host: this.host } : {}), bouncer: this.bouncerReader() });
        if (t.bouncerError !== undefined) await this.bouncerFailed(t.bouncerError);
        else this.lastBouncerError = undefined;
        this.post({ type: 'sample', point: t.point, alerts: t.alerts });
        if (t.hostError !== this.lastHostError) {
          if (t.hostError) this.ctx.log.warn(`dashboard ${this.profile.name}: host charts: ${t.hostError}`);
          this.post({ type: 'status', paused: false, ...(t.hostError ? { hostError: t.hostError } : {}) });
          this.lastHostError = t.hostError;
        }
        for (const a of t.crossed) this.ctx.test?.notified.push({ connection: this.profile.name, alert: a });
        warnAll(
          `pgdba dashboard, ${this.profile.name}: `,
          t.crossed.map((a) => a.message),
        );
        if (Date.now() - this.topQueriesAt > TOP_QUERIES_EVERY_MS) await this.refreshTopQueries(pool);
      });
      if (this.lastError) this.post({ type: 'status', paused: false });
      this.lastError = undefined;
    } catch (e) {
      // Said once per outage in the panel and the log; the timer keeps trying.
      const message = errorText(e, VSCODE_ADVICE);
      if (message !== this.lastError) {
        this.ctx.log.warn(`dashboard ${this.profile.name}: ${message}`);
        this.post({ type: 'status', paused: false, error: message });
      }
      this.lastError = message;
      this.sampler.forget();
    } finally {
      this.ticking = false;
      // Hidden while this tick read: its snapshot would make the first rates after the pause an
      // average over it, which forget() was there to prevent.
      if (pauses !== this.pauses) this.sampler.forget();
      if (this.timer && !this.closed) {
        // Shown again while this tick read: schedule() set a timer of its own; one chain, not two.
        clearTimeout(this.timer);
        const wait = Math.max(100, this.ctx.config.dashboardIntervalSeconds * 1000 - (Date.now() - started));
        this.timer = setTimeout(() => void this.tick(), wait);
      }
    }
  }

  private async refreshTopQueries(pool: Parameters<typeof readTopQueries>[0]): Promise<void> {
    this.topQueriesAt = Date.now();
    const versionNum = this.version?.num ?? (this.version = await readServerVersion(pool)).num;
    const r = await readTopQueries(pool, { versionNum });
    this.topQueries = r.ok ? r.rows : [];
    this.post(r.ok ? { type: 'topQueries', rows: r.rows } : { type: 'topQueries', rows: [], unavailable: r.reason });
  }

  protected override async onMessage(m: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    switch (m.type) {
      case 'refreshTopQueries':
        await this.ctx.connections.use(this.profile, (pool) => this.refreshTopQueries(pool));
        return;
      case 'exportCsv':
        return this.exportCsv();
      case 'explain': {
        const q = this.topQueries.find((r) => r.id === m.id);
        if (!q) {
          void vscode.window.showWarningMessage('That query is no longer among the top queries: refresh the table and try again.');
          return;
        }
        await explainTopQuery(this.ctx, this.profile, q);
        return;
      }
    }
  }

  private async exportCsv(): Promise<void> {
    const points = this.points;
    if (points.length === 0) {
      void vscode.window.showInformationMessage('No samples yet: keep the dashboard open for a few seconds, then export.');
      return;
    }
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `pgdba-${this.profile.name.replace(/[^\w.-]+/g, '_')}-${stamp}.csv`;
    const target = await vscode.window.showSaveDialog({
      title: 'Export the dashboard samples as CSV',
      saveLabel: 'Export',
      filters: { CSV: ['csv'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(pointsToCsv(points)));
    void vscode.window.showInformationMessage(`${points.length} samples exported to ${vscode.workspace.asRelativePath(target)}.`);
  }
}
