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
  /**
   * Set by packDoc: every node's props as one JSON string (nodes then carry empty props). A
   * string crosses postMessage as one copy; 10,000 props objects cost most of a big plan's
   * structured clone. The page parses it when a node's detail is first shown.
   */
  propsJson?: string;
}

/** The doc as posted to the webview (see PlanDoc.propsJson). */
export function packDoc(doc: PlanDoc): PlanDoc {
  if (doc.propsJson !== undefined) return doc;
  const propsJson = JSON.stringify(doc.plan.nodes.map((n) => n.props));
  const nodes = doc.plan.nodes.map((n) => ({ ...n, props: {} }));
  return { ...doc, plan: { ...doc.plan, nodes }, propsJson };
}

/** A node's props from a packed or unpacked doc. */
export function nodeProps(doc: PlanDoc, id: number): Record<string, unknown> {
  if (doc.propsJson === undefined) return doc.plan.nodes[id]?.props ?? {};
  const cache = unpacked.get(doc) ?? (JSON.parse(doc.propsJson) as Record<string, unknown>[]);
  unpacked.set(doc, cache);
  return cache[id] ?? {};
}

const unpacked = new WeakMap<PlanDoc, Record<string, unknown>[]>();

export function packMessage(m: HostMessage): HostMessage {
  return m.type === 'show' ? { type: 'show', doc: packDoc(m.doc) } : { type: 'compare', left: packDoc(m.left), right: packDoc(m.right) };
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
