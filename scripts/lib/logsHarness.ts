// A page that hosts the log panel's bundle outside VS Code: the theme's variables, a fake
// acquireVsCodeApi that answers 'ready' with the message given and records what the page sends
// (window.__sent), under the panel's own CSP (harnessPage.ts).
import type { HostMessage } from '../../src/core/logs/logsProtocol';
import { answeringHost, writeHarnessPage } from './harnessPage';
import { themeCss, type Theme } from './planHarness';

const EXTRA: Record<Theme, string> = {
  dark: '--vscode-charts-green: #89d185; --vscode-input-background: #313131; --vscode-input-foreground: #cccccc; --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8;',
  light:
    '--vscode-charts-green: #388a34; --vscode-input-background: #ffffff; --vscode-input-foreground: #3b3b3b; --vscode-badge-background: #cccccc; --vscode-badge-foreground: #3b3b3b;',
};

/** Writes the page into a fresh folder under `root`; returns its index.html. */
export function writeLogsHarness(root: string, dist: string, message: HostMessage, theme: Theme): string {
  return writeHarnessPage(root, {
    dist,
    bundle: 'logs',
    theme,
    css: `${themeCss(theme)} :root { ${EXTRA[theme]} }`,
    hostScript: answeringHost(message),
  });
}
