// top_statements: pg_stat_statements' statements by total or mean execution time, as the tree's
// Top queries branch reads them; when the extension is not ready, why and the fix.
import { z } from './zod';
import { readServerVersion } from '../db/serverInfo';
import { formatCount, formatPct } from '../format';
import { toMarkdownTable } from '../markdownTable';
import { statementsReadiness, statementsStatus, topStatements } from '../stats/statements';
import { defineTool, unreachable } from './agentTool';

const schema = z
  .object({
    orderBy: z.enum(['total', 'mean']).optional().describe('total (the default): where the server spends its time; mean: the slowest statements per call'),
    limit: z.number().int().min(1).max(50).optional().describe('How many statements (default 10)'),
    minCalls: z.number().int().min(0).optional().describe("Only statements called at least this often (default 0; 10 is the seed's rule for mean times)"),
  })
  .strict();

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));

export const statementsTool = defineTool({
  name: 'pgdba_top_statements',
  displayName: 'Top PostgreSQL statements',
  summary: 'The statements that take the most time, from pg_stat_statements.',
  description:
    "Lists the statements that take the most execution time on the PostgreSQL server, from pg_stat_statements: calls, total and mean time (ms), rows, share of all statements' time, cache hit ratio, and the normalised query text. Use it to find what to optimise, then pgdba_explain on one of them. Says why and what to run when pg_stat_statements is not set up.",
  schema,
  needsServer: true,
  confirm: (input, where) => ({
    title: `Read top statements on ${where}?`,
    message: `Reads pg_stat_statements on **${where}**: the top ${input.limit ?? 10} by ${input.orderBy === 'mean' ? 'mean' : 'total'} time (one read-only query).`,
  }),
  run: async (input, env) => {
    const { server } = env;
    try {
      return await server.use(async (pool) => {
        const v = await readServerVersion(pool);
        const status = await statementsStatus(pool, { versionNum: v.num });
        const ready = statementsReadiness(status);
        if (!ready.ready) {
          return {
            text: `pg_stat_statements cannot be read on ${server.name}: ${ready.reason ?? ''}${ready.fixSql ? `\n\nFix${ready.needsRestart ? ' (then restart the server)' : ''}:\n\n    ${ready.fixSql}` : ''}`,
            isError: true,
          };
        }
        const rows = await topStatements(pool, {
          versionNum: v.num,
          orderBy: input.orderBy ?? 'total',
          limit: input.limit ?? 10,
          minCalls: input.minCalls ?? 0,
          schema: status.schema ?? 'public',
          extVersion: status.installedVersion,
          maxQueryLength: 1000,
        });
        const head = `Top ${rows.length} statements by ${input.orderBy === 'mean' ? 'mean' : 'total'} time on ${server.name} (PostgreSQL ${v.text}, pg_stat_statements ${status.installedVersion ?? '?'}):`;
        if (rows.length === 0) return { text: `${head} none recorded yet${input.minCalls ? ` with at least ${input.minCalls} calls` : ''}.`, isError: false };
        const table = toMarkdownTable(
          ['#', 'calls', 'total ms', 'mean ms', 'rows', '% of time', 'cache hit', 'user', 'database', 'query'],
          rows.map((r, i) => {
            const blocks = r.sharedBlocksHit + r.sharedBlocksRead;
            return {
              '#': i + 1,
              calls: formatCount(r.calls),
              'total ms': ms(r.totalExecMs),
              'mean ms': ms(r.meanExecMs),
              rows: formatCount(r.rows),
              '% of time': formatPct(r.pctOfTotal),
              'cache hit': blocks > 0 ? formatPct((100 * r.sharedBlocksHit) / blocks) : '–',
              user: r.user,
              database: r.database,
              query: r.query,
            };
          }),
        );
        return { text: `${head}\n\n${table}`, isError: false };
      });
    } catch (e) {
      return unreachable(server, e);
    }
  },
});
