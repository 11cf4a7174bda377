// Registers config-file linting: diagnostics, Quick Fixes and "fix all recommendations", hover,
// completion, pgdba.lintFile and pgdba.writeTunedConfig. Cheap: the core loads on first use.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { LINT_LANGUAGES } from '../../core/lint/lintLanguages';
import { LintDiagnostics } from './lintDiagnostics';
import { lintEnvironment } from './lintEnvironment';
import { LintCodeActions } from './lintCodeActions';
import { LintCompletion, LintHover } from './lintLanguage';
import { lintFileCommand, writeTunedConfig } from './lintCommands';

export function registerLint(ctx: Ctx): LintDiagnostics {
  const selector = LINT_LANGUAGES.map((l) => ({ language: l.id }));
  const env = lintEnvironment(ctx);
  const diagnostics = new LintDiagnostics(env, ctx.log);
  ctx.push(
    diagnostics,
    vscode.languages.registerCodeActionsProvider(selector, new LintCodeActions(diagnostics), { providedCodeActionKinds: LintCodeActions.kinds }),
    vscode.languages.registerHoverProvider(selector, new LintHover(env)),
    vscode.languages.registerCompletionItemProvider(selector, new LintCompletion(env), '=', ' ', '['),
  );
  ctx.registerCommand('lintFile', lintFileCommand(diagnostics));
  ctx.registerCommand('writeTunedConfig', writeTunedConfig);
  return diagnostics;
}
