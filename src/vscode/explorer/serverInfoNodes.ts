// "Server": version, uptime, the host (its facts), files, role; replication slots and standbys when there are any.
import * as vscode from 'vscode';
import { replicationSlotsQuery, serverOverview, serverOverviewQuery, standbysQuery } from '../../core/stats/server';
import { inlineSql } from '../../core/stats/sql';
import { formatBytes, formatDuration, formatPct } from '../../core/format';
import { group, leaf, type ExplorerNode } from './node';
import { queryGroup } from './queryGroup';
import { knownVersionNum, type ServerSession } from './session';
import { settledChildren } from './settled';
import { runQuery } from '../../core/stats/query';
import { describeHostFacts, renderHostFactsText } from '../../core/host/factsText';

const icon = (id: string) => new vscode.ThemeIcon(id);

export function serverInfoGroup(s: ServerSession, base: string): ExplorerNode {
  const id = `${base}/server`;
  return group(
    id,
    'Server',
    () =>
      settledChildren(id, 'Server overview', async () => {
        const [[o, slots, standbys], host] = await Promise.all([
          s.run(async (q, versionNum) =>
            Promise.all([serverOverview(q, { versionNum }), runQuery(q, replicationSlotsQuery, { versionNum }), runQuery(q, standbysQuery, { versionNum })]),
          ),
          s.hostFacts().then(
            (f) => f,
            (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
          ),
        ]);
        if (!o) return [];
        const started = new Date(o.startedAt);
        const nodes: ExplorerNode[] = [
          leaf(`${id}/version`, 'Version', { description: o.version.split(' on ')[0] ?? o.version, tooltip: o.version, icon: icon('versions') }),
          leaf(`${id}/uptime`, 'Uptime', { description: formatDuration(o.uptimeSeconds), tooltip: `started ${started.toISOString()}`, icon: icon('clock') }),
          leaf(`${id}/role`, 'Role', { description: o.isReplica ? 'replica (in recovery)' : 'primary', icon: icon(o.isReplica ? 'mirror' : 'server') }),
          leaf(`${id}/connections`, 'Connections', {
            description: `${o.connections} of ${o.maxConnections} (${formatPct((100 * o.connections) / o.maxConnections, 0)})`,
            icon: icon('plug'),
          }),
          'error' in host
            ? leaf(`${id}/host`, 'Host', { description: 'not known', tooltip: host.error, icon: icon('vm') })
            : leaf(`${id}/host`, 'Host', { description: `${describeHostFacts(host)} (${host.source})`, tooltip: renderHostFactsText(host), icon: icon('vm') }),
          leaf(`${id}/datadir`, 'Data directory', { description: o.dataDirectory ?? 'hidden (needs pg_read_all_settings)', icon: icon('folder') }),
          leaf(`${id}/config`, 'config_file', { description: o.configFile ?? 'hidden (needs pg_read_all_settings)', icon: icon('file') }),
          leaf(`${id}/hba`, 'hba_file', { description: o.hbaFile ?? 'hidden (needs pg_read_all_settings)', icon: icon('shield') }),
          leaf(`${id}/user`, 'Connected as', {
            description: `${o.currentUser}${o.isSuperuser ? ' (superuser)' : ''} on ${o.currentDatabase}`,
            icon: icon('account'),
          }),
        ];
        if (slots.length > 0) {
          nodes.push(
            queryGroup({
              id: `${id}/slots`,
              label: `Replication slots (${slots.length})`,
              session: s,
              def: replicationSlotsQuery,
              args: {},
              icon: icon('references'),
              row: (r) =>
                leaf(`${id}/slots/${r.slotName}`, r.slotName, {
                  description: `${r.slotType}${r.active ? ', active' : ', inactive'}${r.retainedBytes !== null ? `, retains ${formatBytes(r.retainedBytes)}` : ''}`,
                  icon: icon(r.active ? 'pass' : 'warning'),
                }),
            }),
          );
        }
        if (standbys.length > 0) {
          nodes.push(
            queryGroup({
              id: `${id}/standbys`,
              label: `Standbys (${standbys.length})`,
              session: s,
              def: standbysQuery,
              args: {},
              icon: icon('mirror'),
              row: (r) =>
                leaf(`${id}/standbys/${r.pid}`, r.applicationName || r.clientAddr || `pid ${r.pid}`, {
                  description: `${r.state ?? '?'} ${r.syncState ?? ''}, lag ${formatBytes(r.replayLagBytes)}${r.replayLagSeconds !== null ? ` / ${formatDuration(r.replayLagSeconds)}` : ''}`,
                }),
            }),
          );
        }
        return nodes;
      }),
    { icon: icon('server'), sql: inlineSql(serverOverviewQuery.build({ versionNum: knownVersionNum(s) })) },
  );
}
