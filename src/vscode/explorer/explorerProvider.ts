// The "Servers" view: one node per connection profile. Reads each server's version and alerts
// when the root is shown, retries unreachable servers on its own (every RETRY_MS) so the tree
// recovers when a server comes back, refreshes on an interval (pgdba.explorer.refreshSeconds),
// and shows the number of alerts as the view's badge: the metrics' read with the root, the health
// checks' (#15) read just after it, in the background, and kept a while (ServerSession.healthAlerts).
// A server that has not answered within ROOT_WAIT_MS shows as "connecting…" beside the others, and
// becomes its node when its read ends.
import * as vscode from 'vscode';
import { collectAlerts } from '../../core/stats/alerts';
import { resolveThresholds, type Thresholds } from '../../core/stats/thresholds';
import { errorText } from '../../core/db/connectError';
import { VSCODE_ADVICE } from '../connectAdvice';
import type { Ctx } from '../ctx';
import type { ExplorerNode } from './node';
import { alertCounts, connectingServerNode, serverNode, type ExtraBranches, type ServerState } from './serverNode';
import type { ConnectionProfile } from '../../core/db/profile';
import { ServerSession } from './session';
import { TablePages } from './databaseNodes';
import { settledChildren } from './settled';
import { walkthroughDone } from '../walkthrough';

/** How often an unreachable server is tried again. */
export const RETRY_MS = 5000;
/** How long the root waits for a server's read before it shows that server as connecting. */
export const ROOT_WAIT_MS = 2000;

const PENDING = Symbol('pending');
/** The promise's value, or PENDING when it takes longer than `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof PENDING> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<typeof PENDING>((r) => (timer = setTimeout(() => r(PENDING), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export class ExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sessions = new Map<string, ServerSession>();
  private readonly states = new Map<string, ServerState>();
  private readonly nodes = new Map<string, ExplorerNode>();
  private readonly parents = new Map<string, ExplorerNode>();
  readonly pages = new TablePages();
  private retryTimer?: NodeJS.Timeout;
  private lostTimer?: NodeJS.Timeout;
  private intervalTimer?: NodeJS.Timeout;
  view?: vscode.TreeView<ExplorerNode>;
  /** Branches other features add under each server (registered by them, e.g. Backups). */
  private readonly extraBranches: ExtraBranches[] = [];
  /** Counts the root's reads: a late server read belongs to the one it was part of. */
  private rootReads = 0;

  addServerBranches(extra: ExtraBranches): void {
    this.extraBranches.push(extra);
  }

  constructor(private readonly ctx: Ctx) {
    ctx.onConfigChange(() => {
      this.sessions.clear();
      this.schedule();
      this.refresh();
    });
    // A server that goes away turns its node into an error node now, not at the next refresh.
    ctx.connections.onConnectionLost((name, reason) => {
      ctx.log.warn(`${name}: connection lost (${reason})`);
      this.sessions.get(name)?.forget();
      if (this.lostTimer) return; // every idle connection reports it: one re-read for all
      this.lostTimer = setTimeout(() => {
        this.lostTimer = undefined;
        this.changed.fire(undefined);
      }, 250);
    });
    this.schedule();
  }

  /** Makes `name` the active connection and tells the service what is known of its server. */
  choose(name: string): void {
    this.ctx.activeServer.select(name);
    this.tellActive(name);
  }

  /**
   * What the tree read of the active server goes to the active-server service: its state for the
   * status bar, its major, running values and host facts for the linter (read once per connection).
   */
  private tellActive(name: string | undefined): void {
    const active = this.ctx.activeServer;
    if (!name || name !== active.name) return;
    const error = this.lastState(name)?.error;
    const session = this.session(name);
    active.learn(name, { error, major: session?.knownVersion?.major });
    if (error || !session) return;
    session.runningValues().then(
      (runningValues) => active.learn(name, { runningValues }),
      (e: unknown) => this.ctx.log.warn(`${name}: running values not read for the linter: ${e instanceof Error ? e.message : String(e)}`),
    );
    session.hostFacts().then(
      (host) => active.learn(name, { host }),
      (e: unknown) => this.ctx.log.warn(`${name}: host facts not read for the linter: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  /** What the root showed for a server when VS Code last read it (tests and the status bar). */
  lastState(profileName: string): Pick<ServerState, 'error' | 'versionText'> | undefined {
    const st = this.states.get(profileName);
    return st && { error: st.error, versionText: st.versionText };
  }

  session(profileName: string): ServerSession | undefined {
    const profile = this.ctx.connections.find(profileName);
    if (!profile) return undefined;
    let s = this.sessions.get(profileName);
    if (!s || s.profile !== profile) {
      s = new ServerSession(this.ctx, profile);
      this.sessions.set(profileName, s);
    }
    return s;
  }

  /** Forgets what was read and shows the tree anew (keepHealth: the interval's, which leaves the health checks' alerts to their time to live). */
  refresh(node?: ExplorerNode, o: { keepHealth?: boolean } = {}): void {
    if (!node) {
      this.pages.clear();
      for (const s of this.sessions.values()) s.forget(o);
    }
    this.changed.fire(node);
  }

  /** Re-lists one server's databases (after a restore made one), asking no other server anything. */
  refreshDatabases(profileName: string): void {
    const node = this.nodes.get(`server:${profileName}/databases`);
    if (node) this.changed.fire(node);
  }

  nodeById(id: string): ExplorerNode | undefined {
    return this.nodes.get(id);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return node.item();
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    const children = node ? await settledChildren(node.id, 'Tree', () => node.children?.() ?? Promise.resolve([])) : await this.roots();
    for (const c of children) {
      this.nodes.set(c.id, c);
      if (node) this.parents.set(c.id, node);
      else this.parents.delete(c.id);
    }
    return children;
  }

  /** Known for every node already shown: what TreeView.reveal needs. */
  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return this.parents.get(node.id);
  }

  private async roots(): Promise<ExplorerNode[]> {
    const generation = ++this.rootReads;
    const profiles = this.ctx.connections.profiles();
    const { thresholds, problems } = resolveThresholds(this.ctx.config.thresholds);
    for (const p of problems) this.ctx.log.warn(`settings: pgdba.alerts.thresholds: ${p}`);
    const reads = profiles.map((p) => this.readState(p.name));
    // One server that does not answer holds its own node only, not the whole view.
    const first = await Promise.all(reads.map((r) => within(r, ROOT_WAIT_MS)));
    const nodes: ExplorerNode[] = [];
    const states: ServerState[] = [];
    first.forEach((st, i) => {
      if (st === PENDING) {
        nodes.push(this.connecting(profiles[i]!, reads[i]!, generation, thresholds));
        return;
      }
      if (!st) return;
      states.push(st);
      nodes.push(this.shown(st, thresholds));
    });
    this.afterRead(states, thresholds);
    return nodes;
  }

  /** The node of a server read, its state kept for lastState and the badge. */
  private shown(st: ServerState, thresholds: Thresholds): ExplorerNode {
    this.states.set(st.session.profile.name, st);
    return serverNode(st, this.pages, thresholds, (session, serverId) => this.extraOf(session, serverId));
  }

  private async extraOf(session: ServerSession, serverId: string): Promise<ExplorerNode[]> {
    return (await Promise.all(this.extraBranches.map((b) => b(session, serverId)))).flat();
  }

  /** What follows the servers' reads: the badge, the health checks' alerts, the retry of those in error, the walkthrough, the linter's server. */
  private afterRead(states: ServerState[], thresholds: Thresholds): void {
    this.showBadge();
    for (const st of states) if (!st.error) this.readHealthAlerts(st, thresholds);
    if (states.some((st) => st.error !== undefined)) this.retrySoon();
    if (states.some((st) => st.error === undefined)) walkthroughDone('connected');
    const active = this.ctx.activeServer.name;
    if (states.some((st) => st.session.profile.name === active)) this.tellActive(active);
  }

  /** A server still being read when the root was shown: its last node or "connecting…", then its new node when the read ends (kept and shown unless a newer root read has its own). */
  private connecting(profile: ConnectionProfile, read: Promise<ServerState | undefined>, generation: number, thresholds: Thresholds): ExplorerNode {
    // A server read before keeps what it showed meanwhile (a retry of one in error, a slow refresh).
    const before = this.states.get(profile.name);
    const previous = before && serverNode(before, this.pages, thresholds);
    const settled = read.then((st) => {
      if (!st) return undefined;
      // A newer root read has its own state and node for this server; this node still answers whoever holds it.
      if (generation !== this.rootReads) return serverNode(st, this.pages, thresholds, (session, serverId) => this.extraOf(session, serverId));
      const node = this.shown(st, thresholds);
      this.afterRead([st], thresholds);
      return node;
    });
    const node = connectingServerNode(profile, settled, previous);
    void settled.then((real) => {
      if (real && this.nodes.get(node.id) === node) this.changed.fire(node);
    });
    return node;
  }

  /** The view's badge: every reachable server's alerts, the metrics' and the health checks' last read. */
  private showBadge(): void {
    if (!this.view) return;
    let n = 0;
    for (const st of this.states.values()) if (!st.error) n += alertCounts(st).total;
    this.view.badge = n > 0 ? { value: n, tooltip: `${n} alert${n > 1 ? 's' : ''} on your servers` } : undefined;
  }

  /**
   * The health checks' alerts, read after the tree is shown (the refresh waits for none of it) and
   * kept by the session a while; when the count moves, the badge and that server's node (its
   * description and Alerts label) are redrawn, nothing re-read.
   */
  private readHealthAlerts(st: ServerState, thresholds: Thresholds): void {
    const name = st.session.profile.name;
    const before = alertCounts(st).health;
    st.session.healthAlerts(thresholds).then(
      (found) => {
        if (this.states.get(name) !== st) return; // a newer refresh has its own
        if (found.length === before) return;
        this.showBadge();
        const node = this.nodes.get(`server:${name}`);
        if (node) this.changed.fire(node);
      },
      (e: unknown) => this.ctx.log.warn(`${name}: health checks not read for the alerts: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  private async readState(profileName: string): Promise<ServerState | undefined> {
    const session = this.session(profileName);
    if (!session) return undefined;
    try {
      const v = await session.serverVersion();
      const alerts = await session
        .run((q, versionNum) =>
          collectAlerts(q, { versionNum, thresholds: this.ctx.config.thresholds, previousCheckpoints: this.previousCheckpoints(profileName) }),
        )
        .catch((e: unknown) => {
          this.ctx.log.warn(`${profileName}: alerts not read: ${e instanceof Error ? e.message : String(e)}`);
          return undefined;
        });
      if (alerts?.checkpoints) this.lastCheckpoints.set(profileName, { row: alerts.checkpoints, at: Date.now() });
      return { session, versionText: v.text, alerts };
    } catch (e) {
      session.forget();
      const message = errorText(e, VSCODE_ADVICE);
      // Once per outage, not at every retry.
      if (this.states.get(profileName)?.error !== message) this.ctx.log.warn(`${profileName}: ${message}`);
      return { session, error: message };
    }
  }

  private readonly lastCheckpoints = new Map<string, { row: NonNullable<ServerState['alerts']>['checkpoints'] & object; at: number }>();
  private previousCheckpoints(profileName: string) {
    const last = this.lastCheckpoints.get(profileName);
    return last ? { row: last.row, secondsBefore: (Date.now() - last.at) / 1000 } : undefined;
  }

  private retrySoon(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      // Only the failed servers' pools go (a pool that never connected may hold a stale password).
      for (const [name, st] of this.states) if (st.error) this.ctx.connections.drop(name);
      this.changed.fire(undefined);
    }, RETRY_MS);
  }

  private schedule(): void {
    if (this.intervalTimer) clearInterval(this.intervalTimer);
    this.intervalTimer = undefined;
    const seconds = this.ctx.config.refreshSeconds;
    if (seconds > 0) this.intervalTimer = setInterval(() => this.refresh(undefined, { keepHealth: true }), seconds * 1000);
  }

  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.lostTimer) clearTimeout(this.lostTimer);
    if (this.intervalTimer) clearInterval(this.intervalTimer);
    this.changed.dispose();
  }
}
