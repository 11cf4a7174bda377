// The extension's context object: config, services, and the list of things to dispose.
// Commands are registered from factories so that the 'pgdba.' prefix, error reporting and
// disposal live in one place.
import * as vscode from 'vscode';
import { readConfig, type PgdbaConfig } from './config';
import { Connections, ConnectionError } from './connections';
import { Log } from './log';
import { OpenPanels } from './panel';
import { TestChannel } from './testChannel';
import { ExplainRunner } from './explain/runFromEditor';
import { LoadTests } from './loadtest/loadTests';
import { Dashboards } from './dashboard/dashboards';

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
    this.test = extension.extensionMode === vscode.ExtensionMode.Test ? new TestChannel(this) : undefined;
    this.push(this.log, this.connections, this.panels);
    this.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('pgdba')) return;
        this.cfg = readConfig();
        this.connections.reset();
        this.configListeners.forEach((l) => l(this.cfg));
      }),
    );
    for (const err of this.cfg.connectionErrors) this.log.warn(`settings: ${err}`);
  }

  // Services the commands share, created on first use (activation stays light).
  private readonly services: { explainRuns?: ExplainRunner; loadTests?: LoadTests; dashboards?: Dashboards } = {};
  get explainRuns(): ExplainRunner {
    return (this.services.explainRuns ??= new ExplainRunner(this));
  }
  get loadTests(): LoadTests {
    return (this.services.loadTests ??= new LoadTests(this));
  }
  get dashboards(): Dashboards {
    return (this.services.dashboards ??= new Dashboards(this));
  }

  /** The connection chosen in the status bar or last selected in the tree. */
  activeProfileName: string | undefined;

  /** The major version of the active connection's server, once read (set by the explorer). */
  activeServerMajor: () => number | undefined = () => undefined;

  /**
   * Settings as the linter needs them: pgdba.pgVersion, else the connected server's major
   * (the order: CLI flag, setting, connected server, default 16).
   */
  get lintConfig(): PgdbaConfig {
    return this.cfg.pgVersion !== undefined ? this.cfg : { ...this.cfg, pgVersion: this.activeServerMajor() };
  }

  /** pg_settings of the active connection's server, once read (set by the explorer). */
  activeRunningValues: () => Readonly<Record<string, string>> | undefined = () => undefined;

  /** Running values for the linter: only when it lints for the server's own major. */
  get lintRunningValues(): Readonly<Record<string, string>> | undefined {
    const major = this.activeServerMajor();
    return major !== undefined && this.lintConfig.pgVersion === major ? this.activeRunningValues() : undefined;
  }

  private readonly serverListeners: (() => void)[] = [];

  /** The active server's version or running values were (re)read, or another one became active. */
  onActiveServerChange(listener: () => void): void {
    this.serverListeners.push(listener);
  }

  fireActiveServerChange(): void {
    this.serverListeners.forEach((l) => l());
  }

  private readonly configListeners: ((c: PgdbaConfig) => void)[] = [];

  get config(): PgdbaConfig {
    return this.cfg;
  }

  /** Disposing the result unregisters the listener (panels that close before the extension does). */
  onConfigChange(listener: (c: PgdbaConfig) => void): vscode.Disposable {
    this.configListeners.push(listener);
    return new vscode.Disposable(() => {
      const i = this.configListeners.indexOf(listener);
      if (i >= 0) this.configListeners.splice(i, 1);
    });
  }

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
    const message = e instanceof ConnectionError ? e.message : e instanceof Error ? e.message : String(e);
    this.log.error(`${where} failed`, e);
    void vscode.window.showErrorMessage(message, 'Show Log').then((pick) => {
      if (pick) this.log.show();
    });
  }
}
