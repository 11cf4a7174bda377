// "Explain" on a top query: a plain EXPLAIN (estimates, the statement does not run), with
// GENERIC_PLAN on 16+ when pg_stat_statements' text has $n parameters; the plan opens in the
// plan viewer of the explain commands.
import * as vscode from 'vscode';
import { runExplain } from '../../core/explain/run';
import { DEFAULT_OPTIONS } from '../../core/explain/explainOptions';
import { planDocOf } from '../../core/explain/planDoc';
import type { ConnectionProfile } from '../../core/db/profile';
import type { TopQuery } from '../../core/dashboard/topQueries';
import type { Ctx } from '../ctx';
import { PlanPanel } from '../explain/planPanel';

export async function explainTopQuery(ctx: Ctx, profile: ConnectionProfile, q: TopQuery): Promise<void> {
  if (q.notExplainable) {
    void vscode.window.showWarningMessage(`Cannot explain this query: ${q.notExplainable}.`);
    return;
  }
  // pg_stat_statements rows belong to a database: plan the text where it ran.
  const database = q.database ?? profile.database;
  const result = await ctx.connections.use(
    profile,
    (pool) => runExplain(pool, q.query, { ...DEFAULT_OPTIONS, analyze: false, genericPlan: q.generic, timeoutMs: ctx.config.explainTimeoutMs }),
    database,
  );
  if (!result.ok) {
    ctx.log.info(`dashboard explain on ${profile.name}: ${result.kind}: ${result.message}`);
    void vscode.window.showWarningMessage(`EXPLAIN of the top query failed: ${result.message}`);
    return;
  }
  const notices = q.generic
    ? ['A generic plan (EXPLAIN (GENERIC_PLAN)): the $n parameters have no values, so estimates are for any value.', ...result.notices]
    : result.notices;
  const title = `Explain — ${profile.name}/${database} (PostgreSQL ${result.major})`;
  PlanPanel.show(ctx, { type: 'show', doc: planDocOf(result.planJson, title, q.query, notices) });
}
