// Entry point: a plan as text (JSON or psql's text format, as pasted: planPaste.ts takes off what
// is around it) or an already-parsed JSON value → Plan. Open Plan, Compare Plans, `pgdba explain
// FILE` and the plan viewer all come through here.
import { buildPlan } from './buildPlan';
import { parseJsonPlan } from './jsonPlanParser';
import { unwrapPaste, type Paste, type PasteOptions } from './planPaste';
import { PlanParseError, type Plan } from './planTypes';
import { parseTextPlan } from './textPlanParser';

export function parsePlan(input: unknown, options?: PasteOptions): Plan {
  return parsePaste(input, options).plan;
}

/** parsePlan, with what the paste held around the plan. */
export function parsePaste(input: unknown, options?: PasteOptions): { plan: Plan; paste?: Paste } {
  if (typeof input !== 'string') return { plan: buildPlan(parseJsonPlan(input)) };
  if (input.trim() === '') throw new PlanParseError('the text is empty');
  const paste = unwrapPaste(input, options);
  if (paste.text.trim() === '') throw new PlanParseError(`the text holds no plan${paste.recognised.length ? ` (only ${paste.recognised.join(', ')})` : ''}`);
  let raw;
  try {
    raw = paste.kind === 'json' ? parseJsonPlan(paste.json ?? paste.text) : parseTextPlan(paste.text);
  } catch (e) {
    // The text parser counts the bare plan's lines: say the paste's line instead.
    const m = e instanceof PlanParseError ? /^line (\d+)\b/.exec(e.message) : null;
    const at = m ? paste.origin[Number(m[1]) - 1] : undefined;
    if (m && at !== undefined) throw new PlanParseError(`line ${at}${e instanceof Error ? e.message.slice(m[0].length) : ''}`);
    throw e;
  }
  if (paste.query !== undefined && raw.top['Query Text'] === undefined) raw.top['Query Text'] = paste.query;
  return { plan: buildPlan(raw), paste };
}
