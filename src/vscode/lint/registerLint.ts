// Registers config-file linting's providers: Quick Fixes and "fix all recommendations", hover and
// completion over the diagnostics service (ctx.lint). Cheap: the core loads on first use.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { LINT_LANGUAGES } from './lintDiagnostics';
import { LintCodeActions } from './lintCodeActions';
import { LintCompletion, LintHover } from './lintLanguage';

export function registerLint(ctx: Ctx): void {
  const selector = LINT_LANGUAGES.map((language) => ({ language }));
  ctx.push(
    vscode.languages.registerCodeActionsProvider(selector, new LintCodeActions(ctx.lint), { providedCodeActionKinds: LintCodeActions.kinds }),
    vscode.languages.registerHoverProvider(selector, new LintHover(ctx)),
    vscode.languages.registerCompletionItemProvider(selector, new LintCompletion(ctx), '=', ' ', '['),
  );
}
