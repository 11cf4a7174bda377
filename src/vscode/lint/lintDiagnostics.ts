// Diagnostics for postgresql.conf, pg_hba.conf and pgbouncer.ini documents: on open, on save,
// while typing (debounced), cleared on close. Each diagnostic keeps its finding for the code actions.
import * as vscode from 'vscode';
import type { Finding } from '../../core/lint/finding';
import { typeOfLanguage } from '../../core/lint/lintLanguages';
import type { LintEnvironment } from './lintEnvironment';
import { FindingDiagnostic } from './findingDiagnostic';
import type { Log } from '../log';
import { walkthroughDone } from '../walkthrough';

const DEBOUNCE_MS = 300;

const engine = () => import('./lintEngine');

export class LintDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('pgdba');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly versions = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly env: LintEnvironment,
    private readonly log: Log,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      // A saved pg_hba.conf or postgresql.conf changes what its neighbours are checked against.
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (LintDiagnostics.isLintable(d)) this.relintAll();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    );
    // The settings, the active server's major and running values are what a file is linted against.
    this.subscriptions.push(...env.onChange(() => this.relintAll()));
    // Documents already open when the extension activated; after activate() returns.
    setTimeout(() => this.relintAll(), 0);
  }

  static isLintable(doc: vscode.TextDocument): boolean {
    return typeOfLanguage(doc.languageId) !== undefined;
  }

  /** Findings of the last lint of a document, for code actions. */
  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.collection.get(uri)?.flatMap((d) => (d instanceof FindingDiagnostic ? [d.finding] : [])) ?? [];
  }

  relintAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** Lints now and resolves with the findings (the pgdba.lintFile command). */
  async lintNow(doc: vscode.TextDocument): Promise<readonly Finding[]> {
    const key = doc.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    await this.run(doc);
    return this.findingsFor(doc.uri);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!LintDiagnostics.isLintable(doc)) return;
    const key = doc.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.run(doc);
      }, delay),
    );
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return;
    const key = doc.uri.toString();
    const version = doc.version;
    this.versions.set(key, version);
    try {
      const { lintDocument } = await engine();
      // A file of the server's own is linted with that server's major, running values, host and files.
      const server = this.env.serverFile(doc.uri);
      const found = server
        ? await lintDocument(doc, { ...this.env.config(), pgVersion: server.major }, server.runningValues, server.hostFacts, server)
        : await lintDocument(doc, this.env.config(), this.env.runningValues(), this.env.hostFacts());
      // A newer edit started its own run meanwhile, or the document closed: drop this result.
      if (doc.isClosed || this.versions.get(key) !== version) return;
      this.collection.set(
        doc.uri,
        found.map((f) => new FindingDiagnostic(f)),
      );
      if (doc.languageId === 'postgresql-conf') walkthroughDone('linted');
    } catch (e) {
      this.log.error(`linting ${doc.uri.fsPath || key} failed`, e);
    }
  }

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.versions.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.subscriptions.forEach((s) => {
      s.dispose();
    });
    this.collection.dispose();
  }
}
