// The load-test panel's messages, both directions; the extension and webview/loadtest import this
// file. Everything from the webview is validated (parseWebviewMessage) before the extension acts.
import type { RunComparison } from './compare';
import type { LoadTestRun } from './types';

/** What the panel shows: one run, or two side by side. */
export type PanelView = { kind: 'run'; id: string } | { kind: 'compare'; beforeId: string; afterId: string; comparison: RunComparison };

export type HostMessage = { type: 'state'; runs: LoadTestRun[]; view: PanelView };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'select'; id: string }
  | { type: 'compare'; beforeId: string; afterId: string }
  /** Save the run as a .json file. */
  | { type: 'save'; id: string }
  /** Open a saved run (.json) into the session's list. */
  | { type: 'open' };

const isId = (v: unknown): v is string => typeof v === 'string' && /^[\w-]{1,64}$/.test(v);

export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'open':
      return { type: m.type };
    case 'select':
    case 'save':
      return isId(m.id) ? { type: m.type, id: m.id } : undefined;
    case 'compare':
      return isId(m.beforeId) && isId(m.afterId) && m.beforeId !== m.afterId ? { type: 'compare', beforeId: m.beforeId, afterId: m.afterId } : undefined;
    default:
      return undefined;
  }
}
