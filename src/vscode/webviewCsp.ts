// The Content-Security-Policy of every pgdba panel, apart from webviewHtml.ts so that the browser
// tests' harness pages (scripts/lib/harnessPage.ts) load each page under the very same policy.
// No vscode import here for that reason.

/** `source` is where the extension's files come from (the webview's cspSource; `file:` in the harness). */
export function webviewCsp(source: string, nonce: string): string {
  return [`default-src 'none'`, `style-src ${source}`, `script-src 'nonce-${nonce}'`, `img-src ${source} data:`, `font-src ${source}`].join('; ');
}
