// What the plan panel holds and how it answers its page: the plan(s) shown, the tree as columns,
// a node's detail and the raw plan when the page asks for them.
import type { PlanDoc } from '../../core/explain/planDoc';
import type { Answer, HostMessage, Side, WebviewMessage } from '../../core/explain/planProtocol';
import { toWire } from '../../core/explain/planWire';

/** What the panel shows, as the extension holds it. */
export type PanelContent = { type: 'show'; doc: PlanDoc } | { type: 'compare'; left: PlanDoc; right: PlanDoc };

export function wireMessage(c: PanelContent): HostMessage {
  return c.type === 'show' ? { type: 'show', doc: toWire(c.doc) } : { type: 'compare', left: toWire(c.left), right: toWire(c.right) };
}

export function docOf(c: PanelContent, side: Side): PlanDoc {
  return c.type === 'show' ? c.doc : side === 0 ? c.left : c.right;
}

export function titleOf(c: PanelContent): string {
  return c.type === 'show' ? c.doc.title : `${c.left.title} ⇄ ${c.right.title}`;
}

/** The answer to the page's request for a node's detail or the raw plan; undefined for an unknown node. */
export function answer(c: PanelContent, m: Extract<WebviewMessage, { type: 'node' | 'raw' }>): Answer | undefined {
  const doc = docOf(c, m.side);
  if (m.type === 'raw') return { type: 'raw', side: m.side, text: doc.raw };
  const node = doc.plan.nodes[m.id];
  return node ? { type: 'node', side: m.side, node } : undefined;
}
