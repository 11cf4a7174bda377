// A PlanDoc (what the panel shows) from a plan's text or JSON value.
import { planInsights } from './insights';
import { parsePaste } from './parsePlan';
import type { PasteOptions } from './planPaste';
import type { Insight } from './insightTypes';
import { PlanParseError, type Plan } from './planTypes';

/** One analysed plan as the panel shows it. */
export interface PlanDoc {
  title: string;
  plan: Plan;
  insights: Insight[];
  query?: string;
  /** The plan as received (JSON text or psql's text), for the Raw tab. */
  raw: string;
  /** "It ran inside BEGIN … ROLLBACK", sequence notes … */
  notices: string[];
}

export function planDocOf(input: unknown, title: string, query?: string, notices: string[] = [], options?: PasteOptions): PlanDoc {
  const { plan, paste } = parsePaste(input, options);
  // A log of several plans: say which one this is, and how to get another.
  if (paste && paste.plans > 1) notices = [...notices, `${title} holds ${paste.plans} plans: this is plan ${paste.index + 1}.`];
  const raw = typeof input === 'string' ? input : JSON.stringify(input, null, 2);
  // auto_explain and saved plans carry their query.
  const top = typeof input === 'string' ? undefined : Array.isArray(input) ? (input[0] as Record<string, unknown>) : (input as Record<string, unknown>);
  const q =
    query ??
    (typeof plan.extra['Query Text'] === 'string' ? plan.extra['Query Text'] : typeof top?.['Query Text'] === 'string' ? top['Query Text'] : undefined);
  return { title, plan, insights: planInsights(plan), query: q, raw, notices };
}

/** A plan people bring (a file, the clipboard, an editor, `pgdba explain FILE`): its doc, or an Error saying why it is not a plan. */
export function planDocFromText(text: string, title: string, options?: PasteOptions): PlanDoc {
  try {
    return planDocOf(text, title, undefined, [], options);
  } catch (e) {
    if (e instanceof PlanParseError) throw new PlanParseError(`${title} is not a PostgreSQL plan: ${e.message}`);
    throw e;
  }
}
