// What the plan panel posts to its webview. The tree travels as columns: typed arrays cross
// postMessage as one copy each (VS Code ≥ 1.57 transfers them as binary), where 10,000 node
// objects of ~45 fields took ~400 ms of structured clone in the bench. A node's full detail and
// the raw plan are asked for when they are shown (planProtocol.ts: 'node', 'raw').
import type { Insight } from './insightTypes';
import type { PlanNode, PlanSummary } from './planTypes';

/** One entry per node, by id (pre-order). NaN where the plan has no figure. */
export interface NodeColumns {
  label: string[];
  /** "SubPlan 1", "InitPlan 2 (returns $1)", "CTE x"; '' when none. */
  subplan: string[];
  depth: Int32Array;
  /** -1 for the root. */
  parent: Int32Array;
  childCount: Int32Array;
  exclusiveMs: Float64Array;
  /** Per loop, as the server prints. */
  actualRows: Float64Array;
  planRows: Float64Array;
  /** 0: never executed. */
  loops: Float64Array;
  estimateFactor: Float64Array;
  /** 1: more rows than estimated. */
  under: Uint8Array;
  totalCost: Float64Array;
  sharedHit: Float64Array;
  sharedRead: Float64Array;
  /** Temp blocks read + written. */
  temp: Float64Array;
}

/** A PlanDoc as the webview receives it. */
export interface WireDoc {
  title: string;
  summary: PlanSummary;
  insights: Insight[];
  query?: string;
  notices: string[];
  nodes: NodeColumns;
}

const num = (v: number | undefined): number => (v === undefined ? NaN : v);

export function nodeColumns(nodes: PlanNode[]): NodeColumns {
  const n = nodes.length;
  const c: NodeColumns = {
    label: new Array<string>(n),
    subplan: new Array<string>(n),
    depth: new Int32Array(n),
    parent: new Int32Array(n),
    childCount: new Int32Array(n),
    exclusiveMs: new Float64Array(n),
    actualRows: new Float64Array(n),
    planRows: new Float64Array(n),
    loops: new Float64Array(n),
    estimateFactor: new Float64Array(n),
    under: new Uint8Array(n),
    totalCost: new Float64Array(n),
    sharedHit: new Float64Array(n),
    sharedRead: new Float64Array(n),
    temp: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const x = nodes[i]!;
    c.label[i] = x.label;
    c.subplan[i] = x.subplanName ?? '';
    c.depth[i] = x.depth;
    c.parent[i] = x.parentId ?? -1;
    c.childCount[i] = x.children.length;
    c.exclusiveMs[i] = x.exclusiveMs;
    c.actualRows[i] = num(x.actualRows);
    c.planRows[i] = x.planRows;
    c.loops[i] = num(x.actualLoops);
    c.estimateFactor[i] = num(x.estimateFactor);
    c.under[i] = x.estimateDirection === 'under' ? 1 : 0;
    c.totalCost[i] = num(x.totalCost);
    c.sharedHit[i] = x.buffers.sharedHit;
    c.sharedRead[i] = x.buffers.sharedRead;
    c.temp[i] = x.buffers.tempRead + x.buffers.tempWritten;
  }
  return c;
}

export function toWire(doc: {
  title: string;
  plan: { summary: PlanSummary; nodes: PlanNode[] };
  insights: Insight[];
  query?: string;
  notices: string[];
}): WireDoc {
  return { title: doc.title, summary: doc.plan.summary, insights: doc.insights, query: doc.query, notices: doc.notices, nodes: nodeColumns(doc.plan.nodes) };
}

/** NaN → undefined, for the formatters. */
export const fig = (v: number): number | undefined => (Number.isNaN(v) ? undefined : v);

/** Typed arrays that arrived as plain arrays or objects (a transport that serialised them): back to typed arrays. */
export function reviveColumns(c: NodeColumns): NodeColumns {
  const typed = <T extends Float64Array | Int32Array | Uint8Array>(v: unknown, make: (xs: number[]) => T): T =>
    ArrayBuffer.isView(v) ? (v as T) : make(Object.values(v as Record<string, number | null>).map((x) => (x === null ? NaN : x)));
  const f = (v: unknown) => typed(v, (xs) => Float64Array.from(xs));
  const i = (v: unknown) => typed(v, (xs) => Int32Array.from(xs));
  return {
    label: c.label,
    subplan: c.subplan,
    depth: i(c.depth),
    parent: i(c.parent),
    childCount: i(c.childCount),
    exclusiveMs: f(c.exclusiveMs),
    actualRows: f(c.actualRows),
    planRows: f(c.planRows),
    loops: f(c.loops),
    estimateFactor: f(c.estimateFactor),
    under: typed(c.under, (xs) => Uint8Array.from(xs)),
    totalCost: f(c.totalCost),
    sharedHit: f(c.sharedHit),
    sharedRead: f(c.sharedRead),
    temp: f(c.temp),
  };
}
