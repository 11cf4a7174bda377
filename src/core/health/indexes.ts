// Index defects (weekly, beside the unused ones of weekly.ts): invalid indexes, duplicate and
// redundant ones, each with its DROP INDEX CONCURRENTLY; foreign keys without an index on the
// referencing columns, with the CREATE INDEX CONCURRENTLY.
import { quoteIdent } from '../db/sqlIdent';
import { formatBytes } from '../format';
import { invalidIndexes, redundantIndexes, unindexedForeignKeys, type InvalidIndexRow, type UnindexedForeignKeyRow } from '../stats/indexDefects';
import { guarded, type HealthContext } from './context';
import { qualified } from './names';
import type { Finding } from './types';

/** Below this an index or a referencing table costs little: info rather than warning. */
const WARN_BYTES = 1024 * 1024;

/** pg_get_indexdef's CREATE [UNIQUE] INDEX, made concurrent. */
export function concurrentDefinition(definition: string): string {
  return definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ');
}

export function invalidIndexFix(r: Pick<InvalidIndexRow, 'schema' | 'index' | 'definition'>): string {
  return [
    `DROP INDEX CONCURRENTLY ${qualified(r.schema, r.index)};`,
    `-- then, once what made the build fail is fixed (duplicate keys for a UNIQUE index, a deadlock, a cancel):`,
    `${concurrentDefinition(r.definition)};`,
  ].join('\n');
}

/** CREATE INDEX CONCURRENTLY ON "s"."t" ("a", "b"): PostgreSQL names it. */
export function foreignKeyIndexFix(r: Pick<UnindexedForeignKeyRow, 'schema' | 'table' | 'columns'>): string {
  return `CREATE INDEX CONCURRENTLY ON ${qualified(r.schema, r.table)} (${r.columns.map(quoteIdent).join(', ')});`;
}

export async function invalidIndexesCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'invalid-indexes', 'weekly', 'Invalid indexes', async () => {
    const rows = (await invalidIndexes(ctx.pool, ctx.v)).filter((r) => !r.building);
    if (rows.length === 0)
      return [{ check: 'invalid-indexes', schedule: 'weekly', level: 'ok', subject: 'server', observed: 'no invalid index', why: 'Every index is valid.' }];
    return rows.map((r) => ({
      check: 'invalid-indexes',
      schedule: 'weekly',
      level: 'warning',
      subject: `${r.schema}.${r.index}`,
      observed: `invalid, ${formatBytes(r.bytes)} on ${r.table}`,
      value: r.bytes,
      why: 'Left by a CREATE INDEX CONCURRENTLY (or REINDEX CONCURRENTLY) that failed: no query uses it, yet every write to the table maintains it, and a UNIQUE one still refuses duplicates.',
      fix: { kind: 'sql', text: invalidIndexFix(r) },
    }));
  });
}

export async function redundantIndexesCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'redundant-indexes', 'weekly', 'Duplicate and redundant indexes', async () => {
    const rows = (await redundantIndexes(ctx.pool, ctx.v)).sort((a, b) => a.schema.localeCompare(b.schema) || a.index.localeCompare(b.index));
    if (rows.length === 0)
      return [
        {
          check: 'redundant-indexes',
          schedule: 'weekly',
          level: 'ok',
          subject: 'server',
          observed: 'no duplicate or redundant index',
          why: "No index's key columns lead another index with the same method, expressions and predicate.",
        },
      ];
    return rows.map((r) => ({
      check: 'redundant-indexes',
      schedule: 'weekly',
      level: r.bytes >= WARN_BYTES ? 'warning' : 'info',
      subject: `${r.schema}.${r.index}`,
      observed: `${r.duplicate ? 'duplicate of' : 'covered by'} ${r.schema}.${r.coveredBy}, ${formatBytes(r.bytes)} on ${r.table}`,
      value: r.bytes,
      why: r.duplicate
        ? `Same columns, method and predicate as ${r.coveredBy} (${r.coveredByDefinition}): one of the two is enough.`
        : `Its columns are the leading columns of ${r.coveredBy} (${r.coveredByDefinition}), with the same predicate, so that index serves its queries; the wider one is somewhat larger to read.`,
      fix: { kind: 'sql', text: `DROP INDEX CONCURRENTLY ${qualified(r.schema, r.index)};` },
    }));
  });
}

export async function foreignKeyIndexesCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'fk-indexes', 'weekly', 'Foreign keys without an index', async () => {
    const rows = await unindexedForeignKeys(ctx.pool, ctx.v);
    if (rows.length === 0)
      return [
        {
          check: 'fk-indexes',
          schedule: 'weekly',
          level: 'ok',
          subject: 'server',
          observed: 'every foreign key has an index',
          why: 'The referencing columns of each foreign key lead an index.',
        },
      ];
    return rows.map((r) => ({
      check: 'fk-indexes',
      schedule: 'weekly',
      level: r.tableBytes >= WARN_BYTES ? 'warning' : 'info',
      subject: `${r.schema}.${r.table}.${r.constraint}`,
      observed: `(${r.columns.join(', ')}) → ${r.referencedSchema}.${r.referencedTable} has no index; ${r.table} is ${formatBytes(r.tableBytes)}`,
      value: r.tableBytes,
      why: `Each DELETE on ${r.referencedTable}, or UPDATE of its key, looks for referencing rows in ${r.table} with a sequential scan, holding its locks the while; joins on the key lack it too.`,
      fix: { kind: 'sql', text: foreignKeyIndexFix(r) },
    }));
  });
}
