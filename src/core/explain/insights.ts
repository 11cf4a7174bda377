// What to change, per node: each rule reads the typed tree and returns plain-data insights.
// Thresholds are named so that a reader can see, and a test can pin, where each line is drawn.
import { filterColumns, filterExpressions, indexColumns, joinPairs, type FilterColumn, type IndexColumn } from './filterColumns';
import type { Insight, InsightRule, InsightSeverity } from './insightTypes';
import type { Plan, PlanNode } from './planTypes';
import { qualifiedName, readableIdent, unquoteIdent } from '../db/sqlIdent';
import { percent } from './percent';

/** A seq scan is worth an index when it discards at least this share of the rows it reads … */
export const SEQ_SCAN_REMOVED_SHARE = 0.9;
/** … of a table at least this large (rows read, all loops). */
export const SEQ_SCAN_MIN_ROWS_READ = 10_000;
/** Row estimates this many times off (either way) point at statistics. */
export const ESTIMATE_FACTOR = 10;
/** Misses on tiny row counts do not matter. */
const ESTIMATE_MIN_ROWS = 100;
/** A nested loop's inner side run this many times is worth a look. */
const NESTED_LOOP_MIN_LOOPS = 1_000;
/** Index-only scans visiting the heap for at least this share of rows need a VACUUM … */
const HEAP_FETCH_SHARE = 0.1;
/** … and at least this many fetches. */
const HEAP_FETCH_MIN = 100;
/** An external sort needs roughly this much more memory than it wrote to disk (tuple overhead). */
const SORT_DISK_TO_MEMORY = 2;
/** A TID bitmap entry per heap page costs about this many bytes of work_mem (tidbitmap.c + hash). */
const BITMAP_BYTES_PER_PAGE = 64;
/** work_mem suggestions are rounded up to a power of two MB, at least this. */
const MIN_WORK_MEM_MB = 4;

function workMemFor(kb: number): string {
  let mb = MIN_WORK_MEM_MB;
  while (mb * 1024 < kb) mb *= 2;
  return `${mb}MB`;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const rowsAll = (n: PlanNode): number => (n.actualRows ?? 0) * (n.actualLoops ?? 0);
const isScan = (n: PlanNode): boolean => /Scan$/.test(n.nodeType) && n.relation !== undefined;

function make(rule: InsightRule, severity: InsightSeverity, node: PlanNode, title: string, why: string, action: Insight['action']): Insight {
  return { id: `${rule}:${node.id}`, rule, severity, nodeId: node.id, title, why, action };
}

/** The table a scan reads, written for SQL. */
const tableOf = (n: PlanNode): string => qualifiedName(n.schema, n.relation ?? '?');

function indexStatement(n: PlanNode, cols: IndexColumn[]): string {
  const names = [...new Set(cols.map((c) => c.column))];
  const indexName = readableIdent(`${n.relation ?? 't'}_${names.join('_')}_idx`.slice(0, 63));
  const element = (name: string) => [readableIdent(name), cols.find((c) => c.column === name)?.opclass].filter(Boolean).join(' ');
  return `CREATE INDEX ${indexName} ON ${tableOf(n)} (${names.map(element).join(', ')});`;
}

/** An expression as an index element: a function call stands alone, anything else in parentheses. */
const indexElement = (e: string): string => (/^[A-Za-z_][\w$]*\(.*\)$/s.test(e) ? e : `(${e})`);

/** The names an expression uses, outside literals and casts: lower(email) → lower, email. */
function expressionWords(e: string): string[] {
  const bare = e.replace(/'(?:[^']|'')*'/g, ' ').replace(/::[\w ]+/g, ' ');
  return [...new Set([...bare.matchAll(/"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*/g)].map((m) => unquoteIdent(m[0])))];
}

/** The scan's own qualifier ("u." in VERBOSE output) taken off, so that the index can be created. */
function withoutQualifier(n: PlanNode, e: string): string {
  let out = e;
  for (const q of new Set([n.alias, n.relation].filter((x): x is string => !!x))) {
    const printed = readableIdent(q).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(String.raw`(^|[^\w$."])${printed}\.`, 'g'), '$1');
  }
  return out;
}

/**
 * An expression index over a filter's expressions, then ANALYZE: only ANALYZE gathers statistics
 * on an index's expressions, and without them the planner guesses (0.5% of rows for "=").
 */
function expressionIndexStatement(n: PlanNode, exprs: string[]): string {
  const own = exprs.map((e) => withoutQualifier(n, e));
  const indexName = readableIdent(`${n.relation ?? 't'}_${own.flatMap(expressionWords).join('_')}_idx`.slice(0, 63));
  return `CREATE INDEX ${indexName} ON ${tableOf(n)} (${own.map(indexElement).join(', ')});\nANALYZE ${tableOf(n)};`;
}

/** Only the filter columns that belong to this scan (no qualifier, or the scan's alias/table). */
function ownColumns<C extends FilterColumn>(n: PlanNode, cols: C[]): C[] {
  return cols.filter((c) => !c.qualifier || c.qualifier === n.alias || c.qualifier === n.relation);
}

function missingIndex(n: PlanNode): Insight | undefined {
  if (n.nodeType !== 'Seq Scan' || n.rowsRemovedByFilter === undefined || !n.relation) return undefined;
  const kept = rowsAll(n);
  const removed = n.rowsRemovedByFilter * (n.actualLoops ?? 0);
  const read = kept + removed;
  if (read < SEQ_SCAN_MIN_ROWS_READ || removed / read < SEQ_SCAN_REMOVED_SHARE) return undefined;
  // Only what a B-tree serves: an index on a "<>" or "LIKE '%x'" column would leave the scan as it is.
  const cols = ownColumns(n, indexColumns(n.filter ?? ''));
  const why = `The sequential scan of ${n.relation} read ${fmt(read)} rows and kept ${fmt(kept)} (${percent(removed, read)} filtered out).`;
  const exprs = cols.length === 0 ? filterExpressions(n.filter ?? '', 'index') : [];
  if (exprs.length > 0) {
    return make('missing-index', 'warning', n, `Missing expression index on ${n.relation} (${exprs.map((e) => withoutQualifier(n, e)).join(', ')})`, why, {
      kind: 'sql',
      text: expressionIndexStatement(n, exprs),
    });
  }
  if (cols.length === 0) {
    return make('missing-index', 'warning', n, `Seq scan on ${n.relation} discards most rows`, why, {
      kind: 'note',
      text: `The filter ${n.filter ?? ''} has no comparison a B-tree index serves (<>, NOT IN, NOT LIKE, ILIKE and LIKE '%…' cannot use one; an OR needs an index per branch): a partial index whose WHERE is this filter can, or a trigram index (pg_trgm) for a pattern.`,
    });
  }
  return make('missing-index', 'warning', n, `Missing index on ${n.relation} (${cols.map((c) => c.column).join(', ')})`, why, {
    kind: 'sql',
    text: indexStatement(n, cols),
  });
}

function spill(n: PlanNode): Insight | undefined {
  if (n.sortSpaceType === 'Disk' && n.sortSpaceKb !== undefined) {
    const need = workMemFor(n.sortSpaceKb * SORT_DISK_TO_MEMORY);
    return make(
      'sort-spill',
      'warning',
      n,
      `Sort spilled ${fmt(n.sortSpaceKb)} kB to disk`,
      `The sort (${n.sortMethod ?? 'external'}) did not fit in work_mem and wrote ${fmt(n.sortSpaceKb)} kB of temporary files.`,
      {
        kind: 'setting',
        text: `SET work_mem = '${need}';  -- for this session or role; server-wide it multiplies by connections × sort nodes`,
      },
    );
  }
  if (n.hashBatches !== undefined && n.hashBatches > 1) {
    const peak = n.peakMemoryKb ?? 0;
    // Each batch holds about the peak memory of one: all batches in memory need peak × batches.
    const needKb = Math.max(peak * n.hashBatches, (n.diskUsageKb ?? 0) + peak);
    const what = n.nodeType === 'Aggregate' ? 'hash aggregate' : 'hash';
    return make(
      'hash-spill',
      'warning',
      n,
      `The ${what} spilled to disk in ${n.hashBatches} batches`,
      `The ${what} table did not fit in work_mem${n.originalHashBatches && n.originalHashBatches < n.hashBatches ? ` (planned ${n.originalHashBatches} batch${n.originalHashBatches > 1 ? 'es' : ''})` : ''}, so it was split into ${n.hashBatches} batches written to temporary files.`,
      {
        kind: 'setting',
        text: `SET work_mem = '${workMemFor(needKb)}';  -- hash_mem_multiplier also scales hash memory`,
      },
    );
  }
  return undefined;
}

function estimateMiss(n: PlanNode, plan: Plan): Insight | undefined {
  const f = n.estimateFactor;
  // ModifyTable returns no rows without RETURNING, whatever it planned to write.
  if (f === undefined || f < ESTIMATE_FACTOR || n.neverExecuted || n.nodeType === 'ModifyTable') return undefined;
  if (Math.max(n.planRows, n.actualRows ?? 0) < ESTIMATE_MIN_ROWS) return undefined;
  // Report where a miss starts, not every node above it that inherits it.
  if (n.children.some((c) => (plan.nodes[c]!.estimateFactor ?? 1) >= ESTIMATE_FACTOR)) return undefined;
  const dir = n.estimateDirection === 'under' ? 'under' : 'over';
  const why = `The planner expected ${fmt(n.planRows)} rows per loop and got ${fmt(n.actualRows ?? 0)} (${f.toFixed(f < 100 ? 1 : 0)}× ${dir}-estimated), so the plan above it was chosen for the wrong size.`;
  const title = `Row estimate ${f.toFixed(0)}× ${dir} on ${n.relation ?? n.nodeType}`;
  if (isScan(n)) {
    // ANALYZE gives an expression no statistics; an index on it does (after ANALYZE).
    const exprs = filterExpressions(n.filter ?? '');
    if (exprs.length > 0) return make('estimate-miss', 'warning', n, title, why, { kind: 'sql', text: expressionIndexStatement(n, exprs) });
    const cols = ownColumns(n, filterColumns([n.filter, n.indexCond].filter(Boolean).join(' AND ')));
    const names = [...new Set(cols.map((c) => c.column))];
    if (names.length >= 2 && /\bAND\b/.test(`${n.filter ?? ''} ${n.indexCond ?? ''}`)) {
      const stat = readableIdent(`${n.relation}_${names.join('_')}_stats`.slice(0, 63));
      return make('estimate-miss', 'warning', n, title, why, {
        kind: 'sql',
        text: `CREATE STATISTICS ${stat} (dependencies, ndistinct, mcv) ON ${names.map(readableIdent).join(', ')} FROM ${tableOf(n)};\nANALYZE ${tableOf(n)};`,
      });
    }
    return make('estimate-miss', 'warning', n, title, why, { kind: 'sql', text: `ANALYZE ${tableOf(n)};` });
  }
  return make('estimate-miss', 'info', n, title, why, {
    kind: 'note',
    text: 'The inputs are estimated well but their combination is not: correlated join or grouping columns; extended statistics (CREATE STATISTICS) on them may help.',
  });
}

function nestedLoop(n: PlanNode, plan: Plan): Insight | undefined {
  if (n.nodeType !== 'Nested Loop' || n.children.length < 2) return undefined;
  // The inner side and, through Materialize / Memoize, the scan it repeats.
  let inner = plan.nodes[n.children[1]!]!;
  const loops = inner.actualLoops ?? 0;
  if (loops < NESTED_LOOP_MIN_LOOPS) return undefined;
  while ((inner.nodeType === 'Materialize' || inner.nodeType === 'Memoize') && inner.children[0] !== undefined) inner = plan.nodes[inner.children[0]]!;
  // An inner index scan run many times is what a nested loop is for: no advice would change it.
  if (inner.nodeType !== 'Seq Scan') return undefined;
  const why = `The inner side of this nested loop ran ${fmt(loops)} times, each time a sequential scan of ${inner.relation ?? 'a table'}.`;
  if (inner.relation) {
    const pairs = joinPairs(`${n.joinFilter ?? ''} ${inner.filter ?? ''}`);
    const cols = pairs.flatMap((pair) => pair.filter((c) => c.qualifier === inner.alias || c.qualifier === inner.relation));
    if (cols.length > 0) {
      return make('nested-loop-scan', 'warning', n, `Nested loop rescans ${inner.relation} ${fmt(loops)} times`, why, {
        kind: 'sql',
        text: indexStatement(inner, cols),
      });
    }
  }
  return make('nested-loop-scan', 'warning', n, `Nested loop with ${fmt(loops)} inner loops`, why, {
    kind: 'note',
    text: 'Index the inner side on the join column, or check the outer row estimate: with the right estimate the planner would pick a hash or merge join.',
  });
}

function workers(n: PlanNode, plan: Plan): Insight | undefined {
  if (n.workersPlanned === undefined || n.workersLaunched === undefined || n.workersLaunched >= n.workersPlanned) return undefined;
  // EXPLAIN (SETTINGS) shows max_parallel_workers when it is not the default (8).
  const current = Number(plan.summary.settings['max_parallel_workers'] ?? 8);
  const raiseTo = (Number.isInteger(current) && current >= 0 ? current : 8) + n.workersPlanned - n.workersLaunched;
  return make(
    'workers-not-launched',
    'warning',
    n,
    `${n.workersLaunched} of ${n.workersPlanned} parallel workers launched`,
    `The planner counted on ${n.workersPlanned} workers but the server had only ${n.workersLaunched} free, so the leader did ${n.workersLaunched === 0 ? 'all' : 'more of'} the work alone.`,
    {
      kind: 'setting',
      text: `SET max_parallel_workers = '${raiseTo}';  -- ALTER SYSTEM for every session; max_worker_processes (restart) must be at least as large; or lower max_parallel_workers_per_gather so plans expect what the server can give`,
    },
  );
}

function heapFetches(n: PlanNode): Insight | undefined {
  if (n.nodeType !== 'Index Only Scan' || n.heapFetches === undefined || !n.relation) return undefined;
  const rows = rowsAll(n);
  if (n.heapFetches < HEAP_FETCH_MIN || n.heapFetches < rows * HEAP_FETCH_SHARE) return undefined;
  return make(
    'heap-fetches',
    'warning',
    n,
    `Index-only scan visited the heap ${fmt(n.heapFetches)} times`,
    `The visibility map of ${n.relation} is out of date, so ${fmt(n.heapFetches)} of ${fmt(rows)} rows were checked in the table itself.`,
    {
      kind: 'sql',
      text: `VACUUM (ANALYZE) ${tableOf(n)};`,
    },
  );
}

function lossyBitmap(n: PlanNode): Insight | undefined {
  if (!n.lossyHeapBlocks) return undefined;
  const pages = n.lossyHeapBlocks + (n.exactHeapBlocks ?? 0);
  return make(
    'lossy-bitmap',
    'warning',
    n,
    `Bitmap went lossy on ${fmt(n.lossyHeapBlocks)} pages`,
    `The bitmap did not fit in work_mem, so ${fmt(n.lossyHeapBlocks)} pages were tracked as whole pages and every row on them was rechecked.`,
    {
      kind: 'setting',
      text: `SET work_mem = '${workMemFor((pages * BITMAP_BYTES_PER_PAGE) / 1024)}';`,
    },
  );
}

export function planInsights(plan: Plan): Insight[] {
  const out: Insight[] = [];
  for (const n of plan.nodes) {
    for (const found of [missingIndex(n), spill(n), estimateMiss(n, plan), nestedLoop(n, plan), workers(n, plan), heapFetches(n), lossyBitmap(n)]) {
      if (found) out.push(found);
    }
  }
  return out;
}
