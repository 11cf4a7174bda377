// A Plan back to EXPLAIN (FORMAT JSON)'s shape, so a plan read from text can be saved as .json and
// reopened: nodes keep their properties under JSON's key names, so this is a re-nesting.
import type { Plan } from './planTypes';

export function toExplainJson(plan: Plan, query?: string): unknown[] {
  const built = plan.nodes.map((n) => ({ ...n.props }));
  for (const n of plan.nodes) {
    if (n.parentId === null) continue;
    const parent = built[n.parentId]!;
    ((parent.Plans ??= []) as unknown[]).push(built[n.id]);
  }
  const s = plan.summary;
  const top: Record<string, unknown> = { Plan: built[0] };
  if (query) top['Query Text'] = query;
  if (s.planningMs !== undefined) top['Planning Time'] = s.planningMs;
  if (s.triggers.length > 0) top.Triggers = s.triggers.map((t) => ({ 'Trigger Name': t.name, Relation: t.relation, Time: t.timeMs, Calls: t.calls }));
  if (Object.keys(s.settings).length > 0) top.Settings = s.settings;
  Object.assign(top, plan.extra);
  if (s.executionMs !== undefined) top['Execution Time'] = s.executionMs;
  return [top];
}
