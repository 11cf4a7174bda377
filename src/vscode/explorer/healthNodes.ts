// #15's health checks in the tree: Statistics → Health checks has a group per check with every
// finding (ok included), and the Alerts branch lists those at warning or critical. A finding is a
// leaf: its subject, the figure as its description, why and the fix in its tooltip, and the fix's
// SQL behind Copy SQL. The findings are the health report's own (core/health runChecks): a group's
// read when it is expanded; the Alerts branch's (and the badge's count) by ServerSession.healthAlerts,
// in the background after a refresh has shown the tree, and kept a while.
import * as vscode from 'vscode';
import { CHECK_TITLES, DEPTH_CHECKS, runChecks, type DepthCheckId, type Finding, type HealthLevel } from '../../core/health';
import type { Thresholds } from '../../core/stats/thresholds';
import { emptyNode, group, leaf, type ExplorerNode } from './node';
import type { ServerSession } from './session';
import { settledChildren } from './settled';

const LEVEL_ICON: Record<HealthLevel, vscode.ThemeIcon> = {
  critical: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info'),
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
};

const escapeMarkdown = (t: string) => t.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');

export function findingLeaf(id: string, f: Finding): ExplorerNode {
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(`**${f.level}** · ${CHECK_TITLES[f.check]}\n\n`);
  tip.appendMarkdown(`${escapeMarkdown(f.observed)}\n\n${escapeMarkdown(f.why)}\n`); // appendText writes every space as &nbsp;
  if (f.fix) tip.appendCodeblock(f.fix.text, f.fix.kind === 'sql' ? 'sql' : f.fix.kind === 'setting' ? 'properties' : 'text');
  return leaf(id, f.subject, {
    description: f.observed,
    tooltip: tip,
    icon: LEVEL_ICON[f.level],
    ...(f.fix?.kind === 'sql' ? { sql: f.fix.text } : {}),
  });
}

const load = (s: ServerSession, checks: readonly DepthCheckId[], t: Thresholds) => s.run((pool) => runChecks({ pool, checks, thresholds: t }));

/** Statistics → Health checks: one group per check of #15. */
export function healthChecksGroup(s: ServerSession, base: string, t: Thresholds): ExplorerNode {
  const id = `${base}/health`;
  const ids = Object.keys(DEPTH_CHECKS) as DepthCheckId[];
  return group(
    id,
    'Health checks',
    () =>
      Promise.resolve(
        ids.map((check) =>
          group(
            `${id}/${check}`,
            CHECK_TITLES[check],
            () =>
              settledChildren(`${id}/${check}`, CHECK_TITLES[check], async () =>
                (await load(s, [check], t)).map((f, i) => findingLeaf(`${id}/${check}/${i}`, f)),
              ),
            { icon: new vscode.ThemeIcon('checklist') },
          ),
        ),
      ),
    {
      icon: new vscode.ThemeIcon('heart'),
      tooltip: "The health report's checks of wraparound, keys, indexes, tables, sessions, replication and security, and its index advice",
    },
  );
}

/** The Alerts branch's part from the health checks: their warnings and criticals. */
export function healthAlerts(s: ServerSession, base: string, t: Thresholds): Promise<ExplorerNode[]> {
  const id = `${base}/health`;
  return settledChildren(id, 'Health checks', async () => {
    const bad = await s.healthAlerts(t);
    if (bad.length === 0) return [emptyNode(id, 'health checks: nothing at warning or above')];
    return bad.map((f, i) => findingLeaf(`${id}/${i}`, f));
  });
}
