// The CREATE INDEX of a candidate: CONCURRENTLY, so writes go on while it builds. A partitioned
// table refuses CONCURRENTLY, so its index is made ON ONLY the parent (invalid until complete),
// each partition's CONCURRENTLY, and each attached; the parent's becomes valid with the last.
// Every identifier is quoted (quoteIdent); names fit PostgreSQL's 63 bytes.
import { quoteIdent } from '../db/sqlIdent';
import { qualified } from '../health/names';
import type { RelationInfo } from './candidates';
import type { KeyPart } from './predicates';
import type { IndexStep } from './types';

const NAME_BYTES = 63;

/** table_col1_col2_idx, cut (at a character) to 63 bytes with the _idx kept. */
export function indexName(table: string, keys: readonly Pick<KeyPart, 'columns'>[]): string {
  const suffix = '_idx';
  let base = [table, ...keys.flatMap((k) => k.columns)].join('_');
  while (Buffer.byteLength(base + suffix) > NAME_BYTES) base = [...base].slice(0, -1).join('');
  return base + suffix;
}

const keyList = (keys: readonly Pick<KeyPart, 'sql' | 'expression' | 'opclass'>[]) =>
  keys.map((k) => `${k.expression ? `(${k.sql})` : k.sql}${k.opclass ? ` ${k.opclass}` : ''}`).join(', ');

/** The statements that create the index for real. */
export function indexSteps(rel: RelationInfo, keys: readonly KeyPart[]): IndexStep[] {
  const name = indexName(rel.name, keys);
  const cols = keyList(keys);
  if (!rel.partitioned || rel.leaves.length === 0)
    return [
      {
        sql: `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${qualified(rel.schema, rel.name)} (${cols})`,
        undo: `DROP INDEX CONCURRENTLY IF EXISTS ${qualified(rel.schema, name)}`,
      },
    ];
  const steps: IndexStep[] = [
    {
      sql: `CREATE INDEX ${quoteIdent(name)} ON ONLY ${qualified(rel.schema, rel.name)} (${cols})`,
      undo: `DROP INDEX IF EXISTS ${qualified(rel.schema, name)}`,
    },
  ];
  for (const leaf of rel.leaves) {
    const leafIndex = indexName(leaf.name, keys);
    steps.push(
      {
        sql: `CREATE INDEX CONCURRENTLY ${quoteIdent(leafIndex)} ON ${qualified(leaf.schema, leaf.name)} (${cols})`,
        undo: `DROP INDEX CONCURRENTLY IF EXISTS ${qualified(leaf.schema, leafIndex)}`,
      },
      { sql: `ALTER INDEX ${qualified(rel.schema, name)} ATTACH PARTITION ${qualified(leaf.schema, leafIndex)}` },
    );
  }
  return steps;
}

/** What HypoPG is given: the plain CREATE INDEX, on each leaf of a partitioned table (the planner reads the leaves' indexes). */
export function hypotheticalSql(rel: RelationInfo, keys: readonly KeyPart[]): string[] {
  const cols = keyList(keys);
  const on = rel.partitioned && rel.leaves.length ? rel.leaves : [{ schema: rel.schema, name: rel.name }];
  return on.map((t) => `CREATE INDEX ON ${qualified(t.schema, t.name)} (${cols})`);
}

export const stepsSql = (steps: readonly IndexStep[]): string => steps.map((s) => `${s.sql};`).join('\n');
