// The log panel (a Panel, panel.ts): a server's log, or files the person picked, read into one
// report (src/core/logs); a Refresh reads only what the log gained (LogCursor); the brush's range
// is a second read of the sources for that range alone, so every table is of the range. Reads run
// one at a time and stop when the panel closes.
import * as vscode from 'vscode';
import type { ConnectionProfile } from '../../core/db/profile';
import { Fingerprinter, LogAnalyzer, planPasteText, readLogs, type LogCursor, type LogReport } from '../../core/logs';
import { parseWebviewMessage, type HostMessage, type LogSourceInfo, type TimeRange, type WebviewMessage } from '../../core/logs/logsProtocol';
import { planDocFromText } from '../../core/explain/planDoc';
import { resolveThresholds } from '../../core/stats/thresholds';
import type { Ctx } from '../ctx';
import { Panel } from '../panel';
import { PlanPanel } from '../explain/planPanel';
import { explainLoggedStatement } from './explainLogged';
import { openLogLine } from './logLines';
import type { ServerLog } from './serverLogSources';

/** What a panel reads: a server's log (found when it opens) or picked files. */
export interface LogTarget {
  title: string;
  /** The server the log is of: Explain offers it first. */
  profile?: ConnectionProfile;
  load: () => Promise<ServerLog>;
}

export class LogPanel extends Panel<WebviewMessage, HostMessage> {
  private log: ServerLog | undefined;
  private full: LogAnalyzer | undefined;
  private cursors = new Map<string, LogCursor>();
  private range: TimeRange | undefined;
  private shown: Extract<HostMessage, { type: 'report' }> | undefined;
  private failed: string | undefined;
  private work: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private fp: Promise<Fingerprinter> | undefined;

  constructor(
    ctx: Ctx,
    private readonly target: LogTarget,
  ) {
    super(ctx, {
      page: 'logs',
      viewType: 'pgdba.logs',
      title: `Logs — ${target.title}`,
      column: vscode.ViewColumn.Active,
      retainContextWhenHidden: true,
      parse: parseWebviewMessage,
      label: 'log panel',
    });
    this.onClose(() => this.abort.abort());
    void this.enqueue(() => this.readFull());
  }

  /** The report on screen (the e2e suite compares its figures with the core's). */
  get report(): LogReport | undefined {
    return this.shown?.report;
  }

  /** The range of the report on screen; undefined: the whole log. */
  get shownRange(): TimeRange | undefined {
    return this.shown?.range;
  }

  get source(): LogSourceInfo | undefined {
    return this.shown?.source ?? this.log?.info;
  }

  get failure(): string | undefined {
    return this.failed;
  }

  /** Settles when every read asked for so far is done. */
  get settled(): Promise<void> {
    return this.work;
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    this.work = this.work.then(fn).catch((e: unknown) => {
      if (this.closed) return;
      this.failed = e instanceof Error ? e.message : String(e);
      this.ctx.log.warn(`log panel ${this.target.title}: ${this.failed}`);
      this.post({ type: 'failed', message: this.failed });
    });
    return this.work;
  }

  private analyzer(range?: TimeRange): Promise<LogAnalyzer> {
    this.fp ??= Fingerprinter.create();
    const thresholds = resolveThresholds(this.ctx.config.thresholds).thresholds;
    return this.fp.then((fp) => new LogAnalyzer(fp, { thresholds, ...(range ? { since: range.since, until: range.until } : {}) }));
  }

  /** The whole log the first time, then what it gained since (the cursors). */
  private async readFull(): Promise<void> {
    if (!this.log) {
      this.post({ type: 'loading', text: `Finding ${this.target.title}'s log…` });
      this.log = await this.target.load();
    }
    this.failed = undefined;
    this.post({ type: 'loading', text: `Reading ${this.log.info.text}…` });
    this.full ??= await this.analyzer();
    const started = Date.now();
    const read = await readLogs(this.log.sources, this.full, {
      ...(this.log.prefix !== undefined ? { prefix: this.log.prefix } : {}),
      cursors: this.cursors,
      signal: this.abort.signal,
    });
    this.cursors = new Map(read.cursors.map((c) => [c.label, c]));
    const bytes = read.reads.reduce((n, r) => n + r.bytes, 0);
    if (this.range) return this.readRange(this.range);
    this.show(this.full.report(read.reads), undefined, Date.now() - started, bytes);
  }

  /** The range's own report: the sources read again, entries outside it passed over. */
  private async readRange(range: TimeRange): Promise<void> {
    const log = this.log!;
    this.post({ type: 'loading', text: `Reading ${new Date(range.since).toISOString()} – ${new Date(range.until).toISOString()}…` });
    const a = await this.analyzer(range);
    const started = Date.now();
    const read = await readLogs(log.sources, a, { ...(log.prefix !== undefined ? { prefix: log.prefix } : {}), signal: this.abort.signal });
    this.show(
      a.report(read.reads),
      range,
      Date.now() - started,
      read.reads.reduce((n, r) => n + r.bytes, 0),
    );
  }

  private show(report: LogReport, range: TimeRange | undefined, readMs: number, readBytes: number): void {
    this.shown = {
      type: 'report',
      title: this.target.title,
      source: this.log!.info,
      ...(range ? { range } : {}),
      report,
      readAt: new Date().toISOString(),
      readMs,
      readBytes,
      canExplain: this.ctx.connections.profiles().length > 0,
    };
    this.post(this.shown);
  }

  protected override onPageReload(): void {
    if (this.shown) this.post(this.shown);
    else if (this.failed) this.post({ type: 'failed', message: this.failed });
  }

  protected override async onMessage(m: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    switch (m.type) {
      case 'refresh':
        // After a failure to find the log, a Refresh looks again.
        if (this.failed && !this.full) this.log = undefined;
        await this.enqueue(() => this.readFull());
        return;
      case 'range':
        this.range = m.range;
        await this.enqueue(() => (m.range ? this.readRange(m.range) : this.readFull()));
        return;
      case 'openRef': {
        const source = this.log?.sources.find((s) => s.label === m.file);
        if (!source) return; // a page names only the panel's own sources
        await openLogLine(source, m.line, this.abort.signal);
        return;
      }
      case 'explain': {
        const group = this.shown?.report.statements.find((s) => s.id === m.statementId);
        if (group) await explainLoggedStatement(this.ctx, group, this.target.profile);
        return;
      }
      case 'openPlan': {
        const p = this.shown?.report.plans[m.index];
        if (!p) return;
        if (p.truncated) throw new Error(`The plan at ${p.file}:${p.line} is longer than pgdba keeps (4 MB): open the log line to read it.`);
        const when = p.time ? ` ${p.time.slice(0, 19).replace('T', ' ')}` : '';
        PlanPanel.show(this.ctx, { type: 'show', doc: planDocFromText(planPasteText(p), `auto_explain${when} — ${p.durationMs} ms`) });
        return;
      }
    }
  }
}
