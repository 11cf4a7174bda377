// A page that hosts the dashboard bundle outside VS Code, as the webview would: VS Code's theme
// variables, a fake acquireVsCodeApi that answers 'ready' with the messages given (and records
// what the page sends in window.__sent), under the panel's own CSP (harnessPage.ts). Used by the browser test, the screenshots and the chart bench.
import type { HostMessage } from '../../src/core/dashboard/dashboardProtocol';
import { writeHarnessPage } from './harnessPage';
import { themeCss, type Theme } from './planHarness';

/** The chart colours VS Code's Dark Modern / Light Modern themes give webviews. */
const CHART_VARS: Record<Theme, string> = {
  dark: '--vscode-charts-foreground: #cccccc; --vscode-charts-lines: #cccccc30; --vscode-charts-green: #89d185; --vscode-charts-purple: #b180d7; --vscode-charts-yellow: #cca700; --vscode-errorForeground: #f85149; --vscode-editor-selectionBackground: #264f78; --vscode-settings-dropdownBackground: #313131; --vscode-settings-dropdownForeground: #cccccc; --vscode-settings-dropdownBorder: #3c3c3c; --vscode-settings-dropdownListBorder: #454545; --vscode-widget-shadow: #0000005c;',
  light:
    '--vscode-charts-foreground: #616161; --vscode-charts-lines: #61616130; --vscode-charts-green: #388a34; --vscode-charts-purple: #652d90; --vscode-charts-yellow: #bf8803; --vscode-errorForeground: #a1260d; --vscode-editor-selectionBackground: #add6ff; --vscode-settings-dropdownBackground: #ffffff; --vscode-settings-dropdownForeground: #3b3b3b; --vscode-settings-dropdownBorder: #cecece; --vscode-settings-dropdownListBorder: #c8c8c8; --vscode-widget-shadow: #00000029;',
};

/** Writes the page into a fresh folder under `root`; returns its index.html. */
export function writeDashboardHarness(root: string, dist: string, messages: HostMessage[], theme: Theme = 'dark'): string {
  return writeHarnessPage(root, {
    dist,
    bundle: 'dashboard',
    theme,
    css: `${themeCss(theme)}\n:root { ${CHART_VARS[theme]} }\n`,
    hostScript: `window.__messages = ${JSON.stringify(messages).replace(/</g, '\\u003c')};
window.__sent = [];
window.acquireVsCodeApi = () => ({
  postMessage(m) {
    window.__sent.push(m);
    if (m && m.type === 'ready') for (const x of window.__messages) window.postMessage(x, '*');
  },
});
window.__post = (m) => window.postMessage(m, '*');`,
  });
}
