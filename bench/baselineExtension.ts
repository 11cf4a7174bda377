// The bench's baseline: an extension that does nothing, activated the way pgdba is (opening its
// view from the activity bar), and reporting its activate() time the way pgdba does (a log line
// in its log output channel). Written to a temp dir for each bench run.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchExtension {
  /** publisher.name */
  id: string;
  /** Folder loaded as the extension under development. */
  dir: string;
  /** Title of its activity-bar entry: clicking it fires onView activation. */
  containerTitle: string;
  /** Palette label of a command that fires its activation. */
  command: string;
  /** The line its log channel gets at the end of activate(), with the milliseconds in group 1. */
  activatedLine: RegExp;
}

const MAIN = `'use strict';
const vscode = require('vscode');
exports.activate = function activate(context) {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Baseline', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.window.registerTreeDataProvider('baseline.servers', { getChildren: () => [], getTreeItem: (x) => x }));
  context.subscriptions.push(vscode.commands.registerCommand('baseline.showServerVersion', () => undefined));
  const activationMs = performance.now() - started;
  log.info('baseline activated in ' + activationMs.toFixed(1) + ' ms');
  return { activationMs };
};
exports.deactivate = function deactivate() {};
`;

export function writeBaselineExtension(iconFrom: string): BenchExtension {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bench-baseline-'));
  mkdirSync(join(dir, 'media'));
  copyFileSync(iconFrom, join(dir, 'media', 'icon.svg'));
  const manifest = {
    name: 'baseline',
    publisher: 'pgdba-bench',
    displayName: 'Baseline',
    version: '0.0.1',
    engines: { vscode: '^1.100.0' },
    main: './extension.js',
    activationEvents: ['onView:baseline.servers', 'onCommand:baseline.showServerVersion'],
    contributes: {
      viewsContainers: { activitybar: [{ id: 'baseline', title: 'Bench Baseline', icon: 'media/icon.svg' }] },
      views: { baseline: [{ id: 'baseline.servers', name: 'Servers' }] },
      commands: [{ command: 'baseline.showServerVersion', title: 'Show Server Version', category: 'Baseline' }],
    },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'extension.js'), MAIN);
  return {
    id: 'pgdba-bench.baseline',
    dir,
    containerTitle: 'Bench Baseline',
    command: 'Baseline: Show Server Version',
    activatedLine: /baseline activated in ([\d.]+) ms/,
  };
}
