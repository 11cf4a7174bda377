// Quick Fixes from each finding's fix (the core's edit: the value only, the comment kept) and a
// "fix all recommendations" source action applying every hardware recommendation of the file.
import * as vscode from 'vscode';
import type { Finding } from '../../core/lint/finding';
import type { LintDiagnostics } from './lintDiagnostics';
import { FindingDiagnostic } from './findingDiagnostic';
import { toRange as rangeOf } from './lintRange';

/** Code of the hardware recommendations (PGC200 in src/core/lint/confHardwareRules.ts). */
const RECOMMENDATION_CODE = 'PGC200';
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('pgdba');

export class LintCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND];

  constructor(private readonly diagnostics: LintDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const findings = this.diagnostics.findingsFor(doc.uri);
    const recs = findings.filter((f): f is Finding & { fix: NonNullable<Finding['fix']> } => f.code === RECOMMENDATION_CODE && f.fix !== undefined);
    const fixAll = (kind: vscode.CodeActionKind) => {
      const all = new vscode.CodeAction(`Apply all ${recs.length} hardware recommendations`, kind);
      all.edit = new vscode.WorkspaceEdit();
      for (const f of recs) all.edit.replace(doc.uri, rangeOf(f.fix.range), f.fix.newText);
      return all;
    };
    const actions: vscode.CodeAction[] = [];
    if (!context.only || context.only.contains(vscode.CodeActionKind.QuickFix)) {
      let recommendationHere = false;
      for (const diag of context.diagnostics) {
        if (!(diag instanceof FindingDiagnostic)) continue;
        const f = diag.finding;
        if (!f.fix) continue;
        const action = new vscode.CodeAction(f.fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, rangeOf(f.fix.range), f.fix.newText);
        action.diagnostics = [diag];
        action.isPreferred = true;
        actions.push(action);
        recommendationHere ||= f.code === RECOMMENDATION_CODE;
      }
      if (recommendationHere && recs.length > 1) actions.push(fixAll(vscode.CodeActionKind.QuickFix));
    }
    if (recs.length > 0 && context.only && (context.only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(context.only))) actions.push(fixAll(FIX_ALL_KIND));
    return actions;
  }
}
