// The intermediate both parsers produce: the server's own property names (those of FORMAT JSON)
// per node, so that one normaliser (buildPlan.ts) turns either format into the typed tree.
// This is PEV2's split: the text parser rewrites psql's lines into JSON's keys.

export interface RawNode {
  props: Record<string, unknown>;
  children: RawNode[];
}

export interface RawPlan {
  root: RawNode;
  /** Top-level keys: Planning Time, Execution Time, Triggers, JIT, Settings, Planning … */
  top: Record<string, unknown>;
  format: 'json' | 'text';
}
