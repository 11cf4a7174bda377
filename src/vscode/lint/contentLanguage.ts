// A .conf or .ini file the file name patterns miss opens as `properties` or `ini`; when its first
// lines say it is a postgresql.conf, pg_hba.conf or pgbouncer.ini (the core's classifier, as the
// CLI uses it), it gets the pgdba language, and so diagnostics, hover and completion. Once per
// document and window: a person who sets the language back keeps their choice (VS Code reports a
// language change as a close and an open).
import * as vscode from 'vscode';
import { extname } from 'node:path';
import { CONTENT_CLASSIFIED_LANGUAGES, classifyConfText } from '../../core/lint/confClassifier';
import { languageOfType } from '../../core/lint/lintLanguages';

const EXTENSIONS = new Set(['.conf', '.ini']);
const FROM: ReadonlySet<string> = new Set<string>(CONTENT_CLASSIFIED_LANGUAGES);

export function registerContentLanguage(): vscode.Disposable {
  const decided = new Set<string>();
  const consider = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    if (!FROM.has(doc.languageId) || !EXTENSIONS.has(extname(doc.uri.path).toLowerCase()) || decided.has(key)) return;
    decided.add(key);
    const type = classifyConfText(doc.getText());
    if (type) void vscode.languages.setTextDocumentLanguage(doc, languageOfType(type).id);
  };
  vscode.workspace.textDocuments.forEach(consider);
  return vscode.workspace.onDidOpenTextDocument(consider);
}
