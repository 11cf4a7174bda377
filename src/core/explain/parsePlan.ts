// Entry point: a plan as text (JSON or psql's text format) or an already-parsed JSON value → Plan.
import { buildPlan } from './buildPlan';
import { parseJsonPlan } from './jsonPlanParser';
import { PlanParseError, type Plan } from './planTypes';
import { stripPsqlDecoration } from './rawPlan';
import { parseTextPlan } from './textPlanParser';

export function looksLikeJson(text: string): boolean {
  const first = stripPsqlDecoration(text)[0]?.trimStart() ?? '';
  return first.startsWith('[') || first.startsWith('{');
}

export function parsePlan(input: unknown): Plan {
  if (typeof input !== 'string') return buildPlan(parseJsonPlan(input));
  if (input.trim() === '') throw new PlanParseError('the text is empty');
  return buildPlan(looksLikeJson(input) ? parseJsonPlan(input) : parseTextPlan(input));
}
