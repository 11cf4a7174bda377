// pgdba.lintFile: lint the active config file now (or one picked from disk) and say what was
// found. pgdba.writeTunedConfig: a tuned postgresql.conf block for the hardware profile, in a new
// untitled document.
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import { LintDiagnostics } from './lintDiagnostics';

export const lintFile: CommandFactory = (ctx) => async (arg?: unknown) => {
  let doc = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg) : vscode.window.activeTextEditor?.document;
  if (!doc || !LintDiagnostics.isLintable(doc)) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Lint',
      filters: { 'PostgreSQL and PgBouncer config': ['conf', 'ini'] },
    });
    if (!picked?.[0]) return undefined;
    doc = await vscode.workspace.openTextDocument(picked[0]);
    await vscode.window.showTextDocument(doc);
  }
  if (!LintDiagnostics.isLintable(doc)) {
    void vscode.window.showWarningMessage(`${doc.fileName} is not a postgresql*.conf, pg_hba*.conf or pgbouncer*.ini file; set its language mode to lint it.`);
    return undefined;
  }
  const findings = await ctx.lint.lintNow(doc);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const summary = findings.length === 0 ? 'no findings' : `${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes`;
  void vscode.window
    .showInformationMessage(`pgdba: ${summary} in ${vscode.workspace.asRelativePath(doc.uri)}`, ...(findings.length ? ['Show Problems'] : []))
    .then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  return findings;
};

export const writeTunedConfig: CommandFactory = (ctx) => async () => {
  const [{ tunedBlock }, { hardwareFor }] = await Promise.all([import('../../core/lint/confHardwareRules'), import('./lintEngine')]);
  const profile = hardwareFor(ctx.config, true);
  if (!profile) return undefined;
  const text = tunedBlock(profile, ctx.config.hardware.maxConnections ?? profile.maxConnections ?? 100);
  const doc = await vscode.workspace.openTextDocument({ language: 'postgresql-conf', content: text });
  await vscode.window.showTextDocument(doc);
  return doc;
};
