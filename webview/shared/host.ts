// The page's side of src/vscode/panel.ts: VS Code's api (a page may acquire it once), the
// 'ready' that releases what the host queued, and requests whose answers come back by requestId.
import type { Request } from '../../src/core/requestId';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export class Host<Out extends { type: string }> {
  private readonly api = acquireVsCodeApi();

  post(m: Out): void {
    this.api.postMessage(m);
  }

  /** Call last, once the page is built: listens for the host's messages, then says 'ready'. */
  listen(onMessage: (data: unknown) => void): void {
    window.addEventListener('message', (e: MessageEvent<unknown>) => onMessage(e.data));
    this.api.postMessage({ type: 'ready' });
  }
}

/**
 * Requests waiting for the host's answer, one per key: a later request under the same key
 * replaces an earlier one (the person clicked on), so the earlier one's late answer is dropped.
 */
export class Requests<Out extends Request, Answer> {
  private next = 1;
  private readonly waiting = new Map<string, { id: number; onAnswer: (a: Answer) => void }>();

  constructor(private readonly send: (m: Out) => void) {}

  ask(key: string, request: (requestId: number) => Out, onAnswer: (a: Answer) => void): void {
    const id = this.next++;
    this.waiting.set(key, { id, onAnswer });
    this.send(request(id));
  }

  /** Hands an answer to its request, if that is still waiting; false when `m` is no answer. */
  answer(m: unknown): boolean {
    const id = (m as Partial<Request> | null)?.requestId;
    if (typeof id !== 'number') return false;
    for (const [key, w] of this.waiting) {
      if (w.id !== id) continue;
      this.waiting.delete(key);
      w.onAnswer(m as Answer);
    }
    return true;
  }

  /** The page changed: no answer is wanted any more. */
  clear(): void {
    this.waiting.clear();
  }
}
