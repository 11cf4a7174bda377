// The active server: the connection chosen in the status bar or last selected in the tree, with
// what is known of its server (major, running values, last error). One object with one event, so
// that the status bar, the linter and the commands that default to it all hear the same news.
import * as vscode from 'vscode';
import type { ConnectionProfile } from '../core/db/profile';
import type { HostFacts } from '../core/host/facts';

type Settings = Readonly<Record<string, string>>;

export interface ActiveServerFacts {
  /** server_version_num / 10000, once read. */
  major?: number;
  /** pg_settings of that server, once read. */
  runningValues?: Settings;
  /** Why the server could not be read, when it could not. */
  error?: string;
  /** Its machine's facts (RAM, CPUs, disk), once read. */
  host?: HostFacts;
}

const STATE_KEY = 'pgdba.activeConnection';

export class ActiveServer implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Another connection became active, or what is known of the active one changed. */
  readonly onDidChange = this.emitter.event;
  private chosenName: string | undefined;
  private facts: ActiveServerFacts = {};

  constructor(
    private readonly state: vscode.Memento,
    private readonly profiles: () => readonly ConnectionProfile[],
  ) {
    this.chosenName = state.get<string>(STATE_KEY);
  }

  /** The chosen profile while it exists, else the first one (or none). */
  get profile(): ConnectionProfile | undefined {
    const all = this.profiles();
    return all.find((p) => p.name === this.chosenName) ?? all[0];
  }

  /** The profile the person chose (tree or status bar), while it exists; never a fallback. */
  get chosen(): ConnectionProfile | undefined {
    return this.chosenName === undefined ? undefined : this.profiles().find((p) => p.name === this.chosenName);
  }

  get name(): string | undefined {
    return this.profile?.name;
  }

  get major(): number | undefined {
    return this.facts.major;
  }

  get runningValues(): Settings | undefined {
    return this.facts.runningValues;
  }

  get error(): string | undefined {
    return this.facts.error;
  }

  get hostFacts(): HostFacts | undefined {
    return this.facts.host;
  }

  /** Makes `name` the active connection (remembered per workspace); its facts are read anew. */
  select(name: string): void {
    if (name === this.name && name === this.chosenName) return;
    this.chosenName = name;
    this.facts = {};
    void this.state.update(STATE_KEY, name);
    this.emitter.fire();
  }

  /** What the explorer learnt of `name`'s server; ignored unless it is the active one, fired only on news. */
  learn(name: string, facts: ActiveServerFacts): void {
    if (name !== this.name) return;
    const next = { ...this.facts, ...facts };
    if ('error' in facts && facts.error === undefined) delete next.error;
    if (next.major === this.facts.major && next.runningValues === this.facts.runningValues && next.error === this.facts.error && next.host === this.facts.host)
      return;
    this.facts = next;
    this.emitter.fire();
  }

  /** Settings changed (profiles may have gone or changed): what was known is stale. */
  forget(): void {
    this.facts = {};
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
