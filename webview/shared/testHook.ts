// The pages' side of the one test channel (src/vscode/panel.ts): a harness that loads a page
// outside VS Code (scripts/lib/*Harness.ts) defines window.__pgdbaTest before the bundle; in
// VS Code nothing does, and these calls do nothing.
interface PageTestHook {
  /** The first frame with what the page just rendered on screen. */
  painted(page: string): void;
}

const hook = (): PageTestHook | undefined => (window as { __pgdbaTest?: PageTestHook }).__pgdbaTest;

/** Tells the harness when the frame after this one has been painted (rAF, then a task). */
export function afterPaint(page: string): void {
  const h = hook();
  if (h) requestAnimationFrame(() => setTimeout(() => h.painted(page)));
}
