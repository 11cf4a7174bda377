// The page every pgdba panel loads: one bundle and its stylesheet from dist/webview/, under a CSP
// that allows only this nonce's script and the extension's own files — no remote resource, no
// inline style. @vscode-elements (lit) styles through constructable stylesheets and uPlot sizes
// elements from script, so neither needs 'unsafe-inline' (the browser tests load the pages under
// this policy).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewCsp } from './webviewCsp';

/** `name` is the folder under webview/: dist/webview/<name>.js and <name>.css. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, name: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  const csp = webviewCsp(webview.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${asset(`${name}.css`)}">
</head><body><div id="app"></div>
<script nonce="${nonce}" src="${asset(`${name}.js`)}"></script>
</body></html>`;
}
