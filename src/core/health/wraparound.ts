// Wraparound (daily): transaction ID and multixact age of each database and of the oldest tables
// here, as a share of autovacuum_freeze_max_age (pgdba.alerts.thresholds wraparoundPct), critical
// from half the 2^31 hard limit whatever the setting says; then what keeps VACUUM from freezing
// past it: old sessions, prepared transactions, replication slots, standbys' feedback.
import { formatCount, formatDuration } from '../format';
import { quoteLiteral } from '../stats/sql';
import type { Threshold } from '../stats/thresholds';
import { freezeHolders, wraparoundDatabases, wraparoundTables, WRAPAROUND_LIMIT, type FreezeHolderRow } from '../stats/wraparound';
import { guarded, round, type HealthContext } from './context';
import { thresholdLevel } from './levels';
import { qualified } from './names';
import type { Finding, Fix, HealthLevel } from './types';

export interface AgeLevel {
  level: HealthLevel;
  /** Age as a percent of the freeze max age. */
  pct: number;
  /** The threshold crossed, in percent; undefined when ok or when the hard limit decided. */
  threshold?: number;
  /** Past half the hard limit. */
  nearLimit: boolean;
}

/** An age against its freeze max age and the hard limit. */
export function wraparoundLevel(age: number, freezeMaxAge: number, t: Threshold): AgeLevel {
  const pct = freezeMaxAge > 0 ? (100 * age) / freezeMaxAge : 0;
  const nearLimit = age >= WRAPAROUND_LIMIT / 2;
  if (nearLimit) return { level: 'critical', pct, nearLimit };
  const { level, threshold } = thresholdLevel('wraparoundPct', pct, t);
  return { level, pct, nearLimit, ...(threshold !== undefined ? { threshold } : {}) };
}

/** "150,000 = 150% of autovacuum_freeze_max_age 100,000, warning above 100%; 2,147,333,648 to the hard limit" */
function ageText(what: string, age: number, maxAge: number, setting: string, l: AgeLevel): string {
  const limit = l.nearLimit ? ', past half the hard limit' : l.threshold !== undefined ? `, ${l.level} above ${l.threshold}%` : '';
  return `${what} age ${formatCount(age)} = ${round(l.pct)}% of ${setting} ${formatCount(maxAge)}${limit}; ${formatCount(WRAPAROUND_LIMIT - age)} to the hard limit`;
}

/** The statement that ends a holder, written out. */
export function holderFix(h: Pick<FreezeHolderRow, 'kind' | 'name'>): Fix {
  switch (h.kind) {
    case 'session':
      return { kind: 'sql', text: `SELECT pg_terminate_backend(${Number(h.name)});  -- ends the session and rolls back its transaction` };
    case 'prepared':
      return { kind: 'sql', text: `ROLLBACK PREPARED ${quoteLiteral(h.name)};  -- or COMMIT PREPARED, if the transaction manager says so` };
    case 'slot':
    case 'slot-catalog':
      return {
        kind: 'sql',
        text: `SELECT pg_drop_replication_slot(${quoteLiteral(h.name)});  -- once no consumer needs it: it must be recreated and resynchronised`,
      };
    default:
      return { kind: 'note', text: "End the standby's long queries, or set hot_standby_feedback = off there (queries may then be cancelled by replay)." };
  }
}

const HOLDER_WORDS: Record<string, string> = {
  session: 'session',
  prepared: 'prepared transaction',
  slot: 'replication slot (xmin)',
  'slot-catalog': 'replication slot (catalog_xmin)',
  standby: 'standby (hot_standby_feedback)',
};

export async function wraparound(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'wraparound', 'daily', 'Wraparound', async () => {
    const th = ctx.t.wraparoundPct;
    const out: Finding[] = [];
    const base = { check: 'wraparound' as const, schedule: 'daily' as const };
    const dbs = await wraparoundDatabases(ctx.pool, ctx.v);
    for (const d of dbs) {
      for (const [what, age, max, setting] of [
        ['XID', d.xidAge, d.freezeMaxAge, 'autovacuum_freeze_max_age'],
        ['multixact', d.mxidAge, d.multixactFreezeMaxAge, 'autovacuum_multixact_freeze_max_age'],
      ] as const) {
        const l = wraparoundLevel(age, max, th);
        if (l.level === 'ok') continue;
        out.push({
          ...base,
          level: l.level,
          subject: d.database,
          observed: ageText(what, age, max, setting, l),
          value: round(l.pct, 2),
          ...(l.threshold !== undefined ? { threshold: l.threshold } : {}),
          why: `Anti-wraparound autovacuum should have frozen ${d.database} by now; if the age reaches the hard limit the server stops accepting writes until a VACUUM in single-user mode. What holds freezing back is listed under this check.`,
          fix: { kind: 'sql', text: `VACUUM (FREEZE, VERBOSE);  -- connected to ${d.database}; the oldest tables first, as listed` },
        });
      }
    }
    for (const r of await wraparoundTables(ctx.pool, { ...ctx.v, limit: 10 })) {
      const x = wraparoundLevel(r.xidAge, r.freezeMaxAge, th);
      const m = wraparoundLevel(r.mxidAge, r.multixactFreezeMaxAge, th);
      const l = x.pct >= m.pct ? x : m;
      if (l.level === 'ok') continue;
      const isXid = l === x;
      out.push({
        ...base,
        level: l.level,
        subject: `${r.schema}.${r.table}`,
        observed: isXid
          ? ageText('XID', r.xidAge, r.freezeMaxAge, 'autovacuum_freeze_max_age', l)
          : ageText('multixact', r.mxidAge, r.multixactFreezeMaxAge, 'autovacuum_multixact_freeze_max_age', l),
        value: round(l.pct, 2),
        ...(l.threshold !== undefined ? { threshold: l.threshold } : {}),
        why: `One of the oldest tables of ${ctx.overview.currentDatabase}: a freezing VACUUM reads all of it, so it is best run off-hours rather than left to an anti-wraparound autovacuum that cannot be cancelled.`,
        fix: { kind: 'sql', text: `VACUUM (FREEZE, VERBOSE) ${qualified(r.schema, r.table)};` },
      });
    }
    const serverMax = dbs[0]?.freezeMaxAge ?? 200_000_000;
    for (const h of await freezeHolders(ctx.pool, { ...ctx.v, limit: 10 })) {
      const l = wraparoundLevel(h.xidAge, serverMax, th);
      if (l.level === 'ok') continue;
      out.push({
        ...base,
        level: l.level,
        subject: `${HOLDER_WORDS[h.kind] ?? h.kind} ${h.name}`,
        observed: `holds XID age ${formatCount(h.xidAge)} (${round(l.pct)}% of autovacuum_freeze_max_age)${h.seconds !== null ? `, for ${formatDuration(h.seconds)}` : ''}${h.detail ? `; ${h.detail}` : ''}`,
        value: round(l.pct, 2),
        ...(l.threshold !== undefined ? { threshold: l.threshold } : {}),
        why: 'VACUUM cannot freeze rows newer than the oldest transaction or snapshot still needed, so no table ages less than this while it lasts.',
        fix: holderFix(h),
      });
    }
    if (out.length === 0) {
      const oldest = dbs.reduce((a, d) => Math.max(a, d.xidAge), 0);
      const oldestMx = dbs.reduce((a, d) => Math.max(a, d.mxidAge), 0);
      out.push({
        ...base,
        level: 'ok',
        subject: 'server',
        observed: `oldest XID age ${formatCount(oldest)} (${round(wraparoundLevel(oldest, serverMax, th).pct)}% of autovacuum_freeze_max_age), multixact age ${formatCount(oldestMx)}`,
        value: oldest,
        why: `Every database and table is within ${th.warn}% of its freeze max age, and nothing holds freezing back past it.`,
      });
    }
    return out;
  });
}
