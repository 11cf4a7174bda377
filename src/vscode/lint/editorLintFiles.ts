// The LintFiles port over the editor: open documents' unsaved texts first, then the disk; a
// neighbour the rules need is an open document of that name (beside the file or anywhere), else
// the file beside it on disk, else the first one found in the workspace. Workspace search is
// asynchronous, so the neighbours are located before the (synchronous) lint starts.
import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import type { LintFiles } from '../../core/lint/lintFiles';
import { languageOfType, type ConfFileType } from '../../core/lint/lintLanguages';
import { nodeConfFileSystem as disk } from '../../core/conf/nodeConfFileSystem';

/** The path a document is linted under: its file path, else its URI. */
export function pathOf(doc: vscode.TextDocument): string {
  return doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
}

export async function editorLintFiles(doc: vscode.TextDocument, needed: readonly ConfFileType[]): Promise<LintFiles> {
  /** Texts read while locating neighbours, by path, so that each is read once. */
  const read = new Map<string, string>();
  const openText = (path: string) =>
    (path === pathOf(doc) ? doc : vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path))?.getText();
  const neighbours = new Map<ConfFileType, string>();
  for (const type of needed) {
    const path = await locate(doc, languageOfType(type).fileName, read);
    if (path !== undefined) neighbours.set(type, path);
  }
  return {
    read: (path) => openText(path) ?? read.get(path) ?? disk.readFile(path),
    // A buffer with no file behind it has no directory to resolve includes against.
    includes:
      doc.uri.scheme === 'file'
        ? { readFile: (path) => openText(path) ?? disk.readFile(path), listDir: (path) => disk.listDir(path), stat: (path) => disk.stat(path) }
        : undefined,
    neighbour: (_path, type) => neighbours.get(type),
  };
}

async function locate(doc: vscode.TextDocument, name: string, read: Map<string, string>): Promise<string | undefined> {
  const beside = doc.uri.scheme === 'file' ? join(dirname(doc.uri.fsPath), name) : undefined;
  const open = vscode.workspace.textDocuments.find(
    (d) => d !== doc && d.uri.scheme === 'file' && (d.uri.fsPath === beside || d.uri.fsPath.endsWith(`/${name}`)),
  );
  if (open) return open.uri.fsPath;
  const text = beside === undefined ? undefined : disk.readFile(beside);
  if (beside !== undefined && text !== undefined) {
    read.set(beside, text);
    return beside;
  }
  const uri = (await vscode.workspace.findFiles(`**/${name}`, '**/node_modules/**', 1))[0];
  if (!uri) return undefined;
  try {
    const path = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    read.set(path, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    return path;
  } catch {
    return undefined; // unreadable neighbour: lint without it
  }
}
