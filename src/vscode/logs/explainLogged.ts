// "Explain" on a logged statement's worst sample: its logged parameters written in as literals
// (core/logs/boundStatement.ts), planned on the connection the person picks with the safety rules
// of Explain from the editor (core/explain/run.ts: refusals, DML inside BEGIN … ROLLBACK). A text
// with $n and no usable parameters gets a generic plan (16+), said so.
import * as vscode from 'vscode';
import { boundSample, type StatementGroup } from '../../core/logs';
import { runExplain } from '../../core/explain/run';
import { DEFAULT_OPTIONS } from '../../core/explain/explainOptions';
import { planDocOf } from '../../core/explain/planDoc';
import { describeProfile, type ConnectionProfile } from '../../core/db/profile';
import type { Ctx } from '../ctx';
import { PlanPanel } from '../explain/planPanel';

export async function explainLoggedStatement(ctx: Ctx, group: StatementGroup, preferred?: ConnectionProfile): Promise<void> {
  const all = ctx.connections.profiles();
  const ordered = preferred ? [preferred, ...all.filter((p) => p.name !== preferred.name)] : all;
  const profile =
    ordered.length === 1
      ? ordered[0]
      : (
          await vscode.window.showQuickPick(
            ordered.map((p) => ({ label: p.name, description: describeProfile(p), profile: p })),
            { placeHolder: 'Explain the worst sample on which connection?' },
          )
        )?.profile;
  if (!profile) return;
  const { sql, note } = boundSample(group.worst);
  const generic = note !== undefined;
  let analyze = false;
  if (!generic) {
    const how = await vscode.window.showQuickPick(
      [
        { label: 'Explain', description: 'estimates only: the statement does not run', analyze: false },
        { label: 'Explain Analyze', description: 'runs it; a statement that writes runs inside BEGIN … ROLLBACK', analyze: true },
      ],
      { placeHolder: `${group.worst.durationMs} ms sample${group.worst.parameters ? ' with its logged parameters' : ''}` },
    );
    if (!how) return;
    analyze = how.analyze;
  }
  const database = group.worst.database ?? profile.database;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} on ${profile.name}/${database}…`, cancellable: true },
    (_p, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return ctx.connections.use(
        profile,
        (pool) => runExplain(pool, sql, { ...DEFAULT_OPTIONS, analyze, genericPlan: generic, timeoutMs: ctx.config.explainTimeoutMs, signal: abort.signal }),
        database,
      );
    },
  );
  if (!result.ok) {
    ctx.log.info(`log panel explain on ${profile.name}: ${result.kind}: ${result.message}`);
    void (result.kind === 'refused' || result.kind === 'cancelled' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage)(result.message);
    return;
  }
  const notices = generic ? [`A generic plan (EXPLAIN (GENERIC_PLAN), 16+): ${note}; estimates are for any value.`, ...result.notices] : result.notices;
  const title = `${analyze ? 'Explain Analyze' : 'Explain'} — ${profile.name}/${database} (PostgreSQL ${result.major})`;
  PlanPanel.show(ctx, { type: 'show', doc: planDocOf(result.planJson, title, sql, notices) });
  if (notices.length > 0) void vscode.window.showInformationMessage(notices[0]!);
}
