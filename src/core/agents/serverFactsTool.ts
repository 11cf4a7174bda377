// server_facts: what a DBA states first about a server: version, uptime, role, connections,
// the machine it runs on (host facts), and every setting the server's configuration changes.
import { z } from './zod';
import { formatBytes, formatDuration } from '../format';
import { readServerFacts } from '../host/facts';
import { renderHostFactsText } from '../host/factsText';
import { toMarkdownTable } from '../markdownTable';
import { serverOverview } from '../stats/server';
import { listSettings } from '../stats/settings';
import { readServerVersion } from '../db/serverInfo';
import { defineTool, unreachable } from './agentTool';

const schema = z.object({}).strict();

/** The connection's own settings (pgdba's statement_timeout, application_name …) say nothing about the server. */
const SESSION_SOURCES = new Set(['client', 'session']);

export const serverFactsTool = defineTool({
  name: 'pgdba_server_facts',
  displayName: 'PostgreSQL server facts',
  summary: 'Version, uptime, connections, the host (CPUs, RAM, disk) and the changed settings.',
  description:
    "Returns the facts of the PostgreSQL server and its machine: version, uptime, whether it is a replica, the connected role and whether it is superuser, connections in use against max_connections, the host's CPUs, RAM, data disk (SSD/HDD, free and total bytes), OS, kernel and uptime, and every setting whose value differs from the built-in default (value, unit, where it was set, pending restart). Use it before giving tuning advice. Read-only.",
  schema,
  needsServer: true,
  confirm: (_input, where) => ({
    title: `Read server facts of ${where}?`,
    message: `Reads the version, pg_settings and the host facts of **${where}** (read-only queries; the machine's /proc locally, through SQL or through the SSH hop).`,
  }),
  run: async (_input, env) => {
    const { server } = env;
    try {
      return await server.use(async (pool) => {
        const v = await readServerVersion(pool);
        const o = await serverOverview(pool, { versionNum: v.num });
        const settings = (await listSettings(pool, { versionNum: v.num, nonDefaultOnly: true })).filter((s) => !SESSION_SOURCES.has(s.source));
        let host: string;
        try {
          const facts = await readServerFacts({ profile: server.profile, db: pool, ...(server.openSsh ? { openSsh: server.openSsh } : {}) });
          host = renderHostFactsText(facts);
        } catch (e) {
          host = `not read: ${e instanceof Error ? e.message : String(e)}\n`;
        }
        const lines = [
          `Server ${server.name} (${server.target})`,
          '',
          `- version: PostgreSQL ${v.text}${o ? ` — ${o.version}` : ''}`,
          ...(o
            ? [
                `- up ${formatDuration(o.uptimeSeconds)} (since ${o.startedAt})${o.isReplica ? ', a replica (in recovery)' : ', a primary'}`,
                `- connected as ${o.currentUser}${o.isSuperuser ? ' (superuser)' : ''} to ${o.currentDatabase}`,
                `- connections: ${o.connections} of max_connections ${o.maxConnections}`,
                ...(o.dataDirectory ? [`- data directory: ${o.dataDirectory}`] : []),
                ...(o.configFile ? [`- config file: ${o.configFile}`] : []),
              ]
            : []),
          '',
          'Host facts:',
          '',
          '```',
          host.trimEnd(),
          '```',
          '',
          `Settings changed from the defaults (${settings.length}):`,
          '',
          toMarkdownTable(
            ['name', 'value', 'unit', 'source', 'pending restart'],
            settings.map((s) => ({
              name: s.name,
              value: s.unit && /^(8kB|kB|MB)$/.test(s.unit) && s.setting !== null ? `${s.setting} (${sizeOf(s.setting, s.unit)})` : s.setting,
              unit: s.unit,
              source: s.sourcefile ? `${s.sourcefile}:${s.sourceline ?? '?'}` : s.source,
              'pending restart': s.pendingRestart ? 'yes' : '',
            })),
          ),
        ];
        return { text: lines.join('\n'), isError: false };
      });
    } catch (e) {
      return unreachable(server, e);
    }
  },
});

/** shared_buffers = 16384 (8kB) reads better as 128 MB. */
function sizeOf(setting: string, unit: string): string {
  const n = Number(setting);
  const per = unit === '8kB' ? 8192 : unit === 'kB' ? 1024 : 1024 * 1024;
  return Number.isFinite(n) && n >= 0 ? formatBytes(n * per) : setting;
}
