// Explain (Analyze) the selection or the statement under the cursor on a chosen connection:
// a progress notification whose Cancel sends a real cancel, the server's syntax error marked
// in the editor, refusals and notices in words.
import * as vscode from 'vscode';
import { statementAt } from '../../core/explain/sqlLexer';
import { runExplain } from '../../core/explain/run';
import { DEFAULT_OPTIONS } from '../../core/explain/explainOptions';
import { planDocOf } from '../../core/explain/planDoc';
import type { PlanDoc } from '../../core/explain/planDoc';
import type { Ctx } from '../ctx';
import { pickProfile } from '../pickProfile';
import { PlanPanel } from './planPanel';

/** ctx.explainRuns: created on the first Explain, its error marks live as long as the window. */
export class ExplainRunner {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('pgdba-explain');

  constructor(private readonly ctx: Ctx) {
    ctx.push(this.diagnostics);
    // A stale error mark goes away as soon as the text changes.
    ctx.push(vscode.workspace.onDidChangeTextDocument((e) => this.diagnostics.delete(e.document.uri)));
  }

  /** Returns the plan shown (for callers and tests), or undefined when nothing ran. */
  async run(analyze: boolean, arg?: unknown): Promise<PlanDoc | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showWarningMessage('Open a .sql file and put the cursor in the query to explain.');
      return;
    }
    const doc = editor.document;
    const text = doc.getText();
    let start: number;
    let sql: string;
    if (!editor.selection.isEmpty) {
      start = doc.offsetAt(editor.selection.start);
      sql = doc.getText(editor.selection);
    } else {
      const st = statementAt(text, doc.offsetAt(editor.selection.active));
      if (!st) {
        void vscode.window.showWarningMessage('There is no SQL statement under the cursor.');
        return;
      }
      start = st.start;
      sql = st.text;
    }
    const profile = await pickProfile(this.ctx, arg);
    if (!profile) return;
    this.diagnostics.delete(doc.uri);
    const what = analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN';
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${what} on ${profile.name}…`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return this.ctx.connections.use(profile, (pool) =>
          runExplain(pool, sql, { ...DEFAULT_OPTIONS, analyze, timeoutMs: this.ctx.config.explainTimeoutMs, signal: abort.signal }),
        );
      },
    );
    if (!result.ok) {
      if (result.kind === 'sql-error' && result.position !== undefined) {
        // The server's position, counted from the statement's first character.
        const at = doc.positionAt(start + result.position);
        const range = doc.getWordRangeAtPosition(at) ?? new vscode.Range(at, at.translate(0, 1));
        const d = new vscode.Diagnostic(range, result.message, vscode.DiagnosticSeverity.Error);
        d.source = 'pgdba explain';
        this.diagnostics.set(doc.uri, [d]);
        editor.selection = new vscode.Selection(range.start, range.end);
        editor.revealRange(range);
      }
      this.ctx.log.info(`${what} on ${profile.name}: ${result.kind}: ${result.message}`);
      const show = result.kind === 'refused' || result.kind === 'cancelled' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
      void show(result.message);
      return;
    }
    for (const n of result.notices) this.ctx.log.info(n);
    const title = `${analyze ? 'Explain Analyze' : 'Explain'} — ${profile.name} (PostgreSQL ${result.major})`;
    const planDoc = planDocOf(result.planJson, title, sql, result.notices);
    PlanPanel.show(this.ctx, { type: 'show', doc: planDoc });
    if (result.notices.length > 0) void vscode.window.showInformationMessage(result.notices[0]!);
    return planDoc;
  }
}
