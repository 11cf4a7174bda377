// A report row's log lines: a file on this machine opens in an editor at its line; a file over
// the SSH hop or through SQL is read through its source from the start up to the entry (bounded:
// the lines before it are only counted) and its lines shown in a read-only document.
import * as vscode from 'vscode';
import { isAbsolute } from 'node:path';
import { readLines } from '../../core/logs/lineReader';
import type { LogSource } from '../../core/logs';
import { emptyProblems } from '../../core/logs/types';
import type { ResultDocuments } from '../explorer/resultDocument';

const BEFORE = 3;
const AFTER = 40;

export async function openLogLine(source: LogSource, line: number, signal: AbortSignal, results: ResultDocuments): Promise<void> {
  if (isAbsolute(source.label)) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(source.label));
    const at = new vscode.Position(Math.min(line - 1, doc.lineCount - 1), 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), preview: true });
    return;
  }
  const stat = await source.stat();
  if (!stat) throw new Error(`${source.label} is gone (rotated away?): Refresh the panel.`);
  const kept: string[] = [];
  const first = Math.max(1, line - BEFORE);
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  try {
    await readLines(source, { from: 0, size: stat.size, firstLine: 1, signal: both }, emptyProblems(), (text, n) => {
      if (n < first) return;
      kept.push(text);
      if (n >= line + AFTER) stop.abort();
    });
  } catch (e) {
    if (!stop.signal.aborted) throw e;
  }
  if (kept.length === 0) throw new Error(`${source.label} has no line ${line} any more (rotated or truncated?): Refresh the panel.`);
  const header = `# ${source.label}, lines ${first}–${first + kept.length - 1}\n`;
  // Read-only: closing it asks nothing, and it cannot be saved over a file by mistake.
  await results.show(`${source.label.slice(source.label.lastIndexOf('/') + 1)}-${line}.log`, header + kept.join('\n') + '\n', 'log', 1 + line - first);
}
