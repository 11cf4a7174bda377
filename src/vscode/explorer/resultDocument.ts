// Read-only documents for "Open as Table": a content provider owns the text, so the editor
// shows it but nobody can save it over a file.
import * as vscode from 'vscode';
import { toMarkdownTable } from '../../core/markdownTable';
import type { ResultTable } from './node';

export const RESULT_SCHEME = 'pgdba-result';

export class ResultDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.path) ?? '';
  }

  async open(t: ResultTable, sql?: string): Promise<void> {
    const name = `/${++this.counter}-${t.title.replace(/[^\w.-]+/g, '-')}.md`;
    const header = `# ${t.title}\n\n${t.rows.length} row${t.rows.length === 1 ? '' : 's'}, read ${new Date().toISOString()}\n\n`;
    const sqlBlock = sql ? `\n\`\`\`sql\n${sql}\n\`\`\`\n` : '';
    this.docs.set(name, header + toMarkdownTable(t.columns, t.rows) + sqlBlock);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: RESULT_SCHEME, path: name }));
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}
