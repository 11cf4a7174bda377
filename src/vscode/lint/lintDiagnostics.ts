// Diagnostics for postgresql.conf, pg_hba.conf and pgbouncer.ini documents: on open, on save,
// while typing (debounced), cleared on close. Keeps each document's findings for the code actions.
import * as vscode from 'vscode';
import type { Finding } from '../../core/lint/finding';
import type { Ctx } from '../ctx';

export const LINT_LANGUAGES = ['postgresql-conf', 'pg-hba-conf', 'pgbouncer-ini'] as const;
const DEBOUNCE_MS = 300;

const engine = () => import('./lintEngine');

export class LintDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('pgdba');
  private readonly findings = new Map<string, Finding[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly versions = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      // A saved pg_hba.conf or postgresql.conf changes what its neighbours are checked against.
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (LintDiagnostics.isLintable(d)) this.relintAll();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    );
    this.subscriptions.push(
      ctx.onConfigChange(() => this.relintAll()),
      // The active server's major and running values are part of what a file is linted against.
      ctx.activeServer.onDidChange(() => this.relintAll()),
    );
    // Documents already open when the extension activated; after activate() returns.
    setTimeout(() => this.relintAll(), 0);
  }

  static isLintable(doc: vscode.TextDocument): boolean {
    return (LINT_LANGUAGES as readonly string[]).includes(doc.languageId);
  }

  /** Findings of the last lint of a document, for code actions. */
  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.findings.get(uri.toString()) ?? [];
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
      const { lintDocument, toDiagnostic } = await engine();
      const found = await lintDocument(doc, this.ctx.lintConfig, this.ctx.lintRunningValues);
      // A newer edit started its own run meanwhile, or the document closed: drop this result.
      if (doc.isClosed || this.versions.get(key) !== version) return;
      this.findings.set(key, found);
      this.collection.set(doc.uri, found.map(toDiagnostic));
    } catch (e) {
      this.ctx.log.error(`linting ${doc.uri.fsPath || key} failed`, e);
    }
  }

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.versions.delete(key);
    this.findings.delete(key);
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
