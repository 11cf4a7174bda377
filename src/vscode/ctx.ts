// The extension's context object: config, services, and the list of things to dispose.
// Commands are registered from factories so that the 'pgdba.' prefix, error reporting and
// disposal live in one place.
import * as vscode from 'vscode';
import { readConfig, type PgdbaConfig } from './config';
import { errorText } from '../core/db/connectError';
import { VSCODE_ADVICE } from './connectAdvice';
import { Connections } from './connections';
import { Log } from './log';
import { ActiveServer } from './activeServer';
import { ExplorerProvider } from './explorer/explorerProvider';
import { ResultDocuments } from './explorer/resultDocument';
import { LintDiagnostics } from './lint/lintDiagnostics';
import { lintEnvironment } from './lint/lintEnvironment';
import { BackupStore } from './backup/backupStore';
import { OpenPanels } from './panel';
import { TestChannel } from './testChannel';
import { ExplainRunner } from './explain/runFromEditor';
import { LoadTests } from './loadtest/loadTests';
import { Dashboards } from './dashboard/dashboards';
import { ServerFiles } from './serverfiles/serverFiles';
import { SlowLogMemories } from './health/slowLogMemories';

export type CommandFactory = (ctx: Ctx) => (...args: unknown[]) => unknown;

export class Ctx {
  private cfg: PgdbaConfig = readConfig();
  readonly log = new Log();
  readonly connections: Connections;
  readonly panels = new OpenPanels();
  /** The one test channel (see panel.ts): only under a test runner. */
  readonly test: TestChannel | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.connections = new Connections(extension.secrets, () => this.cfg);
    this.activeServer = new ActiveServer(extension.workspaceState, () => this.cfg.connections);
    this.test = extension.extensionMode === vscode.ExtensionMode.Test ? new TestChannel(this) : undefined;
    this.push(this.log, this.connections, this.activeServer, this.configChanged, this.panels);
    // The services below listen to the ones above: built after them, disposed with the window.
    this.explorer = new ExplorerProvider(this);
    this.results = new ResultDocuments();
    this.lint = new LintDiagnostics(lintEnvironment(this), this.log);
    this.backups = new BackupStore(this);
    this.push(this.explorer, this.results, this.lint, this.backups);
    this.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('pgdba')) return;
        const before = this.cfg;
        this.cfg = readConfig();
        this.connections.settingsChanged(before, this.cfg);
        this.slowLogs.settingsChanged(before, this.cfg);
        this.activeServer.forget();
        this.configChanged.fire(this.cfg);
      }),
    );
    for (const err of this.cfg.connectionErrors) this.log.warn(`settings: ${err}`);
  }

  /** The connection chosen in the status bar or last selected in the tree, and its server. */
  readonly activeServer: ActiveServer;
  /** The Servers view's data: sessions per profile, what each server showed. */
  readonly explorer: ExplorerProvider;
  /** The texts of "Open as Table" documents. */
  readonly results: ResultDocuments;
  /** Diagnostics of the open config files, and their findings for Quick Fixes. */
  readonly lint: LintDiagnostics;
  /** The backups of pgdba.backup.directory and the Drive folder, with a change event. */
  readonly backups: BackupStore;
  /** The health report's slow query log per profile: a later report reads only what the log gained. */
  readonly slowLogs = new SlowLogMemories();

  // Services the commands share, created on first use (activation stays light).
  private readonly services: { explainRuns?: ExplainRunner; loadTests?: LoadTests; dashboards?: Dashboards; serverFiles?: ServerFiles } = {};
  get explainRuns(): ExplainRunner {
    return (this.services.explainRuns ??= new ExplainRunner(this));
  }
  get loadTests(): LoadTests {
    return (this.services.loadTests ??= new LoadTests(this));
  }
  get dashboards(): Dashboards {
    return (this.services.dashboards ??= new Dashboards(this));
  }
  /** The server's own files (the pgdba-server file system), per profile. */
  get serverFiles(): ServerFiles {
    if (!this.services.serverFiles) this.push((this.services.serverFiles = new ServerFiles(this)));
    return this.services.serverFiles;
  }

  private readonly configChanged = new vscode.EventEmitter<PgdbaConfig>();

  get config(): PgdbaConfig {
    return this.cfg;
  }

  /** pgdba.* settings changed (re-read). Disposing the result unregisters the listener. */
  readonly onConfigChange = this.configChanged.event;

  push(...disposables: vscode.Disposable[]): void {
    this.extension.subscriptions.push(...disposables);
  }

  /** Registers `pgdba.<name>`; an error reaches the person once, details go to the log. */
  registerCommand(name: string, factory: CommandFactory): void {
    const handler = factory(this);
    this.push(
      vscode.commands.registerCommand(`pgdba.${name}`, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (e) {
          this.reportError(`pgdba.${name}`, e);
          return undefined;
        }
      }),
    );
  }

  reportError(where: string, e: unknown): void {
    const message = errorText(e, VSCODE_ADVICE);
    this.log.error(`${where} failed`, e);
    void vscode.window.showErrorMessage(message, 'Show Log').then((pick) => {
      if (pick) this.log.show();
    });
  }
}
