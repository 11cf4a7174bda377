// A server (one connection profile) and its top-level branches. Its alerts are read with the
// node, so that the view's badge and the node's icon tell of trouble before anything is expanded.
import * as vscode from 'vscode';
import type { Alert, AlertReport } from '../../core/stats/alerts';
import { describeProfile } from '../../core/db/profile';
import { group, leaf, type ExplorerNode } from './node';
import { serverInfoGroup } from './serverInfoNodes';
import { configurationGroup } from './configNodes';
import { databasesGroup, type TablePages } from './databaseNodes';
import { activityGroup } from './activityNodes';
import { statisticsGroup } from './statisticsNodes';
import { healthAlerts } from './healthNodes';
import type { ServerSession } from './session';
import type { NodeData } from './nodeData';
import type { Thresholds } from '../../core/stats/thresholds';

export interface ServerState {
  session: ServerSession;
  versionText?: string;
  error?: string;
  alerts?: AlertReport;
}

function alertIcon(a: Alert): vscode.ThemeIcon {
  return a.level === 'critical'
    ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
    : new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
}

/** The metrics' alerts read with the node, then (on expand) the health checks' warnings and criticals. */
function alertsGroup(id: string, report: AlertReport, session: ServerSession, thresholds: Thresholds): ExplorerNode {
  const n = report.alerts.length;
  const quiet = n === 0 && report.unavailable.length === 0 && report.thresholdProblems.length === 0;
  return group(
    id,
    quiet ? 'Alerts: none' : n === 0 ? `Alerts: none (${report.unavailable.length} not readable)` : `Alerts (${n})`,
    async () => [
      ...report.alerts.map((a, i) =>
        leaf(`${id}/${i}`, a.message, { icon: alertIcon(a), tooltip: `${a.metric} · ${a.subject}: ${a.value}${a.unit} (threshold ${a.threshold}${a.unit})` }),
      ),
      ...report.unavailable.map((u, i) =>
        leaf(`${id}/na${i}`, `${u.metric}: not available`, { icon: new vscode.ThemeIcon('circle-slash'), tooltip: u.reason }),
      ),
      ...report.thresholdProblems.map((p, i) => leaf(`${id}/tp${i}`, p, { icon: new vscode.ThemeIcon('gear') })),
      ...(await healthAlerts(session, id, thresholds)),
    ],
    {
      icon: n ? alertIcon(report.alerts[0]!) : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
      expanded: n > 0,
      ...(quiet ? { description: 'metrics within thresholds; expand for the health checks', tooltip: 'Every metric is within its thresholds.' } : {}),
    },
  );
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
  const alerts = state.alerts?.alerts ?? [];
  return group(
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
    {
      description: `PostgreSQL ${state.versionText ?? '?'}${alerts.length ? ` · ${alerts.length} alert${alerts.length > 1 ? 's' : ''}` : ''}`,
      tooltip: describeProfile(p),
      icon: alerts.length ? alertIcon(alerts[0]!) : new vscode.ThemeIcon('database'),
      contextValue: 'pgdba.server',
      data,
    },
  );
}
