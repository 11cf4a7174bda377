// One workbench window of code-server driven by playwright-core: with the extension under
// development loaded into the server-side extension host, and optionally a test entry run there.
// The handshake is the workbench's own (the one @vscode/test-web uses): the host's console comes
// out through codeAutomationLog, and the test entry's outcome through codeAutomationExit.
import type { Page } from 'playwright-core';
import { remotePath, workbenchUrl, type VscodeHost } from './vscodeHost';
import { waitForWorkbench } from './browser';

export interface AutomationLogFile {
  relativePath: string;
  contents: string;
}

export interface TestWindowResult {
  /** What run() settled with (0 resolved, non-zero rejected); undefined when none was reported. */
  exitCode: number | undefined;
  /** The window's log files, as the workbench hands them over at exit. */
  logs: AutomationLogFile[];
  /** Why no exit was reported, when none was. */
  problem?: string;
}

export interface WindowOptions {
  /** Folder of the extension under development (absolute, on this machine). */
  extensionDevelopmentPath: string;
  /** The bundled test entry exporting run(); without it, the window is for driving the UI. */
  extensionTestsPath?: string;
  /** Every line the workbench logs in automation mode (the extension host's console included). */
  onLog?: (level: string, text: string) => void;
}

function textOf(args: unknown): string {
  if (Array.isArray(args)) return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return typeof args === 'string' ? args : JSON.stringify(args);
}

function payloadOf(host: VscodeHost, o: WindowOptions): [string, string][] {
  const payload: [string, string][] = [['extensionDevelopmentPath', remotePath(host, o.extensionDevelopmentPath)]];
  if (o.extensionTestsPath) payload.push(['extensionTestsPath', remotePath(host, o.extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  return payload;
}

/** Opens the window with the extension under development, for a person's (playwright's) hands. */
export async function openDevelopmentWindow(page: Page, host: VscodeHost, o: WindowOptions, timeoutMs = 60_000): Promise<void> {
  if (o.onLog) {
    const onLog = o.onLog;
    await page.exposeFunction('codeAutomationLog', (level: unknown, args: unknown) => onLog(String(level), textOf(args)));
  }
  await page.goto(workbenchUrl(host, payloadOf(host, o)), { timeout: timeoutMs });
  await waitForWorkbench(page, timeoutMs);
}

/** Runs the test entry in a fresh window; resolves when it reports its exit or `timeoutMs` passes. */
export async function runTestWindow(
  page: Page,
  host: VscodeHost,
  o: WindowOptions & { extensionTestsPath: string },
  timeoutMs: number,
): Promise<TestWindowResult> {
  let settle: (r: TestWindowResult) => void = () => undefined;
  const outcome = new Promise<TestWindowResult>((r) => (settle = r));
  await page.exposeFunction('codeAutomationExit', (code: unknown, logs: unknown) => {
    settle({ exitCode: typeof code === 'number' ? code : Number(code), logs: Array.isArray(logs) ? (logs as AutomationLogFile[]) : [] });
  });
  page.on('crash', () => settle({ exitCode: undefined, logs: [], problem: 'the browser page crashed' }));
  page.on('close', () => settle({ exitCode: undefined, logs: [], problem: 'the browser page closed' }));
  const timer = setTimeout(
    () => settle({ exitCode: undefined, logs: [], problem: `no exit reported by the test entry within ${Math.round(timeoutMs / 1000)} s` }),
    timeoutMs,
  );
  try {
    await openDevelopmentWindow(page, host, o, timeoutMs);
  } catch (e) {
    settle({ exitCode: undefined, logs: [], problem: `the workbench did not open: ${(e as Error).message}` });
  }
  const result = await outcome;
  clearTimeout(timer);
  return result;
}
