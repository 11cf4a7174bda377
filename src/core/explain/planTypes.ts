// The one typed plan tree that JSON and text plans both parse into. Nodes are kept flat, in
// pre-order (id = index), so the viewer can virtualise rows and the CLI/webview can serialise it.

export interface Buffers {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  localHit: number;
  localRead: number;
  localDirtied: number;
  localWritten: number;
  tempRead: number;
  tempWritten: number;
}

export interface IoTiming {
  /** Milliseconds spent reading/writing blocks (shared+local on 15+, all on 13–14). */
  readMs: number;
  writeMs: number;
  tempReadMs: number;
  tempWriteMs: number;
}

export type EstimateDirection = 'under' | 'over' | 'exact';

export interface PlanNode {
  id: number;
  parentId: number | null;
  depth: number;
  children: number[];
  nodeType: string;
  /** What psql prints: "Index Scan using x on public.t r". */
  label: string;
  parentRelationship?: string;
  subplanName?: string;
  relation?: string;
  schema?: string;
  alias?: string;
  indexName?: string;
  parallelAware: boolean;
  startupCost?: number;
  totalCost?: number;
  planRows: number;
  planWidth?: number;
  /** undefined when the plan has no ANALYZE. */
  actualStartupMs?: number;
  actualTotalMs?: number;
  actualRows?: number;
  actualLoops?: number;
  neverExecuted: boolean;
  workersPlanned?: number;
  workersLaunched?: number;
  rowsRemovedByFilter?: number;
  rowsRemovedByJoinFilter?: number;
  filter?: string;
  joinFilter?: string;
  indexCond?: string;
  heapFetches?: number;
  exactHeapBlocks?: number;
  lossyHeapBlocks?: number;
  sortMethod?: string;
  sortSpaceKb?: number;
  sortSpaceType?: string;
  hashBatches?: number;
  originalHashBatches?: number;
  peakMemoryKb?: number;
  diskUsageKb?: number;
  buffers: Buffers;
  io?: IoTiming;
  // Computed by analyse():
  /** Wall-clock time of this node and its children, all loops, per process (see metrics.ts). */
  inclusiveMs: number;
  /** inclusiveMs minus the children's. */
  exclusiveMs: number;
  /** max(est, actual) / min(est, actual), per loop, zero counted as one. */
  estimateFactor?: number;
  estimateDirection?: EstimateDirection;
  /** Every property the server printed, under JSON's key names, for the detail view. */
  props: Record<string, unknown>;
}

export interface Trigger {
  name: string;
  relation?: string;
  timeMs: number;
  calls: number;
}

export interface PlanSummary {
  analyzed: boolean;
  planningMs?: number;
  executionMs?: number;
  nodeCount: number;
  totalBuffers: Buffers;
  planningBuffers?: Buffers;
  jitMs?: number;
  triggers: Trigger[];
  settings: Record<string, string>;
  /** Root node's total cost. */
  totalCost?: number;
}

export interface Plan {
  format: 'json' | 'text';
  summary: PlanSummary;
  nodes: PlanNode[];
  /** Top-level keys other than Plan (JIT, Serialization, WAL …), as printed. */
  extra: Record<string, unknown>;
}

export const emptyBuffers = (): Buffers => ({
  sharedHit: 0,
  sharedRead: 0,
  sharedDirtied: 0,
  sharedWritten: 0,
  localHit: 0,
  localRead: 0,
  localDirtied: 0,
  localWritten: 0,
  tempRead: 0,
  tempWritten: 0,
});

/** A plan file or text that is not a PostgreSQL plan. */
export class PlanParseError extends Error {}
