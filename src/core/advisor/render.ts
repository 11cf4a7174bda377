// The advisor's report as text for a terminal (and as Markdown for VS Code): each suggestion with the statements it speeds
// up and by how much, then its CREATE INDEX CONCURRENTLY; what was not advised, and why.
import { toMarkdownTable } from '../markdownTable';
import { fence } from '../health/render';
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

/** The report as Markdown (VS Code's document): the statements of each suggestion in a table, its SQL fenced. */
export function renderAdviceMarkdown(r: AdvisorReport, title: string): string {
  const out: string[] = [`# Index advice: ${title}`, ''];
  out.push(
    r.verified
      ? 'Every suggestion was proved with a hypothetical index (HypoPG): cost ≥ 100, falling ≥ 50%.'
      : `**Not verified:** ${r.install ?? 'HypoPG is not installed.'}`,
    '',
  );
  if (r.suggestions.length === 0) out.push('No index to suggest.', '');
  for (const s of r.suggestions) {
    out.push(`## ${s.verified ? 'Suggested' : 'Candidate (not verified)'}: ${s.id}`, '');
    out.push(
      toMarkdownTable(
        ['Statement', 'Calls', 'Cost now', 'With the index', 'Falls by'],
        s.statements.map((st) => ({
          Statement: one(st.query, 120),
          Calls: st.calls,
          'Cost now': st.costBefore,
          'With the index': st.costAfter ?? 'not verified',
          'Falls by': st.fallPct !== undefined ? `${st.fallPct}%` : '',
        })),
      ),
      fence(s.sql, 'sql'),
      '',
    );
  }
  const rest = r.examined.filter((e) => e.outcome !== 'suggested' && e.outcome !== 'candidate');
  if (rest.length)
    out.push(
      '## Not advised',
      '',
      toMarkdownTable(
        ['Statement', 'Why'],
        rest.map((e) => ({ Statement: one(e.query, 100), Why: e.reason })),
      ),
    );
  return out.join('\n');
}
