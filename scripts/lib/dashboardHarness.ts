// A page that hosts the dashboard bundle outside VS Code, as the webview would: VS Code's theme
// variables, a fake acquireVsCodeApi that answers 'ready' with the messages given (and records
// what the page sends in window.__sent), and a CSP as strict as the panel's: nonce scripts, no
// inline styles, nothing remote. Used by the browser test, the screenshots and the chart bench.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostMessage } from '../../src/core/dashboard/dashboardProtocol';
import { themeCss, type Theme } from './planHarness';

/** The chart colours VS Code's Dark Modern / Light Modern themes give webviews. */
const CHART_VARS: Record<Theme, string> = {
  dark: '--vscode-charts-foreground: #cccccc; --vscode-charts-lines: #cccccc30; --vscode-charts-green: #89d185; --vscode-charts-purple: #b180d7; --vscode-charts-yellow: #cca700; --vscode-errorForeground: #f85149; --vscode-editor-selectionBackground: #264f78; --vscode-settings-dropdownBackground: #313131; --vscode-settings-dropdownForeground: #cccccc; --vscode-settings-dropdownBorder: #3c3c3c; --vscode-settings-dropdownListBorder: #454545; --vscode-widget-shadow: #0000005c;',
  light:
    '--vscode-charts-foreground: #616161; --vscode-charts-lines: #61616130; --vscode-charts-green: #388a34; --vscode-charts-purple: #652d90; --vscode-charts-yellow: #bf8803; --vscode-errorForeground: #a1260d; --vscode-editor-selectionBackground: #add6ff; --vscode-settings-dropdownBackground: #ffffff; --vscode-settings-dropdownForeground: #3b3b3b; --vscode-settings-dropdownBorder: #cecece; --vscode-settings-dropdownListBorder: #c8c8c8; --vscode-widget-shadow: #00000029;',
};

/** Writes the page into a fresh folder under `root`; returns its index.html. */
export function writeDashboardHarness(root: string, dist: string, messages: HostMessage[], theme: Theme = 'dark'): string {
  const dir = mkdtempSync(join(root, 'page-'));
  const nonce = 'harness-nonce';
  writeFileSync(join(dir, 'theme.css'), `${themeCss(theme)}\n:root { ${CHART_VARS[theme]} }\n`);
  writeFileSync(
    join(dir, 'host.js'),
    `window.__messages = ${JSON.stringify(messages).replace(/</g, '\\u003c')};
window.__sent = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => ({
  postMessage(m) {
    window.__sent.push(m);
    if (m && m.type === 'ready') for (const x of window.__messages) window.postMessage(x, '*');
  },
});
window.__post = (m) => window.postMessage(m, '*');`,
  );
  const csp = `default-src 'none'; style-src file:; script-src 'nonce-${nonce}'; img-src file: data:; font-src file:`;
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="theme.css">
<link rel="stylesheet" href="file://${dist}/dashboard.css">
<script nonce="${nonce}" src="host.js"></script>
</head><body class="vscode-${theme}"><div id="app"></div>
<script nonce="${nonce}" src="file://${dist}/dashboard.js"></script>
</body></html>`;
  const file = join(dir, 'index.html');
  writeFileSync(file, html);
  return file;
}
