// FORMAT JSON (also pasted from psql with its '+' continuation marks) → RawPlan.
import { PlanParseError } from './planTypes';
import { stripPsqlDecoration } from './planPaste';
import type { RawNode, RawPlan } from './rawPlan';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Accepts the parsed JSON value or its text. */
export function parseJsonPlan(input: unknown): RawPlan {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      // Plain JSON first: stripping psql's decoration line by line costs more than the parse.
      value = JSON.parse(input);
    } catch {
      try {
        value = JSON.parse(stripPsqlDecoration(input).join('\n'));
      } catch (e) {
        throw new PlanParseError(`invalid JSON: ${(e as Error).message}`);
      }
    }
  }
  // EXPLAIN returns [ { "Plan": … } ]; people also save the bare object.
  const top = Array.isArray(value) ? (value[0] as unknown) : value;
  if (!isObject(top) || !isObject(top.Plan)) throw new PlanParseError('no "Plan" object at the top (expected the output of EXPLAIN (FORMAT JSON))');
  const { Plan: plan, ...rest } = top;
  return { root: toRaw(plan), top: rest, format: 'json' };
}

/** Iterative: a plan of any depth never touches the call stack (a 10k-deep one overflowed it). */
function toRaw(plan: Record<string, unknown>): RawNode {
  const nodeOf = (obj: Record<string, unknown>): RawNode => {
    if (typeof obj['Node Type'] !== 'string') throw new PlanParseError('a plan node has no "Node Type"');
    // props keep the "Plans" key (buildPlan skips it when it copies them): no copy per node here.
    return { props: obj, children: [] };
  };
  const root = nodeOf(plan);
  const work: RawNode[] = [root];
  for (let node = work.pop(); node !== undefined; node = work.pop()) {
    const plans = node.props.Plans;
    if (!Array.isArray(plans)) continue;
    for (const p of plans as unknown[]) {
      if (!isObject(p)) continue;
      const child = nodeOf(p);
      node.children.push(child);
      work.push(child);
    }
  }
  return root;
}
