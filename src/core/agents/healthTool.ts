// health_report: the health report of `pgdba health` and Run Health Check, for one server, as
// its Markdown (every finding with its figure, why, and the fix).
import { z } from './zod';
import { renderMultiMarkdown, runHealthCheck, runMany, SCHEDULES } from '../health';
import { defineTool } from './agentTool';

const schema = z
  .object({
    checks: z
      .array(z.enum(['daily', 'weekly', 'monthly']))
      .min(1)
      .max(3)
      .optional()
      .describe(
        'Which of the schedules to run (default all three): daily (slow queries, cache hit, connections, autovacuum, checkpoints, PgBouncer), weekly (bloat, index usage, growth, backups), monthly (index advice, plans of the top queries, capacity)',
      ),
  })
  .strict();

export const healthTool = defineTool({
  name: 'pgdba_health_report',
  displayName: 'PostgreSQL health report',
  summary: "The server's health report: every check of the DBA's schedule, with the figures and the fixes.",
  description:
    "Runs pgdba's health report on the PostgreSQL server: the daily, weekly and monthly checks of a DBA's schedule (slow queries, cache hit ratio, connections, autovacuum, checkpoints, bloat, unused and missing indexes, wraparound, sequences, replication, security, backups, capacity). Returns Markdown: the worst level, counts, each finding with its observed figure and threshold, why it matters, and the SQL or setting that fixes it. Read-only; takes a few seconds.",
  schema,
  needsServer: true,
  confirm: (input, where) => ({
    title: `Health report on ${where}?`,
    message: `Reads the statistics views of **${where}** for the ${(input.checks ?? SCHEDULES).join(', ')} checks (read-only queries; the plan check runs EXPLAIN without ANALYZE).`,
  }),
  run: async (input, env) => {
    const { server } = env;
    const who = { name: server.name, target: server.target };
    const report = await runMany(
      [
        {
          server: who,
          describeError: (e) => server.describeError(e),
          run: (signal) =>
            server.use((pool) =>
              runHealthCheck({
                server: who,
                pool,
                host: server.profile.host,
                ...(server.profile.ssh && server.openSsh ? { ssh: server.profile.ssh, openSsh: server.openSsh } : {}),
                schedules: input.checks ?? SCHEDULES,
                signal,
                ...server.health,
              }),
            ),
        },
      ],
      1,
      env.signal,
      server.healthTimeoutMs,
    );
    const only = report.servers[0]!;
    if (!only.ok) return { text: `No health report for ${server.name}: ${only.error}`, isError: true };
    return { text: renderMultiMarkdown(report), isError: false };
  },
});
