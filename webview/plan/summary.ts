// The strip above the tree: planning, execution, buffers, notices; deltas when comparing.
import type { WireDoc } from '../../src/core/explain/planWire';
import { h } from '../shared/dom';
import { blocks, count, delta, ms } from './format';

function stat(label: string, value: string, extra?: string): HTMLElement {
  return h(
    'div',
    { class: 'stat' },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, value),
    extra ? h('div', { class: 'stat-note' }, extra) : null,
  );
}

export function summaryStrip(doc: WireDoc, base?: WireDoc): HTMLElement {
  const s = doc.summary;
  const b = s.totalBuffers;
  const bb = base?.summary;
  const shared = b.sharedHit + b.sharedRead;
  const warnings = doc.insights.filter((i) => i.severity !== 'info').length;
  return h(
    'div',
    { class: 'summary' },
    s.analyzed
      ? stat('Execution', ms(s.executionMs), bb ? delta(bb.executionMs, s.executionMs, ms, ['faster', 'slower']) : undefined)
      : stat('Total cost', count(s.totalCost), bb ? delta(bb.totalCost, s.totalCost, count) : undefined),
    stat('Planning', ms(s.planningMs), bb ? delta(bb.planningMs, s.planningMs, ms, ['faster', 'slower']) : undefined),
    stat(
      'Shared buffers',
      `${blocks(shared)}`,
      bb ? delta(bb.totalBuffers.sharedHit + bb.totalBuffers.sharedRead, shared, blocks) : `hit ${count(b.sharedHit)} · read ${count(b.sharedRead)}`,
    ),
    b.tempRead + b.tempWritten > 0 || (bb && bb.totalBuffers.tempWritten > 0) ? stat('Temp', blocks(b.tempRead + b.tempWritten)) : null,
    s.jitMs !== undefined ? stat('JIT', ms(s.jitMs)) : null,
    s.triggers.length > 0 ? stat('Triggers', ms(s.triggers.reduce((a, t) => a + t.timeMs, 0))) : null,
    stat('Nodes', count(s.nodeCount)),
    stat(
      'Insights',
      warnings > 0 ? `${warnings} to act on` : doc.insights.length > 0 ? `${doc.insights.length} note${doc.insights.length > 1 ? 's' : ''}` : 'none',
    ),
  );
}
