// Registers config-file linting: diagnostics, Quick Fixes and "fix all recommendations", hover,
// completion, pgdba.lintFile and pgdba.writeTunedConfig. Cheap: the core loads on first use.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { LINT_LANGUAGES, LintDiagnostics } from './lintDiagnostics';
import { LintCodeActions } from './lintCodeActions';
import { LintCompletion, LintHover } from './lintLanguage';
import { lintFileCommand, writeTunedConfig } from './lintCommands';

export function registerLint(ctx: Ctx): LintDiagnostics {
  const selector = LINT_LANGUAGES.map((language) => ({ language }));
  const diagnostics = new LintDiagnostics(ctx);
  ctx.push(
    diagnostics,
    vscode.languages.registerCodeActionsProvider(selector, new LintCodeActions(diagnostics), { providedCodeActionKinds: LintCodeActions.kinds }),
    vscode.languages.registerHoverProvider(selector, new LintHover(ctx)),
    vscode.languages.registerCompletionItemProvider(selector, new LintCompletion(ctx), '=', ' ', '['),
  );
  ctx.registerCommand('lintFile', lintFileCommand(diagnostics));
  ctx.registerCommand('writeTunedConfig', writeTunedConfig);
  return diagnostics;
}
