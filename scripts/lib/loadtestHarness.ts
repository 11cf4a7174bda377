// A page that hosts the load-test panel's bundle outside VS Code, as the webview would: VS Code's
// theme variables (planHarness's Dark/Light Modern values plus the chart colours), a fake
// acquireVsCodeApi that answers 'ready' with the message given and records what the page sends,
// under the panel's own CSP (harnessPage.ts).
import type { HostMessage } from '../../src/core/loadtest/loadtestProtocol';
import { answeringHost, writeHarnessPage } from './harnessPage';
import { themeCss, type Theme } from './planHarness';

const CHART_COLOURS: Record<Theme, string> = {
  dark: '--vscode-charts-green: #89d185; --vscode-charts-purple: #b180d7; --vscode-charts-yellow: #cca700; --vscode-dropdown-background: #313131; --vscode-dropdown-foreground: #cccccc; --vscode-dropdown-border: #3c3c3c; --vscode-inputValidation-warningBackground: #352a05; --vscode-inputValidation-warningBorder: #b89500;',
  light:
    '--vscode-charts-green: #388a34; --vscode-charts-purple: #652d90; --vscode-charts-yellow: #bf8803; --vscode-dropdown-background: #ffffff; --vscode-dropdown-foreground: #3b3b3b; --vscode-dropdown-border: #cecece; --vscode-inputValidation-warningBackground: #f6f5d2; --vscode-inputValidation-warningBorder: #b89500;',
};

/** Writes the page into a fresh folder under `root`; returns its index.html. */
export function writeLoadtestHarness(root: string, dist: string, message: HostMessage, theme: Theme): string {
  return writeHarnessPage(root, {
    dist,
    bundle: 'loadtest',
    theme,
    css: `${themeCss(theme)} :root { ${CHART_COLOURS[theme]} }`,
    hostScript: answeringHost(message),
  });
}
