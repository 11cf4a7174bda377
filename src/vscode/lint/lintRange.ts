// Core ranges (1-based, end column exclusive) as VS Code ranges (0-based).
import * as vscode from 'vscode';
import type { SourceRange } from '../../core/lint/finding';

export function toRange(r: SourceRange): vscode.Range {
  const endCharacter = r.endLine === r.line ? Math.max(r.endColumn, r.column) : r.endColumn;
  return new vscode.Range(r.line - 1, r.column - 1, r.endLine - 1, endCharacter - 1);
}
