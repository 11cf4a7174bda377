// The plan panel's messages, both directions; the extension and webview/plan import this file.
// Everything from the webview is validated (parseWebviewMessage) before the extension acts on it.
import type { Insight } from './insightTypes';
import type { Plan } from './planTypes';

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

export type HostMessage =
  | { type: 'show'; doc: PlanDoc }
  | { type: 'compare'; left: PlanDoc; right: PlanDoc };

export type WebviewMessage =
  | { type: 'ready' }
  /** Save the plan shown (the left one when comparing) as a .json file. */
  | { type: 'save' }
  | { type: 'copy'; text: string }
  /** Open another plan to compare with the one shown. */
  | { type: 'compareWith' };

const MAX_COPY = 1_000_000;

export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'save':
    case 'compareWith':
      return { type: m.type };
    case 'copy':
      return typeof m.text === 'string' && m.text.length <= MAX_COPY ? { type: 'copy', text: m.text } : undefined;
    default:
      return undefined;
  }
}
