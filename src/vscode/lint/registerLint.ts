// Registers config-file linting's providers over the diagnostics service (ctx.lint): Quick Fixes
// and "fix all recommendations", hover, completion. Cheap: the core loads on first use.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { LINT_LANGUAGES } from '../../core/lint/lintLanguages';
import { lintEnvironment } from './lintEnvironment';
import { LintCodeActions } from './lintCodeActions';
import { LintCompletion, LintHover } from './lintLanguage';
import { registerContentLanguage } from './contentLanguage';
import { IncludeLinks } from './includeLinks';

export function registerLint(ctx: Ctx): void {
  const selector = LINT_LANGUAGES.map((l) => ({ language: l.id }));
  const env = lintEnvironment(ctx);
  ctx.push(
    vscode.languages.registerCodeActionsProvider(selector, new LintCodeActions(ctx.lint), { providedCodeActionKinds: LintCodeActions.kinds }),
    vscode.languages.registerHoverProvider(selector, new LintHover(env)),
    vscode.languages.registerCompletionItemProvider(selector, new LintCompletion(env), '=', ' ', '['),
    registerContentLanguage(),
    vscode.languages.registerDocumentLinkProvider({ language: 'postgresql-conf' }, new IncludeLinks()),
  );
}
