// A plan's report (the explain command's output, the agents' explain tool): JSON ({summary, nodes, insights}) or a terminal summary.
import type { Insight } from './insightTypes';
import { percent } from './percent';
import type { Plan, PlanNode } from './planTypes';
import { terminalJson, terminalText } from '../terminalText';

const ms = (v: number | undefined): string => (v === undefined ? '–' : `${v.toFixed(3)} ms`);

/** The nodes without the raw property bag: what a script needs. */
function nodeSummary(n: PlanNode) {
  const { props: _props, ...rest } = n;
  return rest;
}

export function formatPlanReport(plan: Plan, insights: Insight[], format: 'text' | 'json', notices: string[] = []): string {
  if (format === 'json') {
    return `${terminalJson({ summary: plan.summary, nodes: plan.nodes.map(nodeSummary), insights, notices })}\n`;
  }
  const s = plan.summary;
  const b = s.totalBuffers;
  const lines: string[] = [];
  for (const n of notices) lines.push(`note: ${n}`);
  lines.push(
    `${s.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN (estimates only)'}: ${s.nodeCount} nodes; planning ${ms(s.planningMs)}, execution ${ms(s.executionMs)}`,
    `buffers: shared hit=${b.sharedHit} read=${b.sharedRead} dirtied=${b.sharedDirtied} written=${b.sharedWritten}; temp read=${b.tempRead} written=${b.tempWritten}`,
  );
  if (s.analyzed) {
    const top = [...plan.nodes].sort((a, z) => z.exclusiveMs - a.exclusiveMs).slice(0, 3);
    lines.push('slowest nodes (exclusive time):');
    for (const n of top) lines.push(`  #${n.id} ${n.label}: ${ms(n.exclusiveMs)}${total(s.executionMs, n.exclusiveMs)}`);
  }
  if (insights.length === 0) lines.push('no insights: nothing in this plan crosses a threshold');
  for (const i of insights) {
    lines.push('', `${i.severity.toUpperCase()} #${i.nodeId} ${i.title}`, `  ${i.why}`);
    for (const l of i.action.text.split('\n')) lines.push(`  ${i.action.kind === 'note' ? '' : '> '}${l}`);
  }
  return `${terminalText(lines.join('\n'), { lines: true })}\n`;
}

function total(all: number | undefined, part: number): string {
  return all ? ` (${percent(part, all, 0)})` : '';
}
