// A Diagnostic that keeps the core finding it shows, so Quick Fixes and fix-all read the finding's
// fix from the diagnostic itself. VS Code hands code actions the very objects put in the
// collection. Imports no core code at run time: it is loaded with activation.
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../core/lint/finding';
import { toRange } from './lintRange';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class FindingDiagnostic extends vscode.Diagnostic {
  constructor(readonly finding: Finding) {
    super(toRange(finding), finding.message, SEVERITY[finding.severity]);
    this.source = 'pgdba';
    this.code = finding.code;
  }
}
