// The plan panel: summary, a virtualised tree with the selected node's detail, insights, the raw
// plan and the query one tab away; or two plans side by side with their deltas.
import type { HostMessage, PlanDoc, WebviewMessage } from '../../src/core/explain/planProtocol';
import type { PlanNode } from '../../src/core/explain/planTypes';
import { clear, h } from './dom';
import { insightCard, nodeDetail } from './detail';
import { delta, ms } from './format';
import { PlanTree } from './planTree';
import { summaryStrip } from './summary';
import './plan.css';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const copy = (text: string) => vscode.postMessage({ type: 'copy', text });

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
  save.addEventListener('click', () => vscode.postMessage({ type: 'save' }));
  const compare = h('button', { class: 'secondary', title: 'Open another plan of the same query to compare' }, 'Compare with…');
  compare.addEventListener('click', () => vscode.postMessage({ type: 'compareWith' }));
  bar.append(tabBox, h('span', { class: 'spacer' }), save, compare);
  return bar;
}

function showDoc(doc: PlanDoc, tab: Tab = 'plan', selectId?: number): void {
  clear(app);
  const warnings = doc.insights.length;
  const tabs: [Tab, string][] = [['plan', 'Plan'], ['insights', `Insights (${warnings})`], ['raw', 'Raw plan'], ['query', 'Query']];
  app.append(toolbar(doc.title, tabs, tab, (t) => showDoc(doc, t)));
  if (doc.notices.length > 0) app.append(h('div', { class: 'notices' }, ...doc.notices.map((n) => h('div', null, n))));
  app.append(summaryStrip(doc));
  const body = h('div', { class: 'body' });
  app.append(body);
  if (tab === 'raw') body.append(h('pre', { class: 'raw' }, doc.raw));
  else if (tab === 'query') body.append(h('pre', { class: 'raw' }, doc.query ?? 'The plan came without its query.'));
  else if (tab === 'insights') {
    body.append(
      h('div', { class: 'insight-list' }, ...(doc.insights.length === 0 ? [h('p', { class: 'muted' }, 'Nothing in this plan crosses a threshold.')] : doc.insights.map((i) => insightCard(i, copy, (id) => showDoc(doc, 'plan', id))))),
    );
  } else {
    const aside = h('aside', { class: 'side' });
    const showNode = (n: PlanNode) => aside.replaceChildren(nodeDetail(doc, n, copy));
    const tree = new PlanTree(doc, showNode);
    body.append(h('div', { class: 'split' }, tree.element, aside));
    // Nothing selected yet: the insights are the first thing to read.
    if (selectId !== undefined) tree.select(selectId);
    else
      aside.replaceChildren(
        h('div', { class: 'detail' }, h('h2', null, doc.insights.length ? 'What to change' : 'No insights'), ...doc.insights.map((i) => insightCard(i, copy, (id) => tree.select(id))), h('p', { class: 'muted' }, 'Click a node for its full detail.')),
      );
  }
}

/** Right-hand nodes matched to left-hand ones by label (the n-th occurrence of the same label). */
function matchNodes(left: PlanDoc, right: PlanDoc): Map<number, number> {
  const seen = new Map<string, number[]>();
  for (const n of left.plan.nodes) {
    const list = seen.get(n.label) ?? [];
    list.push(n.id);
    seen.set(n.label, list);
  }
  const out = new Map<number, number>();
  for (const n of right.plan.nodes) {
    const id = seen.get(n.label)?.shift();
    if (id !== undefined) out.set(n.id, id);
  }
  return out;
}

function showCompare(left: PlanDoc, right: PlanDoc): void {
  clear(app);
  app.append(toolbar(`${left.title}  ⇄  ${right.title}`, [], 'plan', () => undefined));
  const pairs = matchNodes(left, right);
  const deltas = new Map<number, string>();
  for (const [r, l] of pairs) {
    const d = delta(left.plan.nodes[l]!.exclusiveMs, right.plan.nodes[r]!.exclusiveMs, ms);
    if (d) deltas.set(r, d.replace(/ \(.*\)$/, ''));
  }
  const column = (doc: PlanDoc, base: PlanDoc | undefined, d?: Map<number, string>) => {
    const aside = h('div', { class: 'compare-detail' });
    const tree = new PlanTree(doc, (n) => aside.replaceChildren(nodeDetail(doc, n, copy)), d);
    return h('section', { class: 'compare-col' }, h('h2', null, doc.title), summaryStrip(doc, base), tree.element, aside);
  };
  app.append(h('div', { class: 'compare' }, column(left, undefined), column(right, left, deltas)));
}

window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  const m = e.data;
  performance.mark('plan-data');
  if (m.type === 'show') showDoc(m.doc);
  else if (m.type === 'compare') showCompare(m.left, m.right);
  else return;
  // The frame after this one is the first with the tree on screen (read by bench/explainPlan.ts).
  requestAnimationFrame(() =>
    setTimeout(() => {
      performance.mark('plan-painted');
      document.body.dataset.painted = String(Number(document.body.dataset.painted ?? 0) + 1);
    }),
  );
});

vscode.postMessage({ type: 'ready' });
