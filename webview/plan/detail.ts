// The selected node's full detail, and the list of insights.
import type { Insight } from '../../src/core/explain/insightTypes';
import type { WireDoc } from '../../src/core/explain/planWire';
import type { Buffers, PlanNode } from '../../src/core/explain/planTypes';
import { h } from '../shared/dom';
import { blocks, count, ms } from './format';
import { percent } from '../../src/core/explain/percent';

export type Copy = (text: string) => void;

export function insightCard(i: Insight, copy: Copy, onPick?: (nodeId: number) => void): HTMLElement {
  const title = h('div', { class: 'insight-title' }, h('span', { class: `badge ${i.severity}` }, i.severity === 'info' ? 'i' : '!'), i.title);
  if (onPick) {
    title.classList.add('link');
    title.addEventListener('click', () => onPick(i.nodeId));
  }
  const action = h('div', { class: `action ${i.action.kind}` });
  if (i.action.kind === 'note') action.append(i.action.text);
  else {
    const button = h('button', { class: 'copy', title: 'Copy to the clipboard' }, 'Copy');
    button.addEventListener('click', () => copy(i.action.text));
    action.append(h('pre', null, i.action.text), button);
  }
  return h('div', { class: `insight ${i.severity}` }, title, h('div', { class: 'why' }, i.why), action);
}

function bufferTable(b: Buffers): HTMLElement {
  const row = (name: string, hit: number, read: number, dirtied: number, written: number) =>
    h('tr', null, h('th', null, name), h('td', null, count(hit)), h('td', null, count(read)), h('td', null, count(dirtied)), h('td', null, count(written)));
  return h(
    'table',
    { class: 'buffers' },
    h('tr', null, h('th', null, ''), h('th', null, 'hit'), h('th', null, 'read'), h('th', null, 'dirtied'), h('th', null, 'written')),
    row('shared', b.sharedHit, b.sharedRead, b.sharedDirtied, b.sharedWritten),
    row('local', b.localHit, b.localRead, b.localDirtied, b.localWritten),
    row('temp', 0, b.tempRead, 0, b.tempWritten),
  );
}

const kv = (k: string, v: string | Node) => h('tr', null, h('th', null, k), h('td', null, v));

function valueText(v: unknown): string {
  if (Array.isArray(v)) return v.map(valueText).join(', ');
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

export function nodeDetail(doc: WireDoc, n: PlanNode, copy: Copy): HTMLElement {
  const analyzed = doc.summary.analyzed;
  const figures = h('table', { class: 'figures' });
  if (analyzed) {
    const total = doc.summary.executionMs ?? 0;
    figures.append(
      kv('Exclusive', `${ms(n.exclusiveMs)}${total ? ` (${percent(n.exclusiveMs, total)})` : ''}`),
      kv('Inclusive', ms(n.inclusiveMs)),
      kv('Actual time / loop', n.neverExecuted ? 'never executed' : `${ms(n.actualStartupMs)} … ${ms(n.actualTotalMs)}`),
      kv('Loops', count(n.actualLoops)),
      kv('Rows / loop', `${count(n.actualRows)} actual, ${count(n.planRows)} estimated`),
    );
    if (n.estimateFactor !== undefined && n.estimateDirection !== 'exact') {
      figures.append(kv('Estimate', `${n.estimateFactor.toFixed(1)}× ${n.estimateDirection}-estimated`));
    }
  } else figures.append(kv('Rows', `${count(n.planRows)} estimated`));
  figures.append(kv('Cost', `${n.startupCost ?? '–'} … ${n.totalCost ?? '–'}`));
  if (n.workersPlanned !== undefined) figures.append(kv('Workers', `${n.workersLaunched ?? '–'} launched of ${n.workersPlanned} planned`));
  if (n.io)
    figures.append(
      kv(
        'I/O time',
        `read ${ms(n.io.readMs)}, write ${ms(n.io.writeMs)}${n.io.tempReadMs || n.io.tempWriteMs ? `, temp ${ms(n.io.tempReadMs + n.io.tempWriteMs)}` : ''}`,
      ),
    );
  const b = n.buffers;
  const touched = b.sharedHit + b.sharedRead + b.localHit + b.localRead + b.tempRead;
  const insights = doc.insights.filter((i) => i.nodeId === n.id);
  const props = h('table', { class: 'props' });
  for (const [k, v] of Object.entries(n.props)) {
    // Buffers have their own table above.
    if (k === 'Plans' || k === 'Workers' || k.endsWith(' Blocks')) continue;
    props.append(kv(k, valueText(v)));
  }
  return h(
    'div',
    { class: 'detail' },
    h('h2', null, n.label),
    n.subplanName ? h('div', { class: 'muted' }, n.subplanName) : null,
    ...insights.map((i) => insightCard(i, copy)),
    figures,
    touched || b.tempWritten ? h('div', null, h('h3', null, `Buffers (${blocks(touched)} touched)`), bufferTable(b)) : null,
    h('h3', null, 'Properties'),
    props,
  );
}
