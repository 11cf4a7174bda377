// The request/answer part of every panel's protocol: a page's message that waits for an answer
// carries a requestId, and the host's answer carries the same one back (src/vscode/panel.ts,
// webview/shared/host.ts).
export interface Request {
  requestId: number;
}

export const isRequestId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export const hasRequestId = (m: object): m is Request => isRequestId((m as Partial<Request>).requestId);
