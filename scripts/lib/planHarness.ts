// A page that hosts dist/webview/plan.js outside VS Code, as the webview would: VS Code's theme
// variables (Dark Modern / Light Modern values), a fake acquireVsCodeApi that answers as
// planPanel.ts does: 'ready' with the tree (planWire.ts), 'node' and 'raw' with the detail asked
// for (under the request's id), and the pages' test hook. Used by the screenshots and the bench.
import { resolve } from 'node:path';
import type { HostMessage } from '../../src/core/explain/planProtocol';
import { wireMessage, type PanelContent } from '../../src/vscode/explain/planContent';
import { writeHarnessPage } from './harnessPage';

const DIST = resolve(__dirname, '..', '..', 'dist', 'webview');

const THEMES = {
  dark: {
    'editor-background': '#1f1f1f',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    'panel-border': '#2b2b2b',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#026ec1',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'button-secondaryHoverBackground': '#3c3c3c',
    'list-hoverBackground': '#2a2d2e',
    'list-activeSelectionBackground': '#04395e',
    'list-activeSelectionForeground': '#ffffff',
    focusBorder: '#0078d4',
    'sideBar-background': '#181818',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'editorWarning-foreground': '#cca700',
    'editorError-foreground': '#f14c4c',
    'editorInfo-foreground': '#3794ff',
    'charts-red': '#f14c4c',
    'charts-orange': '#d18616',
    'charts-blue': '#3794ff',
    'editorWidget-border': '#454545',
    'textBlockQuote-background': '#2b2b2b',
    'textCodeBlock-background': '#0a0a0a',
    'inputValidation-infoBackground': '#063b49',
    'inputValidation-infoBorder': '#007acc',
    'toolbar-hoverBackground': '#5a5d5e50',
  },
  light: {
    'editor-background': '#ffffff',
    foreground: '#3b3b3b',
    descriptionForeground: '#717171',
    'panel-border': '#e5e5e5',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#0258a8',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'button-secondaryHoverBackground': '#cccccc',
    'list-hoverBackground': '#f2f2f2',
    'list-activeSelectionBackground': '#e8e8e8',
    'list-activeSelectionForeground': '#000000',
    focusBorder: '#005fb8',
    'sideBar-background': '#f8f8f8',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'editorWarning-foreground': '#bf8803',
    'editorError-foreground': '#e51400',
    'editorInfo-foreground': '#1a85ff',
    'charts-red': '#e51400',
    'charts-orange': '#d18616',
    'charts-blue': '#1a85ff',
    'editorWidget-border': '#c8c8c8',
    'textBlockQuote-background': '#f2f2f2',
    'textCodeBlock-background': '#f0f0f0',
    'inputValidation-infoBackground': '#d6ecf2',
    'inputValidation-infoBorder': '#007acc',
    'toolbar-hoverBackground': '#b8b8b850',
  },
} as const;

export type Theme = keyof typeof THEMES;

export function themeCss(theme: Theme): string {
  const vars = Object.entries(THEMES[theme]).map(([k, v]) => `--vscode-${k}: ${v};`);
  vars.push(
    '--vscode-font-family: "DejaVu Sans", system-ui, sans-serif;',
    '--vscode-font-size: 13px;',
    '--vscode-editor-font-family: "DejaVu Sans Mono", monospace;',
    '--vscode-editor-font-size: 12px;',
  );
  return `:root { ${vars.join(' ')} }`;
}

/** A host message as JSON, typed arrays written as {$typed, v} (NaN as null): the page revives them. */
export function wireJson(m: HostMessage): string {
  return JSON.stringify(m, (_k, v: unknown) =>
    ArrayBuffer.isView(v) ? { $typed: v.constructor.name, v: Array.from(v as Float64Array, (x) => (Number.isNaN(x) ? null : x)) } : v,
  ).replace(/</g, '\\u003c');
}

/** Writes the page into a fresh folder under `root` (the caller's, who removes it), with the bundle
 * from dist/webview unless told; returns its index.html. With content undefined, the page waits
 * for window.__post(message). */
export function writePlanHarness(root: string, content: PanelContent | undefined, theme: Theme = 'dark', dist = DIST): string {
  const docs = content ? (content.type === 'show' ? [content.doc] : [content.left, content.right]) : [];
  return writeHarnessPage(root, {
    dist,
    bundle: 'plan',
    theme,
    css: themeCss(theme),
    hostScript: `window.__message = ${content ? wireJson(wireMessage(content)) : 'undefined'};
window.__docs = ${JSON.stringify(docs).replace(/</g, '\\u003c')};
window.__revive = (value) => JSON.parse(JSON.stringify(value), (k, v) =>
  v && typeof v === 'object' && typeof v.$typed === 'string' ? window[v.$typed].from(v.v, (x) => (x === null ? NaN : x)) : v);
window.__sent = [];
const answer = (m) => window.postMessage(m, '*');
window.acquireVsCodeApi = () => ({
  postMessage(m) {
    window.__sent.push(m);
    const doc = window.__docs[m.side];
    if (m.type === 'ready' && window.__message) answer(window.__revive(window.__message));
    else if (m.type === 'node' && doc && doc.plan.nodes[m.id]) answer({ type: 'node', side: m.side, node: doc.plan.nodes[m.id], requestId: m.requestId });
    else if (m.type === 'raw' && doc) answer({ type: 'raw', side: m.side, text: doc.raw, requestId: m.requestId });
  },
});
window.__post = (m) => { performance.mark('plan-sent'); window.postMessage(m, '*'); };`,
  });
}
