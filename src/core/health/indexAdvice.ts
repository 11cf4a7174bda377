// The index advisor as a check of its own (monthly, before the plans): each suggestion a finding
// with the statements it speeds up, by how much, and the CREATE INDEX CONCURRENTLY; a warning
// when HypoPG proved it, info when it is a candidate not verified (with how to install HypoPG).
// It is the report's one source of index DDL: the plans of the top queries and the tables read by
// sequential scans offer its suggestion for their table (adviceFix.ts), never an index of their own.
import { adviseIndexes, topAdvisorInputs } from '../advisor/advise';
import { MIN_COST, MIN_FALL, type AdvisorReport, type IndexSuggestion } from '../advisor/types';
import { guarded, round, type HealthContext } from './context';
import { statementsGate } from './daily';
import { shortQuery } from './names';
import type { Finding } from './types';

function suggestionFinding(s: IndexSuggestion, r: AdvisorReport): Finding {
  const gains = s.statements.map((st) =>
    st.costAfter !== undefined
      ? `${shortQuery(st.query, 120)} (cost ${round(st.costBefore)} → ${round(st.costAfter)}, −${st.fallPct}%)`
      : `${shortQuery(st.query, 120)} (cost ${round(st.costBefore)})`,
  );
  const best = Math.max(0, ...s.statements.map((st) => st.fallPct ?? 0));
  return {
    check: 'index-advice',
    schedule: 'monthly',
    level: s.verified ? 'warning' : 'info',
    subject: s.id,
    observed: s.verified
      ? `speeds up ${s.statements.length} top statement${s.statements.length === 1 ? '' : 's'} by up to ${best}% of plan cost (verified with HypoPG)`
      : `a candidate for ${s.statements.length} top statement${s.statements.length === 1 ? '' : 's'} (not verified)`,
    ...(s.verified ? { value: best, threshold: MIN_FALL * 100 } : {}),
    why: s.verified
      ? `With a hypothetical index the planner's cost falls by at least ${MIN_FALL * 100}%: ${gains.join('; ')}.`
      : `Read from the statements' filters, joins and ordering: ${gains.join('; ')}. Not verified: ${r.install ?? 'HypoPG is not installed.'}`,
    fix: { kind: 'sql', text: s.sql },
  };
}

export async function indexAdviceCheck(ctx: HealthContext): Promise<Finding[]> {
  return (await indexAdvice(ctx)).findings;
}

/** The check's findings, and the advisor's report for the checks that offer its indexes (none when it could not run). */
export async function indexAdvice(ctx: HealthContext): Promise<{ findings: Finding[]; report?: AdvisorReport }> {
  const gate = statementsGate(ctx, 'index-advice', 'monthly');
  if (gate) return { findings: [gate] };
  let report: AdvisorReport | undefined;
  const findings = await guarded(ctx, 'index-advice', 'monthly', 'Index advice', async () => {
    const s = ctx.statements!;
    const statements = await topAdvisorInputs(ctx.pool, {
      versionNum: ctx.v.versionNum,
      schema: s.schema ?? 'public',
      extVersion: s.installedVersion,
      database: ctx.overview.currentDatabase,
    });
    const r = await adviseIndexes({
      pool: ctx.pool,
      versionNum: ctx.v.versionNum,
      statements,
      explainTimeoutMs: ctx.explainTimeoutMs,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    report = r;
    const out = r.suggestions.map((x) => suggestionFinding(x, r));
    if (out.length === 0)
      out.push({
        check: 'index-advice',
        schedule: 'monthly',
        level: r.verified ? 'ok' : 'info',
        subject: ctx.overview.currentDatabase,
        observed: `no index suggested for ${statements.length} top statement${statements.length === 1 ? '' : 's'}`,
        why: r.verified
          ? `No candidate index lowers a statement of cost ${MIN_COST}+ by ${MIN_FALL * 100}% (checked with hypothetical indexes).`
          : `No statement of cost ${MIN_COST}+ filters on a column without an index. ${r.install ?? ''}`.trim(),
      });
    else if (!r.verified && r.install)
      out.push({
        check: 'index-advice',
        schedule: 'monthly',
        level: 'info',
        subject: 'hypopg',
        observed: r.hypopg.state === 'available' ? 'not created' : 'not installed',
        why: 'The candidates above are not verified: HypoPG proves an index with a hypothetical one before anything is built.',
        fix: { kind: 'note', text: r.install },
      });
    return out;
  });
  return { findings, ...(report ? { report } : {}) };
}
