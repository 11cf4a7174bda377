// "Activity": sessions by state, long-running queries, and the lock tree (who blocks whom).
// Session nodes carry their pid for the cancel / terminate commands.
import * as vscode from 'vscode';
import { buildLockTree, listLocks, listSessions, locksQuery, sessionStates, sessionsQuery, type LockNode, type SessionRow } from '../../core/stats/activity';
import { inlineSql } from '../../core/stats/sql';
import { formatDuration } from '../../core/format';
import { emptyNode, group, leaf, type ExplorerNode } from './node';
import { knownVersionNum, type ServerSession } from './session';
import { settledChildren } from './settled';
import type { NodeData } from './nodeData';

/** A query runs "long" from this many seconds on (the seed's slow-query log threshold is 1 s). */
const LONG_QUERY_SECONDS = 60;

const oneLine = (q: string | null, max = 80) => {
  const t = (q ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

function sessionNode(
  s: ServerSession,
  id: string,
  r: Pick<SessionRow, 'pid' | 'user' | 'database' | 'state' | 'query' | 'waitEventType' | 'waitEvent'> & { seconds: number | null },
  children?: () => Promise<ExplorerNode[]>,
): ExplorerNode {
  const label = `${r.pid} ${r.user ?? '?'}@${r.database ?? '?'}`;
  const description = `${r.state ?? ''}${r.seconds !== null ? ` ${formatDuration(r.seconds)}` : ''} · ${oneLine(r.query)}`;
  const tooltip = new vscode.MarkdownString()
    .appendMarkdown(`**pid ${r.pid}** ${r.state ?? ''}${r.waitEventType ? ` · waits on ${r.waitEventType}/${r.waitEvent ?? ''}` : ''}\n\n`)
    .appendCodeblock(r.query ?? '', 'sql');
  const data: NodeData = { kind: 'backend', profileName: s.profile.name, pid: r.pid, query: r.query, user: r.user };
  return children
    ? group(id, label, children, {
        description,
        tooltip,
        icon: new vscode.ThemeIcon('lock', new vscode.ThemeColor('problemsErrorIcon.foreground')),
        contextValue: 'pgdba.session',
        expanded: true,
        data,
      })
    : leaf(id, label, {
        description,
        tooltip,
        icon: new vscode.ThemeIcon(r.waitEventType === 'Lock' ? 'watch' : 'pulse'),
        contextValue: 'pgdba.session',
        data,
      });
}

function lockNodes(s: ServerSession, base: string, nodes: LockNode[]): ExplorerNode[] {
  return nodes.map((n) => {
    const r = n.session;
    const id = `${base}/${r.pid}`;
    const row = { ...r, seconds: r.lockWaitSeconds ?? r.xactAgeSeconds };
    return sessionNode(s, id, row, n.blocks.length ? () => Promise.resolve(lockNodes(s, id, n.blocks)) : undefined);
  });
}

export function activityGroup(s: ServerSession, base: string): ExplorerNode {
  const id = `${base}/activity`;
  return group(
    id,
    'Activity',
    () =>
      settledChildren(id, 'Sessions by state', async () => {
        const states = await s.run((q, versionNum) => sessionStates(q, { versionNum }));
        const total = states.reduce((a, r) => a + r.sessions, 0);
        const byState = group(
          `${id}/states`,
          'Sessions by state',
          () =>
            Promise.resolve(
              states.map((st) =>
                group(
                  `${id}/states/${st.state}`,
                  st.state,
                  () =>
                    settledChildren(`${id}/states/${st.state}`, 'Sessions', async () => {
                      const rows = await s.run((q, versionNum) => listSessions(q, { versionNum, state: st.state }));
                      return rows.length
                        ? rows.map((r) => sessionNode(s, `${id}/states/${st.state}/${r.pid}`, { ...r, seconds: r.queryAgeSeconds }))
                        : [emptyNode(`${id}/states/${st.state}`, 'none now')];
                    }),
                  { description: String(st.sessions), icon: new vscode.ThemeIcon('circle-small-filled') },
                ),
              ),
            ),
          {
            description: `${total} sessions`,
            icon: new vscode.ThemeIcon('organization'),
            sql: inlineSql(sessionsQuery.build({ versionNum: knownVersionNum(s) })),
          },
        );
        const long = group(
          `${id}/long`,
          `Queries running over ${LONG_QUERY_SECONDS} s`,
          () =>
            settledChildren(`${id}/long`, 'Long-running queries', async () => {
              const rows = await s.run((q, versionNum) => listSessions(q, { versionNum, minQuerySeconds: LONG_QUERY_SECONDS }));
              return rows.length
                ? rows.map((r) => sessionNode(s, `${id}/long/${r.pid}`, { ...r, seconds: r.queryAgeSeconds }))
                : [emptyNode(`${id}/long`, 'none')];
            }),
          { icon: new vscode.ThemeIcon('watch'), sql: inlineSql(sessionsQuery.build({ versionNum: knownVersionNum(s), minQuerySeconds: LONG_QUERY_SECONDS })) },
        );
        const locks = group(
          `${id}/locks`,
          'Blocked and blocking sessions',
          () =>
            settledChildren(`${id}/locks`, 'Locks', async () => {
              const tree = buildLockTree(await s.run((q, versionNum) => listLocks(q, { versionNum })));
              return tree.length ? lockNodes(s, `${id}/locks`, tree) : [emptyNode(`${id}/locks`, 'no session is waiting for a lock')];
            }),
          { icon: new vscode.ThemeIcon('lock'), sql: inlineSql(locksQuery.build({ versionNum: knownVersionNum(s) })) },
        );
        return [byState, long, locks];
      }),
    { icon: new vscode.ThemeIcon('pulse') },
  );
}
