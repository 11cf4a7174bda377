// The advisor's report as text for a terminal: each suggestion with the statements it speeds
// up and by how much, then its CREATE INDEX CONCURRENTLY; what was not advised, and why.
import type { AdvisorReport } from './types';

const one = (q: string, max = 100) => {
  const s = q.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

export function renderAdviceText(r: AdvisorReport): string {
  const out: string[] = [];
  out.push(
    r.verified
      ? `HypoPG ${r.hypopg.state === 'installed' ? r.hypopg.version : ''}: every suggestion below was proved with a hypothetical index (cost ≥ 100, falling ≥ 50%).`
      : `Not verified: ${r.install ?? 'HypoPG is not installed.'}`,
    '',
  );
  if (r.suggestions.length === 0) out.push('No index to suggest.', '');
  for (const s of r.suggestions) {
    out.push(`${s.verified ? 'Suggested' : 'Candidate (not verified)'}: ${s.id}`);
    for (const st of s.statements)
      out.push(
        st.costAfter !== undefined
          ? `  cost ${st.costBefore} → ${st.costAfter} (−${st.fallPct}%), ${st.calls} calls: ${one(st.query)}`
          : `  cost ${st.costBefore}, ${st.calls} calls: ${one(st.query)}`,
      );
    out.push('', ...s.sql.split('\n').map((l) => `  ${l}`), '');
  }
  const rest = r.examined.filter((e) => e.outcome !== 'suggested' && e.outcome !== 'candidate');
  if (rest.length) {
    out.push('Not advised:');
    for (const e of rest) out.push(`  ${one(e.query, 70)}: ${e.reason}`);
    out.push('');
  }
  return out.join('\n');
}
