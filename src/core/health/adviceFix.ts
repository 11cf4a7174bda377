// The index advisor's suggestion as the fix other checks offer (the plans of the top queries, the
// tables read by sequential scans): one path to an index, labelled as proved with HypoPG or not.
import type { AdvisorReport, IndexSuggestion } from '../advisor/types';
import { round } from './context';
import type { Fix } from './types';

/** "verified with HypoPG: cost 993 → 8.3 (−99%)" for the statement (or the suggestion's first), or why it is not verified. */
function proofLabel(s: IndexSuggestion, r: AdvisorReport, query?: string): string {
  if (!s.verified) return `not verified: ${r.install ?? 'HypoPG is not installed'}`;
  const st = s.statements.find((x) => x.query === query) ?? s.statements[0];
  return st?.costAfter !== undefined ? `verified with HypoPG: cost ${round(st.costBefore)} → ${round(st.costAfter)} (−${st.fallPct}%)` : 'verified with HypoPG';
}

/**
 * The advisor's index for a table — first one that serves `query`, else any on the table — as the
 * fix the other checks offer, labelled as proved or not; undefined when the advisor suggests none there.
 */
export function adviceFix(r: AdvisorReport | undefined, schema: string, table: string, query?: string): Fix | undefined {
  const on = (r?.suggestions ?? []).filter((s) => s.schema === schema && s.table === table);
  const s = on.find((x) => x.statements.some((st) => st.query === query)) ?? on[0];
  if (!r || !s) return undefined;
  return { kind: 'sql', text: `-- index advice, ${proofLabel(s, r, query)}\n${s.sql}` };
}

/** What the advisor said of a statement it suggested nothing for ("its plan costs 12, below 100: …"). */
export function adviceReason(r: AdvisorReport | undefined, query: string): string | undefined {
  return r?.examined.find((e) => e.query === query && e.outcome !== 'suggested' && e.outcome !== 'candidate')?.reason;
}
