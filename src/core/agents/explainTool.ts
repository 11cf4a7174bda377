// explain: EXPLAIN (ANALYZE) of one statement through the one runner of Explain from the editor
// (src/core/explain/run.ts): the same refusals, the same BEGIN … ROLLBACK, the same deadlines.
import { z } from './zod';
import { DEFAULT_OPTIONS } from '../explain/explainOptions';
import { planInsights } from '../explain/insights';
import { parsePlan } from '../explain/parsePlan';
import { formatPlanReport } from '../explain/planReport';
import { runExplain } from '../explain/run';
import { checkStatement } from '../explain/safety';
import { fence } from '../health/render';
import { defineTool, unreachable } from './agentTool';

/** The largest statement taken: the editor's Explain has no such bound, an agent's input needs one. */
export const MAX_STATEMENT_CHARS = 100_000;

const schema = z
  .object({
    sql: z.string().min(1).max(MAX_STATEMENT_CHARS).describe('One SQL statement (SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, TABLE, EXECUTE …)'),
    analyze: z
      .boolean()
      .optional()
      .describe('true (the default): run it and show real times and buffers (a statement that may write runs inside BEGIN … ROLLBACK); false: the plan only'),
  })
  .strict();

export const explainTool = defineTool({
  name: 'pgdba_explain',
  displayName: 'Explain a PostgreSQL statement',
  summary: 'EXPLAIN ANALYZE of a statement (writes rolled back), with where the time went and what to change.',
  description:
    'Runs EXPLAIN (ANALYZE, BUFFERS, VERBOSE, SETTINGS, WAL) on one SQL statement on the PostgreSQL server and returns where the time went (slowest plan nodes, buffers) and insights with the fix (missing index, bad row estimate, sort spilling to disk …). A statement that may write runs inside BEGIN … ROLLBACK, so nothing is kept; statements EXPLAIN cannot show or ROLLBACK cannot undo (DDL, VACUUM, transaction control, pg_terminate_backend …) are refused. Use analyze: false for the estimated plan without running the statement.',
  schema,
  needsServer: true,
  confirm: (input, where) => {
    const analyze = input.analyze ?? true;
    const safety = checkStatement(input.sql);
    // A refused statement is never sent: nothing to confirm, the run says why.
    if (!safety.ok) return undefined;
    const rollback =
      analyze && safety.effect !== 'read' ? ` It runs inside BEGIN … ROLLBACK because ${safety.reason ?? 'it may write'}: its changes are not kept.` : '';
    const notes = analyze ? safety.notes.map((n) => ` Note: ${n}.`).join('') : '';
    return {
      title: `${analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} on ${where}?`,
      message: `${analyze ? 'Runs' : 'Plans (does not run)'} this statement on **${where}**.${rollback}${notes}\n\n${fence(input.sql, 'sql')}`,
    };
  },
  run: async (input, env) => {
    const analyze = input.analyze ?? true;
    const { server } = env;
    const safety = checkStatement(input.sql);
    if (analyze && safety.ok && safety.effect !== 'read' && !env.analyzeWrites) {
      return {
        text: `Not run: the statement may write (${safety.reason ?? 'it may write'}), and this server was started read-only: EXPLAIN ANALYZE runs only statements that read (start \`pgdba mcp\` with --allow-analyze-writes to run it inside BEGIN … ROLLBACK). Ask with analyze: false for its plan without running it.`,
        isError: true,
      };
    }
    try {
      const run = await server.use((pool) =>
        runExplain(pool, input.sql, { ...DEFAULT_OPTIONS, analyze, timeoutMs: server.explainTimeoutMs, ...(env.signal ? { signal: env.signal } : {}) }),
      );
      if (!run.ok) {
        const at = run.position !== undefined ? ` (at character ${run.position + 1}: "${input.sql.slice(run.position, run.position + 20)}")` : '';
        return { text: `${run.message}${at}`, isError: true };
      }
      const plan = parsePlan(run.planJson);
      const head = `${analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} on ${server.name} (PostgreSQL ${run.major})`;
      return { text: `${head}\n\n${formatPlanReport(plan, planInsights(plan), 'text', run.notices)}`, isError: false };
    } catch (e) {
      return unreachable(server, e);
    }
  },
});
