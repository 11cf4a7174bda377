// A server (one connection profile) and its top-level branches. Its metrics' alerts are read with
// the node and the health checks' just after (ServerSession.healthAlerts), so that the view's badge
// and the node's icon tell of trouble before anything is expanded; the labels count what is known.
import * as vscode from 'vscode';
import type { Alert, AlertReport } from '../../core/stats/alerts';
import { describeProfile, type ConnectionProfile } from '../../core/db/profile';
import { group, leaf, type ExplorerNode } from './node';
import { serverInfoGroup } from './serverInfoNodes';
import { configurationGroup } from './configNodes';
import { databasesGroup, type TablePages } from './databaseNodes';
import { activityGroup } from './activityNodes';
import { statisticsGroup } from './statisticsNodes';
import { healthAlerts } from './healthNodes';
import { HEALTH_ALERTS_TTL_MS, type ServerSession } from './session';
import type { NodeData } from './nodeData';
import type { Thresholds } from '../../core/stats/thresholds';

export interface ServerState {
  session: ServerSession;
  versionText?: string;
  error?: string;
  alerts?: AlertReport;
}

const CRITICAL_ICON = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
const WARNING_ICON = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));

function alertIcon(a: Alert): vscode.ThemeIcon {
  return a.level === 'critical' ? CRITICAL_ICON : WARNING_ICON;
}

/** A server's alerts: the metrics' (read with the node) and the health checks' last read (ServerSession.healthAlerts). */
export function alertCounts(state: Pick<ServerState, 'alerts' | 'session'>): { metrics: number; health: number | undefined; total: number; critical: boolean } {
  const metrics = state.alerts?.alerts ?? [];
  const health = state.session.knownHealthAlerts;
  return {
    metrics: metrics.length,
    health: health?.length,
    total: metrics.length + (health?.length ?? 0),
    critical: metrics.some((a) => a.level === 'critical') || (health ?? []).some((f) => f.level === 'critical'),
  };
}

/** The metrics' alerts read with the node, then the health checks' warnings and criticals; its label counts both as they are known. */
function alertsGroup(id: string, report: AlertReport, session: ServerSession, thresholds: Thresholds): ExplorerNode {
  const g = group(id, 'Alerts', async () => [
    ...report.alerts.map((a, i) =>
      leaf(`${id}/${i}`, a.message, { icon: alertIcon(a), tooltip: `${a.metric} · ${a.subject}: ${a.value}${a.unit} (threshold ${a.threshold}${a.unit})` }),
    ),
    ...report.unavailable.map((u, i) => leaf(`${id}/na${i}`, `${u.metric}: not available`, { icon: new vscode.ThemeIcon('circle-slash'), tooltip: u.reason })),
    ...report.thresholdProblems.map((p, i) => leaf(`${id}/tp${i}`, p, { icon: new vscode.ThemeIcon('gear') })),
    ...(await healthAlerts(session, id, thresholds)),
  ]);
  return {
    ...g,
    item() {
      const it = g.item();
      const c = alertCounts({ alerts: report, session });
      const unreadable = report.unavailable.length;
      const quiet = c.total === 0 && unreadable === 0 && report.thresholdProblems.length === 0;
      it.label = c.total > 0 ? `Alerts (${c.total})` : unreadable > 0 ? `Alerts: none (${unreadable} not readable)` : 'Alerts: none';
      it.iconPath = c.total > 0 ? (c.critical ? CRITICAL_ICON : WARNING_ICON) : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
      it.collapsibleState = c.total > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
      if (c.health === undefined) it.description = quiet ? 'metrics within thresholds; reading the health checks…' : 'reading the health checks…';
      else if (quiet) it.description = 'metrics and health checks within thresholds';
      it.tooltip =
        c.health === undefined
          ? `${c.metrics} from the metrics; the health checks are being read.`
          : `${c.metrics} from the metrics, ${c.health} from the health checks (read at most ${HEALTH_ALERTS_TTL_MS / 60_000} minutes ago).`;
      return it;
    },
  };
}

/** Branches other features add under every reachable server (e.g. Backups), after the built-in ones. */
export type ExtraBranches = (session: ServerSession, serverId: string) => Promise<ExplorerNode[]>;

export function serverNode(state: ServerState, pages: TablePages, thresholds: Thresholds, extra: ExtraBranches = () => Promise.resolve([])): ExplorerNode {
  const p = state.session.profile;
  const id = `server:${p.name}`;
  const data: NodeData = { kind: 'server', profileName: p.name };
  if (state.error) {
    const errorChild = leaf(`${id}#reason`, state.error, {
      icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
      tooltip: state.error,
      contextValue: 'pgdba.error',
      command: { command: 'pgdba.retryNode', title: 'Retry', arguments: [data] },
    });
    return group(id, p.name, () => Promise.resolve([errorChild]), {
      description: 'unreachable — retrying',
      tooltip: `${describeProfile(p)}\n\n${state.error}`,
      icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
      contextValue: 'pgdba.server.error',
      expanded: true,
      data,
    });
  }
  const node = group(
    id,
    p.name,
    async () => [
      ...(state.alerts ? [alertsGroup(`${id}/alerts`, state.alerts, state.session, thresholds)] : []),
      serverInfoGroup(state.session, id),
      configurationGroup(state.session, id),
      databasesGroup(state.session, id, pages),
      activityGroup(state.session, id),
      statisticsGroup(state.session, id, thresholds),
      ...(await extra(state.session, id)),
    ],
    { tooltip: describeProfile(p), contextValue: 'pgdba.server', data },
  );
  return {
    ...node,
    item() {
      const it = node.item();
      const c = alertCounts(state);
      it.description = `PostgreSQL ${state.versionText ?? '?'}${c.total ? ` · ${c.total} alert${c.total > 1 ? 's' : ''}` : ''}`;
      it.iconPath = c.total ? (c.critical ? CRITICAL_ICON : WARNING_ICON) : new vscode.ThemeIcon('database');
      return it;
    },
  };
}

/**
 * A server whose read has not answered yet (slow or stalled, or its SSH host key waiting for the
 * person's answer): what the last read showed (`previous`: an error node says "retrying"), else
 * "connecting…", until `settled` gives its node, which it then shows as its own (the provider fires
 * a change for it). Its children wait for that node.
 */
export function connectingServerNode(profile: ConnectionProfile, settled: Promise<ExplorerNode | undefined>, previous?: ExplorerNode): ExplorerNode {
  let real: ExplorerNode | undefined;
  void settled.then((n) => (real = n));
  const id = `server:${profile.name}`;
  return {
    id,
    data: { kind: 'server', profileName: profile.name },
    item() {
      if (real) return real.item();
      if (previous) return previous.item();
      const it = new vscode.TreeItem(profile.name, vscode.TreeItemCollapsibleState.Collapsed);
      it.id = id;
      it.description = 'connecting…';
      it.tooltip = `${describeProfile(profile)}\n\nNo answer yet: the server is slow or stalled, or an SSH host key waits for your answer. This node shows the server when its read ends (the connect and query deadlines bound it).`;
      it.iconPath = new vscode.ThemeIcon('loading~spin');
      it.contextValue = 'pgdba.server.connecting';
      return it;
    },
    children: async () => (await settled)?.children?.() ?? Promise.resolve([]),
  };
}
