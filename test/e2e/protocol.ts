// What the e2e runner (test/e2e/runE2e.ts, outside) and the test entry inside the extension host
// (test/e2e/suite) say to each other. The host's console reaches the runner through the
// workbench's codeAutomationLog; the runner answers through files, since both sides share a disk.

/** Environment the runner gives code-server, and so the extension host. */
export const ENV = {
  /** Folder where the runner writes screenshots (and their .json receipts). Unset: no screenshots. */
  screenshots: 'PGDBA_E2E_RESULTS',
  /** Name of the connection profile in pgdba.connections that points at the test server. */
  profile: 'PGDBA_E2E_PROFILE',
  /** The test server's PostgreSQL major version. */
  major: 'PGDBA_E2E_MAJOR',
  /** JSON of a FaultServer: a second server the fault tests stop and start again. */
  fault: 'PGDBA_E2E_FAULT',
  /** host:port of a PostgreSQL 15 server (the installed pg_dump is 15 and cannot dump 16), with the same password. */
  pg15: 'PGDBA_E2E_PG15',
  /** Port of a PgBouncer (transaction mode, admin user pgdba_admin, database waitdb with a pool of 1) in front of the test server. */
  bouncer: 'PGDBA_E2E_BOUNCER',
  /** JSON of an SshHop: a real sshd on 127.0.0.1 (test/support/sshServer.ts) with a user that may read the test server's configuration files. */
  ssh: 'PGDBA_E2E_SSH',
} as const;

/** The SSH hop the runner started for the SSH suite: `ssh` is user@127.0.0.1:port, `keyFile` has no passphrase; its host key is not known yet. */
export interface SshHop {
  ssh: string;
  keyFile: string;
  /**
   * A configuration file of the SSH user's own (in a folder it owns, readable by the server), for the
   * suite to include from postgresql.conf: what a DBA without root gets to edit and save over SSH.
   */
  dbaConf: string;
}

/**
 * A second PostgreSQL (another major than the main one, work_mem 8MB) that the explorer's fault
 * test stops and starts again on the same port and data directory, and a port nothing listens on.
 */
export interface FaultServer {
  host: string;
  port: number;
  major: number;
  dataDir: string;
  socketDir: string;
  binDir: string;
  /** The postmaster's arguments after -D and -p, to start it again as it was. */
  settings: Record<string, string>;
  closedPort: number;
}

/** A finished test: `${TEST_MARKER} ${JSON.stringify(TestRecord)}` on the host's console. */
export const TEST_MARKER = '__pgdba_test__';

export interface TestRecord {
  /** Full title: "suite › test". */
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  error?: string;
}

/**
 * A screenshot request: `${SCREENSHOT_MARKER} ${JSON.stringify(ScreenshotRequest)}`. The runner
 * waits (bounded) for `waitForText` to be visible, writes `<name>.png`, then `<name>.json` holding
 * a ScreenshotReceipt; the test waits for the receipt.
 */
export const SCREENSHOT_MARKER = '__pgdba_screenshot__';

export interface ScreenshotRequest {
  name: string;
  waitForText?: string;
  /** CSS selector of the part of the workbench where waitForText must show (default: anywhere). */
  within?: string;
}

/** `within: WEBVIEW`: waitForText is looked for inside the webviews' frames (a panel's page). */
export const WEBVIEW = 'webview';

/** The side bar, where a view container's views show. */
export const SIDEBAR = '[id="workbench.parts.sidebar"]';

export interface ScreenshotReceipt {
  file: string;
  /** Whether waitForText was seen on screen before the shot (true when none was asked). */
  found: boolean;
  error?: string;
}

export function isTestRecord(v: unknown): v is TestRecord {
  const r = v as Partial<TestRecord> | null;
  return !!r && typeof r.name === 'string' && (r.state === 'passed' || r.state === 'failed' || r.state === 'skipped');
}

export function isScreenshotRequest(v: unknown): v is ScreenshotRequest {
  const r = v as Partial<ScreenshotRequest> | null;
  return (
    !!r &&
    typeof r.name === 'string' &&
    /^[\w.-]+$/.test(r.name) &&
    (r.waitForText === undefined || typeof r.waitForText === 'string') &&
    (r.within === undefined || typeof r.within === 'string')
  );
}

/** The JSON after `marker` in a log line, or undefined. */
export function parseMarked(line: string, marker: string): unknown {
  const at = line.indexOf(marker);
  if (at < 0) return undefined;
  const start = line.indexOf('{', at);
  const end = line.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(line.slice(start, end + 1)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A request to act on the workbench as a person would (type into an input box, press a key,
 * click a dialog's button): `${UI_MARKER} ${JSON.stringify(UiRequest)}`. The runner performs the
 * steps in order and writes `<name>.ui.json` holding a UiReceipt.
 */
export const UI_MARKER = '__pgdba_ui__';

export type UiStep =
  /** Wait until this text is visible somewhere in the workbench. */
  | { waitFor: string }
  /** Wait until no visible element shows this text any more (a dialog closed). */
  | { waitGone: string }
  /** Type into whatever has focus (an input box after waitFor). */
  | { type: string }
  /** Set the open quick input's value at once (one input event, so its autocompletion cannot interleave), again until it keeps it. */
  | { fillQuickInput: string }
  /** Press a key or chord, in playwright's names: "Enter", "Control+A". */
  | { press: string }
  /** Click the visible button with this text (e.g. a modal dialog's "Apply"). */
  | { click: string }
  /** "TEXT|BUTTON": click BUTTON on the notification toast that shows TEXT (another toast may have a button of that name); in the notification centre when VS Code showed no toast for it. */
  | { clickInToast: string }
  /** Inside a webview's page (a frame in a frame): wait until this playwright selector matches a visible element. */
  | { frameWaitFor: string }
  /** Inside a webview's page: click the first visible element the selector matches. */
  | { frameClick: string }
  /** Inside a webview's page: drag with the mouse across the element, from 20 % to 60 % of its width (a chart's brush). */
  | { frameDrag: string };

export interface UiRequest {
  name: string;
  steps: UiStep[];
}

export interface UiReceipt {
  ok: boolean;
  error?: string;
}

export function isUiRequest(v: unknown): v is UiRequest {
  const r = v as Partial<UiRequest> | null;
  return (
    !!r &&
    typeof r.name === 'string' &&
    /^[\w.-]+$/.test(r.name) &&
    Array.isArray(r.steps) &&
    r.steps.every((s: unknown) => {
      const o = s as Record<string, unknown>;
      const keys = Object.keys(o);
      return (
        keys.length === 1 &&
        ['waitFor', 'waitGone', 'type', 'fillQuickInput', 'press', 'click', 'clickInToast', 'frameWaitFor', 'frameClick', 'frameDrag'].includes(keys[0]!) &&
        typeof o[keys[0]!] === 'string'
      );
    })
  );
}
