// Plans people bring: a file (JSON or psql's text), the clipboard, or the active editor.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { planDocFromText } from '../../core/explain/planDoc';
import type { PlanDoc } from '../../core/explain/planDoc';

/** Parses, or says in one sentence why the text is not a plan (the error reaches the person once, via ctx). */
export const docFromText = planDocFromText;

export async function pickPlanFile(title: string): Promise<PlanDoc | undefined> {
  const [uri] =
    (await vscode.window.showOpenDialog({
      title,
      canSelectMany: false,
      filters: { 'PostgreSQL plans': ['json', 'txt', 'plan', 'sql', 'log'], 'All files': ['*'] },
    })) ?? [];
  if (!uri) return undefined;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  return docFromText(text, basename(uri.fsPath));
}

/** The active editor's text when it is a plan, the clipboard's, or a file. */
export async function pickPlan(): Promise<PlanDoc | undefined> {
  const editor = vscode.window.activeTextEditor;
  type Item = vscode.QuickPickItem & { from: 'editor' | 'clipboard' | 'file' };
  const items: Item[] = [
    { label: '$(file) Open a plan file…', description: 'EXPLAIN (FORMAT JSON) output or the text psql prints', from: 'file' },
    { label: '$(clippy) Paste from the clipboard', from: 'clipboard' },
  ];
  if (editor) items.unshift({ label: '$(edit) The active editor', description: basename(editor.document.fileName), from: 'editor' });
  const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Which plan?' });
  if (!pick) return undefined;
  if (pick.from === 'file') return pickPlanFile('Open a plan');
  if (pick.from === 'clipboard') return docFromText(await vscode.env.clipboard.readText(), 'Pasted plan');
  const doc = editor!.document;
  return docFromText(editor!.selection.isEmpty ? doc.getText() : doc.getText(editor!.selection), basename(doc.fileName));
}
