// The explain commands: factories for ctx.registerCommand.
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import { PlanPanel } from './planPanel';
import { pickPlan, pickPlanFile } from './planSource';

export const explainAnalyze: CommandFactory = (ctx) => (arg?: unknown) => ctx.explainRuns.run(true, arg);

export const explain: CommandFactory = (ctx) => (arg?: unknown) => ctx.explainRuns.run(false, arg);

/** Resolves to the doc it shows (the e2e suite reads it), as Explain does. */
export const openPlan: CommandFactory = (ctx) => async () => {
  const doc = await pickPlan();
  if (doc) PlanPanel.show(ctx, { type: 'show', doc });
  return doc;
};

export const comparePlans: CommandFactory = (ctx) => async () => {
  const left = await pickPlanFile('First plan (before)');
  if (!left) return;
  const right = await pickPlanFile('Second plan (after)');
  if (!right) return;
  PlanPanel.show(ctx, { type: 'compare', left, right });
  void vscode.window.setStatusBarMessage(`pgdba: comparing ${left.title} with ${right.title}`, 3000);
};
