// The log panel (a Panel, panel.ts): a server's log, or files the person picked, read into one
// report (src/core/logs); a Refresh reads only what the log gained (LogCursor). The whole read
// marks where each time is (LogIndex), so the brush's range is a read of only the parts of the
// sources that hold it, and every table is of the range. Reads run one at a time; Cancel stops
// the one under way, a new brush stops a range read it makes stale, and closing stops them all.
import * as vscode from 'vscode';
import type { ConnectionProfile } from '../../core/db/profile';
import { Fingerprinter, LogAnalyzer, LogIndex, planPasteText, readLogs, type LogCursor, type LogReport } from '../../core/logs';
import { PROGRESS_MS, parseWebviewMessage, type HostMessage, type LogSourceInfo, type TimeRange, type WebviewMessage } from '../../core/logs/logsProtocol';
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

const SUPERSEDED = 'a newer range';
const utc = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ');

export class LogPanel extends Panel<WebviewMessage, HostMessage> {
  private log: ServerLog | undefined;
  private full: LogAnalyzer | undefined;
  private cursors = new Map<string, LogCursor>();
  private readonly index = new LogIndex();
  private range: TimeRange | undefined;
  /** The read under way, to cancel it. */
  private reading: { kind: 'full' | 'range'; stop: AbortController } | undefined;
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
    void this.enqueue(() => this.refresh());
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

  /** Runs a read that Cancel (or a newer brush, for a range) can stop; a stop is not a failure. */
  private async stoppable(kind: 'full' | 'range', read: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const stop = new AbortController();
    this.reading = { kind, stop };
    try {
      await read(AbortSignal.any([this.abort.signal, stop.signal]));
    } catch (e) {
      if (this.closed || !stop.signal.aborted) throw e;
      if (stop.signal.reason === SUPERSEDED) return;
      if (kind === 'range') this.range = this.shown?.range;
      const said = [
        kind === 'full' ? 'Read cancelled.' : 'Range read cancelled.',
        this.shown ? 'The report shown is of the last read that finished.' : undefined,
        kind === 'full' ? 'Refresh reads the whole log again.' : 'Drag across the chart to read a range again.',
      ];
      this.post({ type: 'cancelled', message: said.filter((x) => x !== undefined).join(' ') });
    } finally {
      this.reading = undefined;
    }
  }

  /** The whole log the first time, then what it gained since (the cursors); then the range, if one is set. */
  private async refresh(): Promise<void> {
    await this.stoppable('full', (signal) => this.readFull(signal));
    if (this.range && this.full) await this.stoppable('range', (signal) => this.readRange(this.range!, signal));
  }

  private async readFull(signal: AbortSignal): Promise<void> {
    if (!this.log) {
      this.post({ type: 'loading', text: `Finding ${this.target.title}'s log…` });
      this.log = await this.target.load();
    }
    this.failed = undefined;
    this.post({ type: 'loading', text: `Reading ${this.log.info.text}…`, cancellable: true });
    const full = (this.full ??= await this.analyzer());
    const started = Date.now();
    let nextProgress = started + PROGRESS_MS;
    try {
      const read = await readLogs(this.log.sources, full, {
        ...(this.log.prefix !== undefined ? { prefix: this.log.prefix } : {}),
        cursors: this.cursors,
        indexInto: this.index,
        signal,
        // A long read shows what it has read so far (a chart of the first hours within seconds), not only a note.
        onProgress: (done, total) => {
          const now = Date.now();
          if (this.range || now < nextProgress || done >= total) return;
          nextProgress = now + PROGRESS_MS;
          this.post({ ...this.message(full.report([]), undefined, now - started, done), progress: { done, total } });
        },
      });
      this.cursors = new Map(read.cursors.map((c) => [c.label, c]));
      if (!this.range)
        this.show(
          this.full.report(read.reads),
          undefined,
          Date.now() - started,
          read.reads.reduce((n, r) => n + r.bytes, 0),
        );
    } catch (e) {
      // A read that stopped half way has fed the analyzer part of the log: start over next time.
      this.full = undefined;
      this.cursors = new Map();
      this.index.clear();
      throw e;
    }
  }

  /** The range's own report: the parts of the sources the index says hold it, entries outside it passed over. */
  private async readRange(range: TimeRange, signal: AbortSignal): Promise<void> {
    const log = this.log!;
    this.post({
      type: 'loading',
      text: `Reading ${utc(range.since)} – ${utc(range.until)} UTC…`,
      cancellable: true,
    });
    const a = await this.analyzer(range);
    const started = Date.now();
    const read = await readLogs(log.sources, a, {
      ...(log.prefix !== undefined ? { prefix: log.prefix } : {}),
      within: { index: this.index, ...range },
      signal,
    });
    this.show(
      a.report(read.reads),
      range,
      Date.now() - started,
      read.reads.reduce((n, r) => n + r.bytes, 0),
    );
  }

  private show(report: LogReport, range: TimeRange | undefined, readMs: number, readBytes: number): void {
    this.shown = this.message(report, range, readMs, readBytes);
    this.post(this.shown);
  }

  private message(report: LogReport, range: TimeRange | undefined, readMs: number, readBytes: number): Extract<HostMessage, { type: 'report' }> {
    return {
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
        await this.enqueue(() => this.refresh());
        return;
      case 'cancel':
        this.reading?.stop.abort();
        return;
      case 'range': {
        const range = m.range;
        this.range = range;
        // A newer brush makes the range being read stale.
        if (this.reading?.kind === 'range') this.reading.stop.abort(SUPERSEDED);
        await this.enqueue(() => {
          if (!range || !this.full) return this.refresh();
          // A brush during the whole read is read by refresh() at its end.
          if (this.shown?.range?.since === range.since && this.shown.range.until === range.until) return Promise.resolve();
          return this.stoppable('range', (signal) => this.readRange(range, signal));
        });
        return;
      }
      case 'openRef': {
        const source = this.log?.sources.find((s) => s.label === m.file);
        if (!source) return; // a page names only the panel's own sources
        await openLogLine(source, m.line, this.abort.signal, this.ctx.results);
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
