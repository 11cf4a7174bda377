// table_stats: a schema's (or one table's) tables and indexes with the figures the tree shows:
// sizes, live and dead rows, scans, last vacuum and analyze, unused indexes.
import { z } from './zod';
import { readServerVersion } from '../db/serverInfo';
import { readableIdent } from '../db/sqlIdent';
import { formatAgo, formatBytes, formatCount, formatPct } from '../format';
import { toMarkdownTable } from '../markdownTable';
import { listIndexes } from '../stats/indexes';
import { listTables } from '../stats/tables';
import { defineTool, unreachable } from './agentTool';

/** Rows read per list; the largest `limit` of them are shown. */
const READ_ROWS = 200;

const name = z.string().min(1).max(63);
const schema = z
  .object({
    schema: name.optional().describe('The schema (default public)'),
    table: name.optional().describe('Only this table and its indexes (its name as stored, without quotes)'),
    limit: z.number().int().min(1).max(100).optional().describe('How many tables and indexes, the largest first (default 20)'),
  })
  .strict();

export const tableStatsTool = defineTool({
  name: 'pgdba_table_stats',
  displayName: 'PostgreSQL table and index statistics',
  summary: 'Sizes, rows, dead rows, scans and vacuum times of tables, and their indexes.',
  description:
    "Returns the statistics of a schema's tables (or of one table) and their indexes on the PostgreSQL server, largest first: total and table size, estimated and live rows, dead rows and their share, sequential vs index scans, last (auto)vacuum and (auto)analyze; each index's size, scans, whether it is unused (never scanned and backing no constraint, a DROP candidate) and its definition. Read-only.",
  schema,
  needsServer: true,
  confirm: (input, where) => ({
    title: `Read table statistics on ${where}?`,
    message: `Reads pg_class and the statistics functions on **${where}** for ${input.table ? `the table ${readableIdent(input.schema ?? 'public')}.${readableIdent(input.table)}` : `the schema ${readableIdent(input.schema ?? 'public')}`} (read-only queries).`,
  }),
  run: async (input, env) => {
    const { server } = env;
    const nsp = input.schema ?? 'public';
    const limit = input.limit ?? 20;
    try {
      return await server.use(async (pool) => {
        const v = await readServerVersion(pool);
        const only = input.table !== undefined ? { table: input.table } : {};
        const tables = await listTables(pool, { versionNum: v.num, schema: nsp, limit: READ_ROWS, ...only });
        const indexes = await listIndexes(pool, { versionNum: v.num, schema: nsp, limit: READ_ROWS, ...only });
        const what = input.table !== undefined ? `${readableIdent(nsp)}.${readableIdent(input.table)}` : `schema ${readableIdent(nsp)}`;
        if (tables.rows.length === 0)
          return {
            text: `No ${input.table !== undefined ? 'such table' : 'tables'} in ${what} on ${server.name} (or this role may not see them).`,
            isError: input.table !== undefined,
          };
        const bigFirst = <R extends { name: string }>(rows: R[], size: (r: R) => number) =>
          [...rows].sort((a, b) => size(b) - size(a) || (a.name < b.name ? -1 : 1)).slice(0, limit);
        const more = (n: number, next: string | null, of: string) =>
          next !== null ? `\n\n(${of}: the largest of the first ${READ_ROWS} by name.)` : n > limit ? `\n\n(${n - limit} smaller ${of} not shown.)` : '';
        const t = toMarkdownTable(
          ['table', 'total', 'table only', 'est. rows', 'live', 'dead', 'dead %', 'seq scans', 'idx scans', 'last vacuum', 'last analyze'],
          bigFirst(tables.rows, (r) => r.totalBytes).map((r) => ({
            table: readableIdent(r.name),
            total: formatBytes(r.totalBytes),
            'table only': formatBytes(r.tableBytes),
            'est. rows': formatCount(r.estimatedRows),
            live: formatCount(r.liveTuples),
            dead: formatCount(r.deadTuples),
            'dead %': formatPct(r.deadTuplePct),
            'seq scans': formatCount(r.seqScans),
            'idx scans': r.idxScans === null ? 'no index' : formatCount(r.idxScans),
            'last vacuum': formatAgo(latest(r.lastVacuum, r.lastAutovacuum)),
            'last analyze': formatAgo(latest(r.lastAnalyze, r.lastAutoanalyze)),
          })),
        );
        const i = toMarkdownTable(
          ['index', 'table', 'size', 'scans', 'usage', 'valid', 'definition'],
          bigFirst(indexes.rows, (r) => r.bytes).map((r) => ({
            index: readableIdent(r.name),
            table: readableIdent(r.table),
            size: formatBytes(r.bytes),
            scans: formatCount(r.scans),
            usage: r.unused ? 'UNUSED (no scan, no constraint)' : r.backsConstraint && r.scans === 0 ? 'constraint only' : r.usage,
            valid: r.isValid ? 'yes' : 'NO (a failed CREATE INDEX CONCURRENTLY)',
            definition: r.definition,
          })),
        );
        return {
          text: `Tables of ${what} on ${server.name} (PostgreSQL ${v.text}), largest first; scans and rows since the statistics were last reset:\n\n${t}${more(tables.rows.length, tables.nextAfter, 'tables')}\n\nIndexes:\n\n${indexes.rows.length ? i : '_none_\n'}${more(indexes.rows.length, indexes.nextAfter, 'indexes')}`,
          isError: false,
        };
      });
    } catch (e) {
      return unreachable(server, e);
    }
  },
});

/** The later of a manual and an automatic run. */
function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
