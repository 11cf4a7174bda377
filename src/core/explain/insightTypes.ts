// Plan insights: plain data, shared by the CLI, the viewer and the tests.

export type InsightSeverity = 'info' | 'warning' | 'critical';

export const SEVERITY_RANK: Record<InsightSeverity, number> = { info: 0, warning: 1, critical: 2 };

export type InsightRule =
  'missing-index' | 'sort-spill' | 'hash-spill' | 'estimate-miss' | 'nested-loop-scan' | 'workers-not-launched' | 'heap-fetches' | 'lossy-bitmap';

export interface InsightAction {
  kind: 'sql' | 'setting' | 'note';
  text: string;
}

export interface Insight {
  /** rule:nodeId — stable within a plan. */
  id: string;
  rule: InsightRule;
  severity: InsightSeverity;
  nodeId: number;
  title: string;
  /** One sentence. */
  why: string;
  action: InsightAction;
}
