// The log panel as the e2e suites drive it: a panel's first report, Refresh clicked until the
// report has what a test logged, and the core's own report of the same files (the CLI) to check
// the page's figures against.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { LogReport } from '../../../src/core/logs';
import type { LogPanel } from '../../../src/vscode/logs/logPanel';
import { client, type Conn } from './connection';
import { ui } from './ui';
import { waitFor } from './wait';

/** The panel a command opened, once its first report is in. */
export async function firstReport(panel: LogPanel | undefined, opener: string): Promise<LogPanel> {
  assert.ok(panel, `${opener} opened no panel`);
  await waitFor(
    'the first report',
    () => {
      if (panel.failure) throw new Error(panel.failure);
      return panel.report;
    },
    120_000,
  );
  return panel;
}

/** A new log panel on the test server, once its first report is in. */
export const openPanel = async (name: string) =>
  firstReport(await vscode.commands.executeCommand<LogPanel | undefined>('pgdba.openServerLogs', name), 'pgdba.openServerLogs');

/** The core's own report of files (the CLI, `pgdba logs --format json`): the truth the panel's figures are checked against. */
export function cliReport(args: string[]): Promise<LogReport> {
  const cli = join(vscode.extensions.getExtension('pgdba.pgdba')!.extensionPath, 'dist', 'cli.js');
  return new Promise((done, fail) =>
    execFile(process.execPath, [cli, 'logs', '--format', 'json', ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (e, stdout, stderr) =>
      e && e.code !== 1 ? fail(new Error(`pgdba logs: ${stderr}`)) : done(JSON.parse(stdout) as LogReport),
    ),
  );
}

/** Refresh clicked until the report passes `done` (the collector writes a moment after the statement); every report on the way, the first one included. */
export async function refreshUntil(panel: LogPanel, name: string, done: (r: LogReport) => boolean): Promise<LogReport[]> {
  const reports = [panel.report!];
  const deadline = Date.now() + 60_000;
  while (!done(reports.at(-1)!)) {
    if (Date.now() > deadline) throw new Error(`${name}: no Refresh brought the statements in within 60 s`);
    const prev = reports.at(-1)!;
    await ui(`${name}-${reports.length}`, [{ frameClick: 'button:text-is("Refresh")' }]);
    reports.push(
      await waitFor(
        'the refreshed report',
        () => {
          if (panel.failure) throw new Error(panel.failure);
          return panel.report !== prev ? panel.report : undefined;
        },
        60_000,
      ),
    );
  }
  return reports;
}

/**
 * A statement of a group of its own: libpg-query's fingerprint leaves out aliases but keeps the
 * columns a statement refers to, so the column `name` (of this run only) makes the group new.
 */
export const ownShape = (name: string) => `SELECT pg_sleep(${name}), $2::text AS guest FROM (SELECT $1::float8 AS ${name}) AS t`;

export const figure = (label: string, value: number) => `.stat:has(.stat-label:text-is("${label}")) .stat-value:text-is("${value}")`;

/** The log is only there when the test server runs logging_collector (not under PGDBA_TEST_URL's own server, perhaps). */
export async function hasLog(conn: Conn): Promise<boolean> {
  const db = await client(conn);
  try {
    const on = (await db.query<{ v: string }>("SELECT current_setting('logging_collector') AS v")).rows[0]!.v === 'on';
    if (!on) console.log('# skipped: the test server does not run logging_collector (PGDBA_TEST_URL?): there is no log to read');
    return on;
  } finally {
    await db.end();
  }
}

/** Each read of `reports` starts where the one before it ended (a file new since then: at 0); the bytes the first read and the Refreshes read. */
export function readsFollowOn(reports: LogReport[]): { firstBytes: number; refreshBytes: number } {
  for (let i = 1; i < reports.length; i++) {
    for (const s of reports[i]!.sources) {
      const before = reports[i - 1]!.sources.find((p) => p.label === s.label);
      assert.equal(s.from, before ? before.from + before.bytes : 0, `read ${i} of ${s.label}: ${JSON.stringify({ before, now: s })}`);
    }
  }
  const bytes = (r: LogReport) => r.sources.reduce((n, s) => n + s.bytes, 0);
  return { firstBytes: bytes(reports[0]!), refreshBytes: reports.slice(1).reduce((n, r) => n + bytes(r), 0) };
}
