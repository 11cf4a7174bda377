// Sequences and keys near their limit (weekly): the share of the range used, against the
// column's type when the sequence feeds one (a SERIAL is an int4: 2,147,483,647), with the move
// to bigint written out and its cost said — ALTER COLUMN … TYPE bigint rewrites the table.
import { quoteIdent } from '../db/sqlIdent';
import { formatCount } from '../format';
import { listSequences, sequenceUsedPct, type SequenceRow } from '../stats/sequences';
import { guarded, round, type HealthContext } from './context';
import { thresholdLevel } from './levels';
import { qualified } from './names';
import type { Finding, Fix } from './types';

const SMALL_TYPES = new Set(['smallint', 'integer']);

/** The statements that give the sequence (and its column) bigint's range. */
export function sequenceFix(r: SequenceRow): Fix {
  const seq = qualified(r.schema, r.sequence);
  const columnSmall = r.columnType !== null && SMALL_TYPES.has(r.columnType);
  const seqSmall = SMALL_TYPES.has(r.sequenceType);
  if (!columnSmall && !seqSmall)
    return {
      kind: 'note',
      text: `${seq} is already bigint: find why it is consumed this fast (a loop, large cache or increment), or restart it with ALTER SEQUENCE ${seq} RESTART when the old values are gone.`,
    };
  const lines: string[] = [];
  if (columnSmall && r.tableSchema !== null && r.table !== null && r.column !== null)
    lines.push(
      `ALTER TABLE ${qualified(r.tableSchema, r.table)} ALTER COLUMN ${quoteIdent(r.column)} TYPE bigint;  -- rewrites the whole table and its indexes under an ACCESS EXCLUSIVE lock: plan a window, or add a bigint column and backfill it in batches`,
    );
  // An identity column's sequence follows its column's new type; any other is changed itself.
  if (seqSmall && r.identity !== 'a' && r.identity !== 'd') lines.push(`ALTER SEQUENCE ${seq} AS bigint;  -- quick: no rewrite`);
  return { kind: 'sql', text: lines.join('\n') };
}

export async function sequencesCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'sequences', 'weekly', 'Sequences', async () => {
    const th = ctx.t.sequenceUsedPct;
    const rows = await listSequences(ctx.pool, ctx.v);
    const out: Finding[] = [];
    let worst: { r: SequenceRow; pct: number } | undefined;
    for (const r of rows) {
      const pct = sequenceUsedPct(r);
      if (!worst || pct > worst.pct) worst = { r, pct };
      const { level, threshold } = thresholdLevel('sequenceUsedPct', pct, th);
      if (level === 'ok') continue;
      const limitByColumn = r.columnMax !== null && r.columnMax < r.maxValue;
      const limit = limitByColumn ? r.columnMax! : r.maxValue;
      const feeds = r.table !== null ? ` feeding ${r.tableSchema}.${r.table}.${r.column} (${r.columnType})` : '';
      out.push({
        check: 'sequences',
        schedule: 'weekly',
        level,
        subject: r.table !== null ? `${r.tableSchema}.${r.table}.${r.column}` : `${r.schema}.${r.sequence}`,
        observed: `${round(pct, 2)}% used: ${formatCount(r.lastValue)} of ${formatCount(limit)} (${limitByColumn ? r.columnType : r.sequenceType})${threshold !== undefined ? `, above ${threshold}%` : ''}`,
        value: round(pct, 2),
        ...(threshold !== undefined ? { threshold } : {}),
        why: `Sequence ${r.schema}.${r.sequence}${feeds} has ${formatCount(Math.abs(limit - r.lastValue))} values left; when they run out every INSERT that needs one fails.`,
        fix: sequenceFix(r),
      });
    }
    if (out.length === 0)
      out.push({
        check: 'sequences',
        schedule: 'weekly',
        level: 'ok',
        subject: 'server',
        observed: worst
          ? `${rows.length} sequence${rows.length === 1 ? '' : 's'} in use; the most used ${worst.r.schema}.${worst.r.sequence} at ${round(worst.pct, 2)}%`
          : 'no sequence in use',
        why: `Every sequence used here is below ${th.warn}% of its range and of its column's.`,
      });
    return out;
  });
}
