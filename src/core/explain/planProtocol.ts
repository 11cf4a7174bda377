// The plan panel's messages, both directions; the extension and webview/plan import this file.
// The tree goes as columns (planWire.ts); a node's detail and the raw plan are requests the host
// answers with the same requestId. Everything from the webview is validated (parseWebviewMessage)
// before the extension acts on it. What the host does with them: src/vscode/explain/planContent.ts.
import { isRequestId, type Request } from '../requestId';
import type { PlanNode } from './planTypes';
import type { WireDoc } from './planWire';

/** Which plan of the panel: 0 the one shown (the left one when comparing), 1 the right one. */
export type Side = 0 | 1;

export type HostMessage = { type: 'show'; doc: WireDoc } | { type: 'compare'; left: WireDoc; right: WireDoc } | (Answer & Request);

/** The answer to a 'node' request (the node in full, its server properties included) or a 'raw' one. */
export type Answer = { type: 'node'; side: Side; node: PlanNode } | { type: 'raw'; side: Side; text: string };

export type WebviewMessage =
  | { type: 'ready' }
  /** Save the plan shown (the left one when comparing) as a .json file. */
  | { type: 'save' }
  | { type: 'copy'; text: string }
  /** Open another plan to compare with the one shown. */
  | { type: 'compareWith' }
  /** The detail of a node, when the person selects it. */
  | ({ type: 'node'; side: Side; id: number } & Request)
  /** The raw plan, when its tab opens. */
  | ({ type: 'raw'; side: Side } & Request);

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
      return (m.side === 0 || m.side === 1) && Number.isInteger(m.id) && (m.id as number) >= 0 && isRequestId(m.requestId)
        ? { type: 'node', side: m.side, id: m.id as number, requestId: m.requestId }
        : undefined;
    case 'raw':
      return (m.side === 0 || m.side === 1) && isRequestId(m.requestId) ? { type: 'raw', side: m.side, requestId: m.requestId } : undefined;
    default:
      return undefined;
  }
}
