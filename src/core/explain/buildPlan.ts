// RawPlan (either format) → the typed, flat Plan with per-node metrics.
//
// Time accounting (the choice PEV2 makes, and explain.depesz.com in substance): "actual time" is
// an average per loop, so a node's time is total × loops. Below a Gather, loops also count each
// parallel process (workers + leader), which run at the same time: dividing by (launched workers
// + 1) turns process-time back into wall-clock time (by loops, when fewer: see timeOf). Exclusive = inclusive − children's inclusive,
// clamped at 0 (a Gather's child can show a little more than the Gather). An InitPlan's or a CTE's
// time is also inside the node that first reads its result: it is taken out of that node
// (initPlanConsumer), so that the exclusive times add up to the root's.
import { emptyBuffers, PlanParseError, type Buffers, type IoTiming, type Plan, type PlanNode, type Trigger } from './planTypes';
import type { RawNode, RawPlan } from './rawPlan';
import { labelOf } from './nodeLabel';

const n = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : undefined);

function buffersOf(p: Record<string, unknown>): Buffers {
  const b = emptyBuffers();
  b.sharedHit = n(p['Shared Hit Blocks']) ?? 0;
  b.sharedRead = n(p['Shared Read Blocks']) ?? 0;
  b.sharedDirtied = n(p['Shared Dirtied Blocks']) ?? 0;
  b.sharedWritten = n(p['Shared Written Blocks']) ?? 0;
  b.localHit = n(p['Local Hit Blocks']) ?? 0;
  b.localRead = n(p['Local Read Blocks']) ?? 0;
  b.localDirtied = n(p['Local Dirtied Blocks']) ?? 0;
  b.localWritten = n(p['Local Written Blocks']) ?? 0;
  b.tempRead = n(p['Temp Read Blocks']) ?? 0;
  b.tempWritten = n(p['Temp Written Blocks']) ?? 0;
  return b;
}

function ioOf(p: Record<string, unknown>): IoTiming | undefined {
  const sum = (...keys: string[]) => keys.reduce((acc, k) => acc + (n(p[k]) ?? 0), 0);
  // JSON prints zero timings that text leaves out: both mean "no I/O waited for".
  let has = false;
  for (const k in p) if (k.includes('I/O') && k.endsWith('Time') && (n(p[k]) ?? 0) > 0) has = true;
  if (!has) return undefined;
  return {
    readMs: sum('I/O Read Time', 'Shared I/O Read Time', 'Local I/O Read Time'),
    writeMs: sum('I/O Write Time', 'Shared I/O Write Time', 'Local I/O Write Time'),
    tempReadMs: sum('Temp I/O Read Time'),
    tempWriteMs: sum('Temp I/O Write Time'),
  };
}

function addBuffers(into: Buffers, b: Buffers): void {
  for (const k of Object.keys(into) as (keyof Buffers)[]) into[k] += b[k];
}

export function buildPlan(raw: RawPlan): Plan {
  const nodes: PlanNode[] = [];
  // Iterative pre-order walk: a 10,000-deep plan must not overflow the stack.
  const work: { raw: RawNode; parentId: number | null; depth: number; workers: number }[] = [{ raw: raw.root, parentId: null, depth: 0, workers: 0 }];
  while (work.length > 0) {
    const { raw: r, parentId, depth, workers } = work.pop()!;
    const node = toNode(r.props, nodes.length, parentId, depth);
    nodes.push(node);
    if (parentId !== null) nodes[parentId]!.children.push(node.id);
    // Processes sharing this subtree's loops: launched workers + the leader, below a Gather.
    const gathers = node.nodeType === 'Gather' || node.nodeType === 'Gather Merge';
    const below = gathers ? (node.workersLaunched ?? node.workersPlanned ?? 0) : workers;
    node.inclusiveMs = timeOf(node, workers);
    for (let i = r.children.length - 1; i >= 0; i--) work.push({ raw: r.children[i]!, parentId: node.id, depth: depth + 1, workers: below });
  }
  const deduct = new Array<number>(nodes.length).fill(0);
  const consumer = initPlanConsumers(nodes);
  for (const node of nodes) {
    if (node.parentId === null) continue;
    const to = consumer.get(node.id) ?? node.parentId;
    deduct[to] = deduct[to]! + node.inclusiveMs;
  }
  for (const node of nodes) node.exclusiveMs = Math.max(0, node.inclusiveMs - deduct[node.id]!);
  const top = raw.top;
  const analyzed = nodes[0]?.actualLoops !== undefined;
  const totalBuffers = emptyBuffers();
  // Buffers are cumulative up the tree: the root's are the statement's.
  if (nodes[0]) addBuffers(totalBuffers, nodes[0].buffers);
  const planning = top.Planning as Record<string, unknown> | undefined;
  const jit = top.JIT as { Timing?: Record<string, unknown> } | undefined;
  const jitTotal = jit?.Timing?.Total;
  const triggers: Trigger[] = Array.isArray(top.Triggers)
    ? (top.Triggers as Record<string, unknown>[]).map((t) => ({
        name: s(t['Trigger Name']) ?? '?',
        relation: s(t.Relation),
        timeMs: n(t.Time) ?? 0,
        calls: n(t.Calls) ?? 0,
      }))
    : [];
  const settings: Record<string, string> = {};
  if (top.Settings && typeof top.Settings === 'object') for (const [k, v] of Object.entries(top.Settings)) settings[k] = String(v);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(top))
    if (!['Planning Time', 'Execution Time', 'Total Runtime', 'Triggers', 'Settings', 'Planning'].includes(k)) extra[k] = v;
  return {
    format: raw.format,
    nodes,
    extra,
    summary: {
      analyzed,
      planningMs: n(top['Planning Time']),
      executionMs: n(top['Execution Time']) ?? n(top['Total Runtime']), // before 9.4
      nodeCount: nodes.length,
      totalBuffers,
      planningBuffers: planning ? buffersOf(planning) : undefined,
      jitMs: typeof jitTotal === 'number' ? jitTotal : typeof jitTotal === 'object' && jitTotal ? n((jitTotal as Record<string, unknown>).Total) : undefined,
      triggers,
      settings,
      totalCost: nodes[0]?.totalCost,
    },
  };
}

/**
 * An InitPlan (or CTE) runs inside the node that first reads its result — a sibling or a
 * descendant of its parent, not the parent itself — so its time is taken out of that node:
 * the first one that mentions its parameter ($2; "(InitPlan 3)" from 17) or scans the CTE.
 * Found through an index of what each node mentions, built once: a scan of the parent's subtree
 * per InitPlan made plans with thousands of them quadratic.
 */
function initPlanConsumers(nodes: PlanNode[]): Map<number, number> {
  const out = new Map<number, number>();
  const inits = nodes.filter((x) => x.parentRelationship === 'InitPlan' && x.parentId !== null);
  if (inits.length === 0) return out;
  const end = subtreeEnds(nodes);
  // "$2", "InitPlan 3" or "cte:name" → the ids of the nodes that mention it, ascending.
  const mentions = new Map<string, number[]>();
  const add = (key: string, id: number) => {
    const list = mentions.get(key);
    if (!list) mentions.set(key, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  };
  for (const x of nodes) {
    if (x.neverExecuted) continue;
    if (x.nodeType === 'CTE Scan') {
      const name = x.props['CTE Name'];
      if (typeof name === 'string') add(`cte:${name}`, x.id);
      const on = /^CTE Scan on (\S+)/.exec(x.label)?.[1];
      if (on !== undefined) add(`cte:${on}`, x.id);
      continue;
    }
    const text = JSON.stringify(x.props);
    if (!text.includes('$') && !text.includes('(InitPlan ')) continue;
    for (const m of text.matchAll(/\$\d+|\((InitPlan \d+)\)/g)) add(m[1] ?? m[0], x.id);
  }
  for (const init of inits) {
    const parent = init.parentId!;
    const name = init.subplanName ?? '';
    const cte = /^CTE (.+)$/.exec(name)?.[1];
    const keys =
      cte !== undefined
        ? [`cte:${cte}`]
        : [
            ...(/returns (.+)\)$/
              .exec(name)?.[1]
              ?.split(',')
              .map((x) => x.trim()) ?? []),
            ...(/^(InitPlan \d+)/.exec(name)?.slice(1, 2) ?? []),
          ];
    let best = Infinity;
    for (const key of keys) {
      for (const i of mentions.get(key) ?? []) {
        if (i >= best) break;
        if (i <= parent || i >= end[parent]!) continue;
        if (i >= init.id && i < end[init.id]!) continue;
        const x = nodes[i]!;
        if (x.parentRelationship === 'InitPlan' && x.parentId === parent) continue;
        best = i;
        break;
      }
    }
    if (best !== Infinity) out.set(init.id, best);
  }
  return out;
}

/** Pre-order ids: a subtree is a contiguous range [id, end[id]). */
function subtreeEnds(nodes: PlanNode[]): number[] {
  const end = new Array<number>(nodes.length).fill(nodes.length);
  const open: number[] = [];
  for (const x of nodes) {
    while (open.length > 0 && nodes[open[open.length - 1]!]!.depth >= x.depth) end[open.pop()!] = x.id;
    open.push(x.id);
  }
  return end;
}

function timeOf(node: PlanNode, workers: number): number {
  if (node.actualTotalMs === undefined || node.actualLoops === undefined) return 0;
  // A node run in fewer loops than there are processes (a Parallel Append member, loops=1) ran
  // in that many processes only: dividing by all of them would hide its time.
  return (node.actualTotalMs * node.actualLoops) / Math.max(1, Math.min(workers + 1, node.actualLoops));
}

/** The server's properties of a node: not its children ("Plans") nor the text parser's "_" keys. */
function ownProps(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in p) if (k !== 'Plans' && k.charCodeAt(0) !== 95 /* _ */) out[k] = p[k];
  return out;
}

function toNode(p: Record<string, unknown>, id: number, parentId: number | null, depth: number): PlanNode {
  const nodeType = s(p['Node Type']);
  if (!nodeType) throw new PlanParseError(`node ${id} has no Node Type`);
  const loops = n(p['Actual Loops']);
  const actualRows = n(p['Actual Rows']);
  const planRows = n(p['Plan Rows']) ?? 0;
  const node: PlanNode = {
    id,
    parentId,
    depth,
    children: [],
    nodeType,
    label: labelOf(p),
    parentRelationship: s(p['Parent Relationship']),
    subplanName: s(p['Subplan Name']),
    relation: s(p['Relation Name']),
    schema: s(p.Schema),
    alias: s(p.Alias),
    indexName: s(p['Index Name']),
    parallelAware: p['Parallel Aware'] === true,
    startupCost: n(p['Startup Cost']),
    totalCost: n(p['Total Cost']),
    planRows,
    planWidth: n(p['Plan Width']),
    actualStartupMs: n(p['Actual Startup Time']),
    actualTotalMs: n(p['Actual Total Time']),
    actualRows,
    actualLoops: loops,
    neverExecuted: loops === 0,
    workersPlanned: n(p['Workers Planned']),
    workersLaunched: n(p['Workers Launched']),
    rowsRemovedByFilter: n(p['Rows Removed by Filter']),
    rowsRemovedByJoinFilter: n(p['Rows Removed by Join Filter']),
    filter: s(p.Filter),
    joinFilter: s(p['Join Filter']),
    indexCond: s(p['Index Cond']),
    heapFetches: n(p['Heap Fetches']),
    exactHeapBlocks: n(p['Exact Heap Blocks']),
    lossyHeapBlocks: n(p['Lossy Heap Blocks']),
    sortMethod: s(p['Sort Method']),
    sortSpaceKb: n(p['Sort Space Used']),
    sortSpaceType: s(p['Sort Space Type']),
    hashBatches: n(p['Hash Batches']) ?? n(p['HashAgg Batches']),
    originalHashBatches: n(p['Original Hash Batches']),
    peakMemoryKb: n(p['Peak Memory Usage']),
    diskUsageKb: n(p['Disk Usage']),
    buffers: buffersOf(p),
    io: ioOf(p),
    inclusiveMs: 0,
    exclusiveMs: 0,
    props: ownProps(p),
  };
  if (actualRows !== undefined && loops !== undefined && loops > 0) {
    const est = Math.max(planRows, 1);
    const act = Math.max(actualRows, 1);
    node.estimateFactor = Math.max(est, act) / Math.min(est, act);
    node.estimateDirection = act > est ? 'under' : act < est ? 'over' : 'exact';
  }
  return node;
}
