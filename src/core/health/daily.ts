// The seed's daily checks: slow queries, cache hit ratios, connections (with lock waits; sessions
// idle in a transaction are sessions.ts's, one by one), autovacuum activity, and checkpoint frequency from the same
// alert table. Levels come from the stats core's evaluators and thresholds: the tree's.
import { readableIdent } from '../db/sqlIdent';
import { checkpointAlerts, checkpointRate, deadTupleAlerts, lockWaitAlerts, tooFewCheckpoints } from '../stats/alerts';
import { autovacuumTables, vacuumProgress } from '../stats/autovacuum';
import { databaseCacheHit } from '../stats/cacheHit';
import { checkpoints } from '../stats/checkpoints';
import { listLocks } from '../stats/activity';
import { listSettings } from '../stats/settings';
import { queryTimeByDatabase, statementsReadiness, topStatements } from '../stats/statements';
import { formatCount } from '../format';
import { guarded, round, type HealthContext } from './context';
import { thresholdLevel } from './levels';
import { confSize, qualified, settingMb, shortQuery } from './names';
import type { Finding } from './types';

/** pg_stat_statements usable here, or the info finding that says how to get it. */
export function statementsGate(ctx: HealthContext, check: Finding['check'], schedule: Finding['schedule']): Finding | undefined {
  if (!ctx.statements) {
    return {
      check,
      schedule,
      level: 'info',
      subject: 'pg_stat_statements',
      observed: 'not read',
      why: 'The state of pg_stat_statements could not be read, so query times are not known.',
    };
  }
  const ready = statementsReadiness(ctx.statements);
  if (ready.ready) return undefined;
  return {
    check,
    schedule,
    level: 'info',
    subject: 'pg_stat_statements',
    observed: ready.needsRestart ? 'not preloaded' : 'not available',
    why: ready.reason ?? 'pg_stat_statements is not available.',
    ...(ready.fixSql ? { fix: { kind: 'sql' as const, text: `${ready.fixSql};${ready.needsRestart ? '  -- then restart the server' : ''}` } } : {}),
  };
}

export async function slowQueries(ctx: HealthContext): Promise<Finding[]> {
  const gate = statementsGate(ctx, 'slow-queries', 'daily');
  if (gate) return [gate];
  const s = ctx.statements!;
  const th = ctx.t.avgQueryTimeMs;
  const base = { ...ctx.v, schema: s.schema ?? 'public', extVersion: s.installedVersion };
  return guarded(ctx, 'slow-queries', 'daily', 'Slow queries', async () => {
    const out: Finding[] = [];
    const top = await topStatements(ctx.pool, { ...base, orderBy: 'mean', minCalls: th.minCalls, limit: 10, maxQueryLength: 500 });
    for (const r of top) {
      const { level, threshold } = thresholdLevel('avgQueryTimeMs', r.meanExecMs, th);
      if (level === 'ok') continue;
      const runnable = r.query !== null && !/\$\d/.test(r.query) && r.query !== '<insufficient privilege>';
      out.push({
        check: 'slow-queries',
        schedule: 'daily',
        level,
        subject: shortQuery(r.query),
        observed: `mean ${round(r.meanExecMs)} ms over ${formatCount(r.calls)} calls (${level} above ${threshold} ms)`,
        value: round(r.meanExecMs, 2),
        ...(threshold !== undefined ? { threshold } : {}),
        why: `This statement averages ${round(r.meanExecMs)} ms per call${r.pctOfTotal !== null ? ` and takes ${r.pctOfTotal}% of all statement time` : ''} in ${r.database ?? 'its database'}.`,
        fix: runnable
          ? { kind: 'sql', text: `EXPLAIN (ANALYZE, BUFFERS) ${r.query};` }
          : { kind: 'note', text: 'See its plan under "Query plans" (monthly), or run EXPLAIN (ANALYZE, BUFFERS) on it with real values for its parameters.' },
      });
    }
    const hidden = top.some((r) => r.query === '<insufficient privilege>');
    if (hidden) {
      out.push({
        check: 'slow-queries',
        schedule: 'daily',
        level: 'info',
        subject: 'pg_stat_statements',
        observed: "other roles' queries hidden",
        why: "This role sees only its own statements' text; the others read <insufficient privilege>.",
        fix: { kind: 'sql', text: `GRANT pg_read_all_stats TO ${readableIdent(ctx.overview.currentUser)};` },
      });
    }
    const byDb = await queryTimeByDatabase(ctx.pool, { ...base, minCalls: th.minCalls });
    for (const d of byDb) {
      const { level, threshold } = thresholdLevel('avgQueryTimeMs', d.meanExecMs, th);
      out.push({
        check: 'slow-queries',
        schedule: 'daily',
        level,
        subject: d.database,
        observed: `average ${round(d.meanExecMs, 2)} ms over ${formatCount(d.calls)} calls${threshold !== undefined ? ` (above ${threshold} ms)` : ''}`,
        value: round(d.meanExecMs, 2),
        ...(threshold !== undefined ? { threshold } : {}),
        why:
          level === 'ok'
            ? `The average statement in ${d.database} runs within the ${th.warn} ms warning threshold.`
            : `The average statement in ${d.database} is slower than the ${threshold} ms threshold: the slowest statements above are where to start.`,
      });
    }
    if (out.length === 0) {
      out.push({
        check: 'slow-queries',
        schedule: 'daily',
        level: 'ok',
        subject: 'server',
        observed: `no statement with ${th.minCalls}+ calls yet`,
        why: 'pg_stat_statements has not counted enough calls to judge.',
      });
    }
    return out;
  });
}

export async function cacheHit(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'cache-hit', 'daily', 'Cache hit ratio', async () => {
    const th = ctx.t.cacheHitRatioPct;
    const sb = (await listSettings(ctx.pool, { ...ctx.v, name: 'shared_buffers' }))[0];
    const sbMb = settingMb(sb);
    const target = ctx.hardware.ramGB ? (ctx.hardware.ramGB * 1024) / 4 : undefined;
    const fix =
      target && (!sbMb || sbMb < target * 0.9)
        ? {
            kind: 'setting' as const,
            text: `shared_buffers = ${confSize(target)}  # 25% of the ${ctx.hardware.ramGB} GB of RAM (${ctx.hardware.ramFrom ?? 'pgdba.hardware.ramGB'}); restart needed`,
          }
        : {
            kind: 'note' as const,
            text: `Raise shared_buffers (now ${sbMb !== undefined ? confSize(sbMb) : '?'}) toward 25% of RAM, or find the queries that read the most blocks (pg_stat_statements shared_blks_read).`,
          };
    const rows = await databaseCacheHit(ctx.pool, ctx.v);
    const out: Finding[] = [];
    for (const r of rows) {
      if (r.hitRatioPct === null || r.blocksRead < th.minBlocks) continue;
      const { level, threshold } = thresholdLevel('cacheHitRatioPct', r.hitRatioPct, th);
      out.push({
        check: 'cache-hit',
        schedule: 'daily',
        level,
        subject: r.database,
        observed: `${r.hitRatioPct}% of ${formatCount(r.blocksHit + r.blocksRead)} block reads${threshold !== undefined ? ` (below ${threshold}%)` : ''}`,
        value: r.hitRatioPct,
        ...(threshold !== undefined ? { threshold } : {}),
        why:
          level === 'ok'
            ? `At least ${th.warn}% of the blocks ${r.database} needed were already in shared_buffers.`
            : `Only ${r.hitRatioPct}% of the blocks ${r.database} needed were in shared_buffers; the rest came from the kernel or the disk.`,
        ...(level === 'ok' ? {} : { fix }),
      });
    }
    if (out.length === 0)
      out.push({
        check: 'cache-hit',
        schedule: 'daily',
        level: 'ok',
        subject: 'server',
        observed: `fewer than ${formatCount(th.minBlocks)} blocks read outside shared_buffers per database`,
        why: 'Too few blocks came from outside shared_buffers since the statistics were reset for a ratio to matter (a server just started reads its catalogs cold).',
      });
    return out;
  });
}

export async function connections(ctx: HealthContext): Promise<Finding[]> {
  const o = ctx.overview;
  const th = ctx.t.connectionsPct;
  const pct = o.maxConnections > 0 ? (100 * o.connections) / o.maxConnections : 0;
  const { level, threshold } = thresholdLevel('connectionsPct', pct, th);
  const out: Finding[] = [
    {
      check: 'connections',
      schedule: 'daily',
      level,
      subject: 'server',
      observed: `${o.connections} of ${o.maxConnections} connections (${round(pct)}%)${threshold !== undefined ? `, above ${threshold}%` : ''}`,
      value: round(pct, 2),
      ...(threshold !== undefined ? { threshold } : {}),
      why:
        level === 'ok'
          ? `Client connections are within ${th.warn}% of max_connections.`
          : `Client connections are close to max_connections: new clients will be refused once it is reached.`,
      ...(level === 'ok'
        ? {}
        : {
            fix: {
              kind: 'note' as const,
              text: 'Put PgBouncer in transaction mode in front of the server (pool_mode = transaction, default_pool_size ≈ 2 × cores) so that hundreds of clients share a few server connections; raising max_connections costs memory per connection.',
            },
          }),
    },
  ];
  out.push(
    ...(await guarded(ctx, 'connections', 'daily', 'Lock waits', async () => {
      const locks = await listLocks(ctx.pool, { ...ctx.v, maxQueryLength: 200 });
      return lockWaitAlerts(locks, ctx.t).map((a) => {
        const row = locks.find((l) => `pid ${l.pid}` === a.subject);
        const blocker = row?.blockedBy[0];
        return {
          check: 'connections' as const,
          schedule: 'daily' as const,
          level: a.level,
          subject: a.subject,
          observed: `waiting ${round(a.value)} s for a lock (above ${a.threshold} s)`,
          value: a.value,
          threshold: a.threshold,
          why: `${a.message}: ${shortQuery(row?.query ?? null, 60)}.`,
          ...(blocker !== undefined
            ? { fix: { kind: 'sql' as const, text: `SELECT pg_cancel_backend(${blocker});  -- or find why pid ${blocker} keeps its transaction open` } }
            : {}),
        };
      });
    })),
  );
  return out;
}

export async function autovacuum(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'autovacuum', 'daily', 'Autovacuum activity', async () => {
    const out: Finding[] = [];
    const setting = (await listSettings(ctx.pool, { ...ctx.v, name: 'autovacuum' }))[0];
    if (setting?.setting === 'off') {
      out.push({
        check: 'autovacuum',
        schedule: 'daily',
        level: 'critical',
        subject: 'server',
        observed: 'autovacuum = off',
        why: 'With autovacuum off, dead rows pile up, statistics go stale and transaction-ID wraparound comes closer with every write.',
        fix: { kind: 'setting', text: 'autovacuum = on' },
      });
    }
    const rows = await autovacuumTables(ctx.pool, { ...ctx.v, limit: 200 });
    const alerts = deadTupleAlerts(rows, ctx.t);
    for (const a of alerts) {
      const r = rows.find((x) => `${x.schema}.${x.table}` === a.subject)!;
      const name = qualified(r.schema, r.table);
      out.push({
        check: 'autovacuum',
        schedule: 'daily',
        level: a.level,
        subject: a.subject,
        observed: `${round(a.value)}% dead tuples (${formatCount(r.deadTuples)} of ${formatCount(r.deadTuples + r.liveTuples)}), above ${a.threshold}%`,
        value: a.value,
        threshold: a.threshold,
        why: `${r.due ? `Past its autovacuum threshold of ${formatCount(r.vacuumThreshold)} dead rows` : 'Dead rows'}${r.enabled ? '' : ' while autovacuum is off for it'}; last autovacuum ${r.lastAutovacuum ?? 'never'}.`,
        fix: { kind: 'sql', text: `VACUUM (ANALYZE) ${name};` },
      });
    }
    for (const r of rows) {
      if (!r.due || r.enabled || setting?.setting === 'off' || alerts.some((a) => a.subject === `${r.schema}.${r.table}`)) continue;
      out.push({
        check: 'autovacuum',
        schedule: 'daily',
        level: 'warning',
        subject: `${r.schema}.${r.table}`,
        observed: `${formatCount(r.deadTuples)} dead tuples, autovacuum_enabled = false`,
        why: 'Autovacuum is switched off for this table and it is past the point where it would have been vacuumed.',
        fix: { kind: 'sql', text: `ALTER TABLE ${qualified(r.schema, r.table)} RESET (autovacuum_enabled);` },
      });
    }
    const running = await vacuumProgress(ctx.pool, ctx.v);
    if (out.length === 0) {
      const due = rows.filter((r) => r.due).length;
      const last = rows
        .map((r) => r.lastAutovacuum)
        .filter((x): x is string => !!x)
        .sort()
        .pop();
      out.push({
        check: 'autovacuum',
        schedule: 'daily',
        level: 'ok',
        subject: 'server',
        observed: `${due} table${due === 1 ? '' : 's'} past the threshold, ${running.length} vacuum${running.length === 1 ? '' : 's'} running; last autovacuum ${last ?? 'none yet'}`,
        why: `No table has more than ${ctx.t.deadTuplePct.warn}% dead tuples.`,
      });
    }
    return out;
  });
}

export async function checkpointFrequency(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'checkpoints', 'daily', 'Checkpoints', async () => {
    const row = await checkpoints(ctx.pool, ctx.v);
    const rate = row ? checkpointRate(row) : undefined;
    if (!row || rate === undefined) return [];
    const alert = checkpointAlerts(row, ctx.t)[0];
    const maxWal = settingMb((await listSettings(ctx.pool, { ...ctx.v, name: 'max_wal_size' }))[0]);
    return [
      {
        check: 'checkpoints',
        schedule: 'daily',
        level: alert?.level ?? 'ok',
        subject: 'server',
        observed: `${round(rate, 2)} per minute since the counters' reset (${formatCount(row.timed)} timed, ${formatCount(row.requested)} requested)${alert ? `, above ${alert.threshold}/min` : ''}`,
        value: round(rate, 2),
        ...(alert ? { threshold: alert.threshold } : {}),
        why: alert
          ? `Checkpoints this frequent write every changed page again and again (full-page images in the WAL)${row.requested > row.timed ? '; most were requested because max_wal_size filled up' : ''}.`
          : tooFewCheckpoints(row)
            ? `Only ${formatCount(row.done ?? row.timed + row.requested)} checkpoint${(row.done ?? row.timed + row.requested) === 1 ? '' : 's'} since the counters' reset: too few to judge a frequency by (CREATE DATABASE requests two before 15).`
            : `Checkpoints come no more than ${ctx.t.checkpointsPerMinute.warn} per minute.`,
        ...(alert
          ? { fix: { kind: 'setting' as const, text: `max_wal_size = ${confSize(Math.max(2048, (maxWal ?? 1024) * 2))}\ncheckpoint_timeout = '15min'` } }
          : {}),
      },
    ];
  });
}
