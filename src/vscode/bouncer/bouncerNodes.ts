// The "PgBouncer" branch of a server whose profile names a pgbouncerPort: what the console shows
// (pools, databases, clients, servers, the running config, lists, version) and the findings on
// top. The console is read once per expansion of the branch; an unreachable console is one node
// that says why. Config values that differ from the pgbouncer.ini open in the editor are marked.
import * as vscode from 'vscode';
import { configDrift, type ConfigDrift } from '../../core/bouncer/configDrift';
import { withConsole } from '../../core/bouncer/console';
import { bouncerFindings, type BouncerFinding } from '../../core/bouncer/findings';
import { readServerRoom, type ServerRoom } from '../../core/bouncer/serverRoom';
import { poolServerConnections } from '../../core/bouncer/showRows';
import { isConsolePool, readBouncerSnapshot, type BouncerSnapshot } from '../../core/bouncer/snapshot';
import type { ConnectionProfile } from '../../core/db/profile';
import { resolveThresholds } from '../../core/stats/thresholds';
import type { Ctx } from '../ctx';
import { emptyNode, errorNode, group, leaf, type ExplorerNode } from '../explorer/node';
import type { ServerSession } from '../explorer/session';
import { consoleConnection, consoleFailureText } from './bouncerConnection';

const LEVEL_ICON: Record<BouncerFinding['level'], vscode.ThemeIcon> = {
  critical: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info'),
};
const DRIFT_ICON = new vscode.ThemeIcon('diff-modified', new vscode.ThemeColor('problemsWarningIcon.foreground'));
/** A list longer than this shows its first rows and says how many more there are. */
const MAX_ROWS = 200;
const s1 = (v: number) => `${Math.round(v * 10) / 10} s`;

/** The pgbouncer.ini open in the editor (the active one first), if any. */
function openIni(): vscode.TextDocument | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'pgbouncer-ini') return active;
  return vscode.workspace.textDocuments.find((d) => d.languageId === 'pgbouncer-ini');
}

function capped<T>(id: string, rows: readonly T[], make: (r: T, i: number) => ExplorerNode, empty: string): ExplorerNode[] {
  if (rows.length === 0) return [emptyNode(id, empty)];
  const nodes = rows.slice(0, MAX_ROWS).map(make);
  if (rows.length > MAX_ROWS) nodes.push(emptyNode(`${id}/more`, `… ${rows.length - MAX_ROWS} more (pgdba bouncer --format json lists all)`));
  return nodes;
}

export class BouncerNode implements ExplorerNode {
  readonly id: string;

  constructor(
    serverId: string,
    private readonly ctx: Ctx,
    private readonly session: ServerSession,
  ) {
    this.id = `${serverId}/pgbouncer`;
  }

  private get profile(): ConnectionProfile {
    return this.session.profile;
  }

  get data() {
    return { kind: 'bouncer' as const, profileName: this.profile.name };
  }

  item(): vscode.TreeItem {
    const it = new vscode.TreeItem('PgBouncer', vscode.TreeItemCollapsibleState.Collapsed);
    it.id = this.id;
    it.description = `:${this.profile.pgbouncerPort ?? ''}${this.profile.pgbouncerAdminUser ? ` as ${this.profile.pgbouncerAdminUser}` : ''}`;
    it.tooltip = "PgBouncer's admin console (database pgbouncer): pools, clients, servers, its running config";
    it.iconPath = new vscode.ThemeIcon('layers');
    it.contextValue = 'pgdba.bouncer';
    return it;
  }

  async children(): Promise<ExplorerNode[]> {
    let snapshot: BouncerSnapshot;
    const c = await consoleConnection(this.ctx, this.profile);
    try {
      snapshot = await withConsole(c, (con) => readBouncerSnapshot(con));
    } catch (e) {
      const words = consoleFailureText(e, c);
      this.ctx.log.warn(`${this.profile.name}: ${words}`);
      return [errorNode(this.id, words, this)];
    }
    // The server's side of the arithmetic; the branch shows the console's side all the same when the server is away.
    const room = await this.session
      .run((q, versionNum) => readServerRoom(q, { versionNum }))
      .catch((e: unknown): ServerRoom | undefined => {
        this.ctx.log.warn(`${this.profile.name}: the server's connections for the PgBouncer checks: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
    const findings = bouncerFindings(snapshot, resolveThresholds(this.ctx.config.thresholds).thresholds, room);
    const ini = openIni();
    const drift = ini ? configDrift(snapshot.config, ini.getText()) : [];
    return [
      ...findings.map((f, i) =>
        leaf(`${this.id}/finding/${i}`, f.message, {
          icon: LEVEL_ICON[f.level],
          tooltip: `${f.message}${f.fix ? `\n\n${f.fix}` : ''}`,
          contextValue: 'pgdba.bouncer.finding',
        }),
      ),
      this.pools(snapshot),
      this.databases(snapshot),
      this.clients(snapshot),
      this.servers(snapshot),
      this.config(snapshot, drift, ini),
      this.lists(snapshot),
      leaf(`${this.id}/version`, snapshot.version, { icon: new vscode.ThemeIcon('versions'), contextValue: 'pgdba.bouncer.version' }),
    ];
  }

  private pools(s: BouncerSnapshot): ExplorerNode {
    // The console's own pool is pgdba's session, not one of the server's: the findings skip it too.
    const pools = s.pools.filter((p) => !isConsolePool(p.database));
    const waiting = pools.reduce((a, p) => a + p.clWaiting, 0);
    return group(
      `${this.id}/pools`,
      'Pools',
      () =>
        Promise.resolve(
          capped(
            `${this.id}/pools`,
            pools,
            (p) =>
              leaf(`${this.id}/pool/${p.database}/${p.user}`, `${p.database}/${p.user}`, {
                description: `cl ${p.clActive} active · ${p.clWaiting} waiting — sv ${p.svActive} active · ${p.svIdle} idle · ${p.svUsed} used — maxwait ${s1(p.maxwaitSeconds)} · ${p.poolMode}`,
                tooltip: `${poolServerConnections(p)} server connections (${p.svTested} tested, ${p.svLogin} logging in)`,
                icon: new vscode.ThemeIcon(p.clWaiting > 0 ? 'watch' : 'circle-outline'),
              }),
            'no pools',
          ),
        ),
      { description: `${pools.length}${waiting ? ` · ${waiting} waiting` : ''}`, icon: new vscode.ThemeIcon('server-process') },
    );
  }

  private databases(s: BouncerSnapshot): ExplorerNode {
    return group(
      `${this.id}/databases`,
      'Databases',
      () =>
        Promise.resolve(
          capped(
            `${this.id}/databases`,
            s.databases,
            (d) =>
              leaf(`${this.id}/database/${d.name}`, d.name, {
                description: `→ ${d.host || 'console'}${d.port ? `:${d.port}` : ''}/${d.database} · pool ${d.poolSize} + ${d.reservePool} reserve${d.maxConnections ? ` · max ${d.maxConnections}` : ''} · ${d.currentConnections} open${d.paused ? ' · PAUSED' : ''}${d.disabled ? ' · disabled' : ''}`,
                icon: new vscode.ThemeIcon(d.paused ? 'debug-pause' : 'database'),
                // The console's own database takes no admin command.
                contextValue: d.name === 'pgbouncer' ? 'pgdba.bouncer.console' : d.paused ? 'pgdba.bouncer.database.paused' : 'pgdba.bouncer.database',
                data: { kind: 'bouncerDatabase', profileName: this.profile.name, database: d.name },
              }),
            'no databases',
          ),
        ),
      { description: String(s.databases.length), icon: new vscode.ThemeIcon('database') },
    );
  }

  private clients(s: BouncerSnapshot): ExplorerNode {
    const waiting = s.clients.filter((c) => c.state === 'waiting').length;
    return group(
      `${this.id}/clients`,
      'Clients',
      () =>
        Promise.resolve(
          capped(
            `${this.id}/clients`,
            s.clients,
            (c, i) =>
              leaf(`${this.id}/client/${i}`, `${c.user}@${c.addr}:${c.port}`, {
                description: `${c.database} · ${c.state}${c.waitSeconds > 0 && c.state === 'waiting' ? ` ${s1(c.waitSeconds)}` : ''}${c.applicationName ? ` · ${c.applicationName}` : ''}`,
                icon: new vscode.ThemeIcon(c.state === 'waiting' ? 'watch' : 'person'),
              }),
            'no clients',
          ),
        ),
      { description: `${s.clients.length}${waiting ? ` · ${waiting} waiting` : ''}`, icon: new vscode.ThemeIcon('person') },
    );
  }

  private servers(s: BouncerSnapshot): ExplorerNode {
    return group(
      `${this.id}/servers`,
      'Servers',
      () =>
        Promise.resolve(
          capped(
            `${this.id}/servers`,
            s.servers,
            (c, i) =>
              leaf(`${this.id}/server/${i}`, `${c.user}@${c.addr}:${c.port}`, {
                description: `${c.database} · ${c.state}${c.applicationName ? ` · ${c.applicationName}` : ''}`,
                icon: new vscode.ThemeIcon('plug'),
              }),
            'no server connections',
          ),
        ),
      { description: String(s.servers.length), icon: new vscode.ThemeIcon('plug') },
    );
  }

  private config(s: BouncerSnapshot, drift: readonly ConfigDrift[], ini: vscode.TextDocument | undefined): ExplorerNode {
    const byKey = new Map(drift.map((d) => [d.key, d]));
    const file = ini ? vscode.workspace.asRelativePath(ini.uri) : undefined;
    return group(
      `${this.id}/config`,
      'Config',
      () =>
        Promise.resolve(
          [...s.config].map(([key, value]) => {
            const d = byKey.get(key);
            return leaf(`${this.id}/config/${key}`, `${key} = ${value}`, {
              ...(d ? { description: `${file ?? 'pgbouncer.ini'}:${d.line} says ${d.inFile}`, icon: DRIFT_ICON } : {}),
              tooltip: d
                ? `PgBouncer runs with ${key} = ${value}; ${file ?? 'the open pgbouncer.ini'} has ${d.inFile} (line ${d.line}). RELOAD applies the file (a restart for settings that need one).`
                : `${key} = ${value}`,
              contextValue: d ? 'pgdba.bouncer.config.drift' : 'pgdba.bouncer.config',
            });
          }),
        ),
      {
        description: ini ? `${drift.length} differ from ${file}` : 'open pgbouncer.ini to compare',
        icon: new vscode.ThemeIcon(drift.length ? 'diff' : 'settings-gear'),
      },
    );
  }

  private lists(s: BouncerSnapshot): ExplorerNode {
    return group(
      `${this.id}/lists`,
      'Lists',
      () => Promise.resolve([...s.lists].map(([list, items]) => leaf(`${this.id}/list/${list}`, list, { description: String(items) }))),
      { icon: new vscode.ThemeIcon('list-flat') },
    );
  }
}
