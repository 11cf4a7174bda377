// The plan panel's messages, both directions; the extension and webview/plan import this file.
// The tree goes as columns (planWire.ts); a node's detail and the raw plan go when asked for.
// Everything from the webview is validated (parseWebviewMessage) before the extension acts on it.
import type { Insight } from './insightTypes';
import type { Plan, PlanNode } from './planTypes';
import { toWire, type WireDoc } from './planWire';

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

/** Which plan of the panel: 0 the one shown (the left one when comparing), 1 the right one. */
export type Side = 0 | 1;

/** What the panel shows, as the extension holds it. */
export type PanelContent = { type: 'show'; doc: PlanDoc } | { type: 'compare'; left: PlanDoc; right: PlanDoc };

export type HostMessage =
  | { type: 'show'; doc: WireDoc }
  | { type: 'compare'; left: WireDoc; right: WireDoc }
  /** The answer to a 'node' request: the node in full, its server properties included. */
  | { type: 'node'; side: Side; node: PlanNode }
  | { type: 'raw'; side: Side; text: string };

export function wireMessage(c: PanelContent): HostMessage {
  return c.type === 'show' ? { type: 'show', doc: toWire(c.doc) } : { type: 'compare', left: toWire(c.left), right: toWire(c.right) };
}

export function docOf(c: PanelContent, side: Side): PlanDoc {
  return c.type === 'show' ? c.doc : side === 0 ? c.left : c.right;
}

/** The answer to a webview's request for a node's detail or the raw plan; undefined for an unknown node. */
export function answer(c: PanelContent, m: Extract<WebviewMessage, { type: 'node' | 'raw' }>): HostMessage | undefined {
  const doc = docOf(c, m.side);
  if (m.type === 'raw') return { type: 'raw', side: m.side, text: doc.raw };
  const node = doc.plan.nodes[m.id];
  return node ? { type: 'node', side: m.side, node } : undefined;
}

export type WebviewMessage =
  | { type: 'ready' }
  /** Save the plan shown (the left one when comparing) as a .json file. */
  | { type: 'save' }
  | { type: 'copy'; text: string }
  /** Open another plan to compare with the one shown. */
  | { type: 'compareWith' }
  /** The detail of a node, when the person selects it. */
  | { type: 'node'; side: Side; id: number }
  /** The raw plan, when its tab opens. */
  | { type: 'raw'; side: Side };

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
    case 'node':
      return (m.side === 0 || m.side === 1) && Number.isInteger(m.id) && (m.id as number) >= 0 ? { type: 'node', side: m.side, id: m.id as number } : undefined;
    case 'raw':
      return m.side === 0 || m.side === 1 ? { type: 'raw', side: m.side } : undefined;
    default:
      return undefined;
  }
}
