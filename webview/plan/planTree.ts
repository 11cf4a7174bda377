// The plan as a collapsible, virtualised tree: one row per node with its exclusive-time bar,
// rows (actual vs estimate, with a mark when ≥ 10× off), loops, buffers and insight badges.
import { fig, type WireDoc } from '../../src/core/explain/planWire';
import type { InsightSeverity } from '../../src/core/explain/insightTypes';
import { ESTIMATE_FACTOR } from '../../src/core/explain/insights';
import { h } from '../shared/dom';
import { bufferLine, count, ms } from './format';
import { VirtualList } from './virtualList';

const ROW_HEIGHT = 26;
const INDENT_PX = 14;
/** Deeper levels share one indent, so that labels stay readable in very deep plans. */
const MAX_INDENT_LEVELS = 40;

export class PlanTree {
  readonly element: HTMLElement;
  private readonly list: VirtualList;
  private readonly collapsed = new Set<number>();
  private visible: number[] = [];
  private selected: number | undefined;
  private readonly total: number;
  private readonly worst = new Map<number, InsightSeverity>();

  constructor(
    private readonly doc: WireDoc,
    private readonly onSelect: (id: number) => void,
    /** Right-hand plan of a comparison: text shown after the time, per node id. */
    private readonly deltas?: Map<number, string>,
  ) {
    // Exclusive times add up to the root's inclusive time (buildPlan.ts).
    let sum = 0;
    for (const x of doc.nodes.exclusiveMs) sum += x;
    this.total = Math.max(doc.summary.executionMs ?? sum, 1e-9);
    for (const i of doc.insights) {
      const prev = this.worst.get(i.nodeId);
      if (!prev || (prev === 'info' && i.severity !== 'info') || i.severity === 'critical') this.worst.set(i.nodeId, i.severity);
    }
    const header = h(
      'div',
      { class: 'tree-header' },
      h('span', null, 'Node'),
      h('span', null, 'Exclusive time'),
      h('span', { class: 'num' }, 'Rows (est.)'),
      h('span', { class: 'num' }, 'Loops'),
      h('span', { class: 'num' }, 'Buffers'),
    );
    const viewport = h('div', { class: 'tree-viewport', tabindex: '0', role: 'tree', 'aria-label': 'Plan nodes' });
    this.element = h('div', { class: 'tree' }, header, viewport);
    this.list = new VirtualList(viewport, ROW_HEIGHT, (i, el) => this.renderRow(i, el));
    viewport.addEventListener('click', (e) => this.onClick(e));
    viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.recompute();
  }

  select(id: number): void {
    const parent = this.doc.nodes.parent;
    if (!(id >= 0 && id < parent.length)) return;
    // Expand the ancestors so that the node is on screen.
    for (let p = parent[id]!; p >= 0; p = parent[p]!) this.collapsed.delete(p);
    this.selected = id;
    this.recompute();
    this.list.scrollToIndex(this.visible.indexOf(id));
    this.onSelect(id);
  }

  private recompute(): void {
    const depth = this.doc.nodes.depth;
    const out: number[] = [];
    // Pre-order ids: a collapsed node's subtree is the following run of deeper nodes.
    for (let i = 0; i < depth.length; i++) {
      out.push(i);
      if (this.collapsed.has(i)) {
        const d = depth[i]!;
        while (i + 1 < depth.length && depth[i + 1]! > d) i++;
      }
    }
    this.visible = out;
    this.list.setCount(out.length);
  }

  private renderRow(index: number, el: HTMLDivElement): void {
    const id = this.visible[index]!;
    const c = this.doc.nodes;
    const label = c.label[id]!;
    const subplan = c.subplan[id];
    const loops = fig(c.loops[id]!);
    const never = loops === 0;
    const factor = fig(c.estimateFactor[id]!);
    const under = c.under[id] === 1;
    el.dataset.id = String(id);
    el.className = `row${id === this.selected ? ' selected' : ''}${never ? ' never' : ''}`;
    el.setAttribute('role', 'treeitem');
    const exclusive = c.exclusiveMs[id]!;
    const share = exclusive / this.total;
    const level = Math.min(c.depth[id]!, MAX_INDENT_LEVELS);
    const toggle = c.childCount[id]! > 0 ? (this.collapsed.has(id) ? '▸' : '▾') : '';
    const sev = this.worst.get(id);
    const miss = factor !== undefined && factor >= ESTIMATE_FACTOR;
    const delta = this.deltas?.get(id);
    const actualRows = fig(c.actualRows[id]!);
    el.replaceChildren(
      h(
        'span',
        { class: 'cell label', style: `padding-left:${level * INDENT_PX}px`, title: label },
        h('span', { class: 'toggle' }, toggle),
        subplan ? h('span', { class: 'subplan' }, subplan) : null,
        h('span', { class: 'node-type' }, label),
        sev ? h('span', { class: `badge ${sev}`, title: 'Insights on this node' }, sev === 'info' ? 'i' : '!') : null,
      ),
      h(
        'span',
        { class: 'cell time' },
        h(
          'span',
          { class: 'bar' },
          h('span', { class: `fill ${share >= 0.4 ? 'hot' : share >= 0.1 ? 'warm' : ''}`, style: `width:${Math.min(100, share * 100).toFixed(1)}%` }),
        ),
        h('span', { class: 'ms' }, this.doc.summary.analyzed ? ms(exclusive) : `cost ${count(fig(c.totalCost[id]!))}`),
        delta ? h('span', { class: 'delta' }, delta) : null,
      ),
      h(
        'span',
        {
          class: `cell num${miss ? ' miss' : ''}`,
          title: factor === undefined ? '' : factor === 1 ? 'estimated exactly' : `${factor.toFixed(1)}× ${under ? 'under' : 'over'}-estimated`,
        },
        miss ? h('span', { class: 'mark' }, `${under ? '▲' : '▼'}${factor.toFixed(0)}× `) : null,
        actualRows !== undefined ? count(actualRows) : '',
        h('span', { class: 'est' }, ` (${count(c.planRows[id])})`),
      ),
      h('span', { class: 'cell num' }, never ? 'never' : count(loops)),
      h('span', { class: 'cell num buffers' }, bufferLine(c.sharedHit[id]!, c.sharedRead[id]!, c.temp[id]!)),
    );
  }

  private onClick(e: MouseEvent): void {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
    if (!row?.dataset.id) return;
    const id = Number(row.dataset.id);
    if ((e.target as HTMLElement).classList.contains('toggle')) {
      if (this.collapsed.has(id)) this.collapsed.delete(id);
      else this.collapsed.add(id);
      this.recompute();
      return;
    }
    this.select(id);
  }

  private onKey(e: KeyboardEvent): void {
    const at = this.selected === undefined ? -1 : this.visible.indexOf(this.selected);
    const move = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 20 : e.key === 'PageUp' ? -20 : 0;
    if (move !== 0) {
      const next = this.visible[Math.max(0, Math.min(this.visible.length - 1, at + move))];
      if (next !== undefined) this.select(next);
      e.preventDefault();
    } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && this.selected !== undefined) {
      if (e.key === 'ArrowLeft') this.collapsed.add(this.selected);
      else this.collapsed.delete(this.selected);
      this.recompute();
      e.preventDefault();
    }
  }
}
