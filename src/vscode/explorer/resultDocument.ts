// Read-only documents for "Open as Table" and a log's lines read over a hop or through SQL: a content provider owns the text, so the editor
// shows it but nobody can save it over a file. The newest MAX_KEPT texts are kept (a table of
// pg_settings is ~100 kB; a long session opens many). Not dropped on close: changing a document's
// language closes and reopens it, and VS Code may ask for the text again later.
import * as vscode from 'vscode';
import { toMarkdownTable } from '../../core/markdownTable';
import type { ResultTable } from './node';

export const RESULT_SCHEME = 'pgdba-result';
const MAX_KEPT = 20;

export class ResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  /** path → text, oldest first (a Map keeps insertion order). */
  private readonly docs = new Map<string, string>();
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.path) ?? 'This result is no longer kept: run Open as Table again.\n';
  }

  /** How many texts are held (the e2e test checks the bound). */
  get size(): number {
    return this.docs.size;
  }

  async open(t: ResultTable, sql?: string): Promise<void> {
    const header = `# ${t.title}\n\n${t.rows.length} row${t.rows.length === 1 ? '' : 's'}, read ${new Date().toISOString()}\n\n`;
    const sqlBlock = sql ? `\n\`\`\`sql\n${sql}\n\`\`\`\n` : '';
    await this.show(`${t.title}.md`, header + toMarkdownTable(t.columns, t.rows) + sqlBlock, 'markdown');
  }

  /** A read-only document of `text`, named after `title`, the cursor at `line` (0-based). */
  async show(title: string, text: string, language: string, line = 0): Promise<void> {
    const name = `/${++this.counter}-${title.replace(/[^\w.-]+/g, '-')}`;
    this.docs.set(name, text);
    for (const old of this.docs.keys()) {
      if (this.docs.size <= MAX_KEPT) break;
      this.docs.delete(old);
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: RESULT_SCHEME, path: name }));
    await vscode.languages.setTextDocumentLanguage(doc, language);
    const at = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(doc, { preview: true, selection: new vscode.Range(at, at) });
  }

  dispose(): void {
    this.docs.clear();
  }
}
