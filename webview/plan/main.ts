// The plan panel: summary, a virtualised tree with the selected node's detail, insights, the raw
// plan and the query one tab away; or two plans side by side with their deltas.
import type { Answer, HostMessage, Side, WebviewMessage } from '../../src/core/explain/planProtocol';
import { reviveColumns, type WireDoc } from '../../src/core/explain/planWire';
import { clear, h } from '../shared/dom';
import { Host, Requests } from '../shared/host';
import { afterPaint } from '../shared/testHook';
import { insightCard, nodeDetail } from './detail';
import { delta, ms } from './format';
import { PlanTree } from './planTree';
import { summaryStrip } from './summary';
import '../shared/theme.css';
import '../shared/figures.css';
import '../shared/buttons.css';
import './plan.css';

const host = new Host<WebviewMessage>();
const app = document.getElementById('app')!;
const copy = (text: string) => host.post({ type: 'copy', text });

/** A node's detail and the raw plan, one request per kind and side (the newest one wins). */
const waiting = new Requests<Extract<WebviewMessage, { type: 'node' | 'raw' }>, Answer>((m) => host.post(m));

/** The aside shows "Loading…" until the node's detail arrives. */
function showNodeIn(aside: HTMLElement, doc: WireDoc, side: Side, id: number): void {
  aside.replaceChildren(h('div', { class: 'detail' }, h('h2', null, doc.nodes.label[id] ?? ''), h('p', { class: 'muted' }, 'Loading…')));
  waiting.ask(
    `node:${side}`,
    (requestId) => ({ type: 'node', side, id, requestId }),
    (m) => {
      if (m.type === 'node' && m.node.id === id) aside.replaceChildren(nodeDetail(doc, m.node, copy));
    },
  );
}

type Tab = 'plan' | 'insights' | 'raw' | 'query';

function toolbar(title: string, tabs: [Tab, string][], current: Tab, onTab: (t: Tab) => void): HTMLElement {
  const bar = h('div', { class: 'toolbar' }, h('span', { class: 'title', title }, title));
  const tabBox = h('div', { class: 'tabs', role: 'tablist' });
  for (const [id, label] of tabs) {
    const b = h('button', { class: `tab${id === current ? ' active' : ''}`, role: 'tab', 'aria-selected': String(id === current) }, label);
    b.addEventListener('click', () => onTab(id));
    tabBox.append(b);
  }
  const save = h('button', { class: 'secondary', title: 'Save this plan as a .json file' }, 'Save .json');
  save.addEventListener('click', () => host.post({ type: 'save' }));
  const compare = h('button', { class: 'secondary', title: 'Open another plan of the same query to compare' }, 'Compare with…');
  compare.addEventListener('click', () => host.post({ type: 'compareWith' }));
  bar.append(tabBox, h('span', { class: 'spacer' }), save, compare);
  return bar;
}

function showDoc(doc: WireDoc, tab: Tab = 'plan', selectId?: number): void {
  clear(app);
  waiting.clear();
  const warnings = doc.insights.length;
  const tabs: [Tab, string][] = [
    ['plan', 'Plan'],
    ['insights', `Insights (${warnings})`],
    ['raw', 'Raw plan'],
    ['query', 'Query'],
  ];
  app.append(toolbar(doc.title, tabs, tab, (t) => showDoc(doc, t)));
  if (doc.notices.length > 0) app.append(h('div', { class: 'notices' }, ...doc.notices.map((n) => h('div', null, n))));
  app.append(summaryStrip(doc));
  const body = h('div', { class: 'body' });
  app.append(body);
  if (tab === 'raw') {
    const pre = h('pre', { class: 'raw muted' }, 'Loading…');
    body.append(pre);
    waiting.ask(
      'raw:0',
      (requestId) => ({ type: 'raw', side: 0, requestId }),
      (m) => {
        if (m.type !== 'raw') return;
        pre.textContent = m.text;
        pre.classList.remove('muted');
      },
    );
  } else if (tab === 'query') body.append(h('pre', { class: 'raw' }, doc.query ?? 'The plan came without its query.'));
  else if (tab === 'insights') {
    body.append(
      h(
        'div',
        { class: 'insight-list' },
        ...(doc.insights.length === 0
          ? [h('p', { class: 'muted' }, 'Nothing in this plan crosses a threshold.')]
          : doc.insights.map((i) => insightCard(i, copy, (id) => showDoc(doc, 'plan', id)))),
      ),
    );
  } else {
    const aside = h('aside', { class: 'side' });
    const tree = new PlanTree(doc, (id) => showNodeIn(aside, doc, 0, id));
    body.append(h('div', { class: 'split' }, tree.element, aside));
    // Nothing selected yet: the insights are the first thing to read.
    if (selectId !== undefined) tree.select(selectId);
    else
      aside.replaceChildren(
        h(
          'div',
          { class: 'detail' },
          h('h2', null, doc.insights.length ? 'What to change' : 'No insights'),
          ...doc.insights.map((i) => insightCard(i, copy, (id) => tree.select(id))),
          h('p', { class: 'muted' }, 'Click a node for its full detail.'),
        ),
      );
  }
}

/** Right-hand nodes matched to left-hand ones by label (the n-th occurrence of the same label). */
function matchNodes(left: WireDoc, right: WireDoc): Map<number, number> {
  const seen = new Map<string, number[]>();
  left.nodes.label.forEach((label, id) => {
    const list = seen.get(label) ?? [];
    list.push(id);
    seen.set(label, list);
  });
  const out = new Map<number, number>();
  right.nodes.label.forEach((label, id) => {
    const l = seen.get(label)?.shift();
    if (l !== undefined) out.set(id, l);
  });
  return out;
}

function showCompare(left: WireDoc, right: WireDoc): void {
  clear(app);
  waiting.clear();
  app.append(toolbar(`${left.title}  ⇄  ${right.title}`, [], 'plan', () => undefined));
  const pairs = matchNodes(left, right);
  const deltas = new Map<number, string>();
  for (const [r, l] of pairs) {
    const d = delta(left.nodes.exclusiveMs[l], right.nodes.exclusiveMs[r], ms);
    if (d) deltas.set(r, d.replace(/ \(.*\)$/, ''));
  }
  const column = (doc: WireDoc, side: Side, base: WireDoc | undefined, d?: Map<number, string>) => {
    const aside = h('div', { class: 'compare-detail' });
    const tree = new PlanTree(doc, (id) => showNodeIn(aside, doc, side, id), d);
    return h('section', { class: 'compare-col' }, h('h2', null, doc.title), summaryStrip(doc, base), tree.element, aside);
  };
  app.append(h('div', { class: 'compare' }, column(left, 0, undefined), column(right, 1, left, deltas)));
}

const revive = (doc: WireDoc): WireDoc => ({ ...doc, nodes: reviveColumns(doc.nodes) });

host.listen((data) => {
  if (waiting.answer(data)) return;
  const m = data as HostMessage;
  performance.mark('plan-data');
  if (m.type === 'show') showDoc(revive(m.doc));
  else if (m.type === 'compare') showCompare(revive(m.left), revive(m.right));
  else return;
  performance.mark('plan-rendered');
  // The frame after this one is the first with the tree on screen (bench/explainPlan.ts times it).
  afterPaint('plan');
});
