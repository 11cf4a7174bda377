// The PgBouncer section of the health report: the console sampled a few times during the run
// (pool saturation over the samples: at its size with clients waiting; the longest wait seen),
// then the findings of the last snapshot with the pool arithmetic against the server.
import { withConsole } from '../bouncer/console';
import { bouncerFindings, type BouncerFinding } from '../bouncer/findings';
import { readServerRoom } from '../bouncer/serverRoom';
import { isConsolePool, readBouncerSample, readBouncerSnapshot, type BouncerSample } from '../bouncer/snapshot';
import { poolServerConnections } from '../bouncer/showRows';
import type { PgConnection } from '../db/connection';
import { settle } from '../stats/errors';
import type { HealthContext } from './context';
import type { Finding, Schedule } from './types';

export interface BouncerHealthOptions {
  /** The console (database pgbouncer at the PgBouncer's port, an admin_users or stats_users user). */
  console: PgConnection;
  /** Samples of SHOW POOLS taken (default 5), intervalMs apart (default 1000). */
  samples?: number;
  intervalMs?: number;
  /** The console's failure in words for this front end; default: its message. */
  describeError?: (e: unknown) => string;
}

const SCHEDULE: Schedule = 'daily';

function fromBouncer(f: BouncerFinding): Finding {
  return {
    check: 'pgbouncer',
    schedule: SCHEDULE,
    level: f.level,
    subject: f.subject,
    observed: f.value === undefined ? f.check : `${Math.round(f.value * 10) / 10}${f.threshold === undefined ? '' : ` (limit ${f.threshold})`}`,
    why: f.message,
    ...(f.fix ? { fix: { kind: 'note' as const, text: f.fix } } : {}),
  };
}

/** Per pool over the samples: how often it was at its size with clients waiting, and the worst wait. */
export function saturationFindings(samples: readonly BouncerSample[], poolSize: (database: string) => number): Finding[] {
  const byPool = new Map<string, { full: number; waiting: number; maxwait: number }>();
  for (const s of samples)
    for (const p of s.pools) {
      if (isConsolePool(p.database)) continue;
      const key = `${p.database}/${p.user}`;
      const e = byPool.get(key) ?? { full: 0, waiting: 0, maxwait: 0 };
      const size = poolSize(p.database);
      if (size > 0 && poolServerConnections(p) >= size && p.clWaiting > 0) e.full++;
      e.waiting = Math.max(e.waiting, p.clWaiting);
      e.maxwait = Math.max(e.maxwait, p.maxwaitSeconds);
      byPool.set(key, e);
    }
  const n = samples.length;
  const out: Finding[] = [];
  for (const [pool, e] of byPool) {
    if (e.full === 0) continue;
    out.push({
      check: 'pgbouncer',
      schedule: SCHEDULE,
      level: 2 * e.full >= n ? 'warning' : 'info',
      subject: pool,
      observed: `saturated in ${e.full} of ${n} samples; up to ${e.waiting} client(s) waiting, maxwait up to ${Math.round(e.maxwait * 10) / 10} s`,
      value: e.full / n,
      why: `the pool was at its size with clients waiting in ${e.full} of ${n} samples: its clients queue for a server connection`,
      fix: {
        kind: 'note',
        text: 'raise pool_size for this database (within the server’s free connections), or shorten the transactions that hold server connections',
      },
    });
  }
  return out;
}

export async function pgbouncerCheck(ctx: HealthContext, o: BouncerHealthOptions): Promise<Finding[]> {
  const n = Math.max(1, o.samples ?? 5);
  const intervalMs = o.intervalMs ?? 1000;
  const room = await settle(readServerRoom(ctx.pool, ctx.v));
  const read = await settle(
    withConsole(o.console, async (con) => {
      const samples: BouncerSample[] = [];
      for (let i = 0; i < n; i++) {
        if (ctx.signal?.aborted) throw new Error('cancelled');
        if (i > 0) await new Promise((r) => setTimeout(r, intervalMs));
        samples.push(await readBouncerSample(con));
      }
      return { samples, last: await readBouncerSnapshot(con) };
    }),
  );
  if (!read.ok) {
    const words = o.describeError ? o.describeError(read.error) : read.error.message;
    return [
      { check: 'pgbouncer', schedule: SCHEDULE, level: 'info', subject: `${o.console.host}:${o.console.port}`, observed: 'console not read', why: words },
    ];
  }
  const { samples, last } = read.value;
  const sizeOf = (db: string) => last.databases.find((d) => d.name === db)?.poolSize ?? Number(last.config.get('default_pool_size') ?? 0);
  const findings = [...saturationFindings(samples, sizeOf), ...bouncerFindings(last, ctx.t, room.ok ? room.value : undefined).map(fromBouncer)];
  if (!room.ok)
    findings.push({
      check: 'pgbouncer',
      schedule: SCHEDULE,
      level: 'info',
      subject: 'server',
      observed: 'not read',
      why: `the pool arithmetic against the server was not done: ${room.error.message}`,
    });
  if (!findings.some((f) => f.level !== 'info'))
    findings.unshift({
      check: 'pgbouncer',
      schedule: SCHEDULE,
      level: 'ok',
      subject: last.version,
      observed: `${last.pools.filter((p) => !isConsolePool(p.database)).length} pool(s), no client waiting in ${n} samples`,
      why: 'no pool was at its size with clients waiting, and the pools fit the server',
    });
  return findings;
}
