// Replication (daily): slots nobody reads, with the WAL they keep (a slot holds WAL until its
// consumer confirms it, so an abandoned one fills the disk), slots whose WAL is already gone, and
// the replay lag of each standby against replicationLagSeconds (pgdba.alerts.thresholds); on a
// standby, its own replay behind what it received (an idle primary sends nothing: no alarm then).
import { formatBytes, formatDuration } from '../format';
import { replayStatus, replicationSlots, standbys, type ReplicationSlotRow } from '../stats/server';
import { listSettings } from '../stats/settings';
import { quoteLiteral } from '../stats/sql';
import { guarded, round, type HealthContext } from './context';
import { thresholdLevel } from './levels';
import type { Finding, HealthLevel } from './types';

/** An inactive slot: warning; one whose WAL is gone or going: critical. */
export function slotLevel(s: Pick<ReplicationSlotRow, 'active' | 'walStatus'>): HealthLevel {
  if (s.walStatus === 'lost' || s.walStatus === 'unreserved') return 'critical';
  return s.active ? 'ok' : 'warning';
}

export async function replicationCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'replication', 'daily', 'Replication', async () => {
    const out: Finding[] = [];
    const slots = await replicationSlots(ctx.pool, ctx.v);
    const keep = (await listSettings(ctx.pool, { ...ctx.v, name: 'max_slot_wal_keep_size' }))[0]?.setting;
    // The data directory's file system, where the host facts know it: what an unread slot leaves there.
    const freeBytes = ctx.host && !('error' in ctx.host) ? ctx.host.dataDirectory.freeBytes : null;
    for (const s of slots) {
      let level = slotLevel(s);
      if (level === 'ok') continue;
      // WAL kept without a limit while the disk has less than as much again left: it fills next.
      const diskShare = freeBytes !== null && s.retainedBytes !== null && freeBytes > 0 ? s.retainedBytes / freeBytes : null;
      if (level === 'warning' && keep === '-1' && diskShare !== null && diskShare >= 1) level = 'critical';
      const lost = s.walStatus === 'lost';
      out.push({
        check: 'replication',
        schedule: 'daily',
        level,
        subject: `slot ${s.slotName}`,
        observed: `${s.slotType}${s.database ? ` on ${s.database}` : ''}, ${s.active ? 'active' : 'inactive'}${s.inactiveSince ? ` since ${s.inactiveSince}` : ''}, wal_status ${s.walStatus ?? '–'}; keeps ${formatBytes(s.retainedBytes)} of WAL${s.safeWalBytes !== null ? `, ${formatBytes(s.safeWalBytes)} before max_slot_wal_keep_size drops it` : ''}${freeBytes !== null ? `; the data directory's disk has ${formatBytes(freeBytes)} free${diskShare !== null && diskShare >= 0.01 ? ` (the slot keeps ${Math.round(diskShare * 100)}% of that again)` : ''}` : ''}`,
        ...(s.retainedBytes !== null ? { value: s.retainedBytes } : {}),
        why: lost
          ? 'The WAL this slot needs is already removed: its consumer can no longer catch up and must be set up again.'
          : `No consumer reads this slot, so the server keeps every WAL segment since it stopped${keep === '-1' ? ' with no limit (max_slot_wal_keep_size = -1): the disk fills until the server stops' : ''}; a logical slot also holds back VACUUM of the catalogs.`,
        fix: {
          kind: 'sql',
          text: `SELECT pg_drop_replication_slot(${quoteLiteral(s.slotName)});  -- once its consumer is gone for good${keep === '-1' ? "\nALTER SYSTEM SET max_slot_wal_keep_size = '10GB';  -- caps what any slot may keep; SELECT pg_reload_conf();" : ''}`,
        },
      });
    }
    const th = ctx.t.replicationLagSeconds;
    const replicas = await standbys(ctx.pool, ctx.v);
    for (const r of replicas) {
      const { level, threshold } = thresholdLevel('replicationLagSeconds', r.replayLagSeconds ?? 0, th);
      const name = r.applicationName || r.clientAddr || String(r.pid);
      out.push({
        check: 'replication',
        schedule: 'daily',
        level,
        subject: `standby ${name}`,
        observed: `${r.state ?? 'state hidden'}${r.syncState ? ` (${r.syncState})` : ''}, replay ${formatDuration(r.replayLagSeconds ?? 0)} and ${formatBytes(r.replayLagBytes)} behind${threshold !== undefined ? ` (above ${threshold} s)` : ''}`,
        value: round(r.replayLagSeconds ?? 0, 2),
        ...(threshold !== undefined ? { threshold } : {}),
        why:
          level === 'ok'
            ? `Replays within ${th.warn} s of this server.`
            : 'A standby this far behind serves old data to its readers and, on failover, loses or waits for what it has not replayed: look at its disk, its network and long queries there (max_standby_streaming_delay).',
      });
    }
    const own = ctx.overview.isReplica ? await replayStatus(ctx.pool, ctx.v) : undefined;
    if (own) {
      const behind = own.paused || (own.unreplayedBytes ?? 0) > 0;
      const seconds = behind ? (own.sinceLastReplaySeconds ?? 0) : 0;
      const measured = thresholdLevel('replicationLagSeconds', seconds, th);
      // Paused with WAL waiting and no transaction replayed since it started: behind by an unknown
      // time, never "0 s" (the replay clock is the last replayed commit's timestamp).
      const unknownAge = behind && own.sinceLastReplaySeconds === null;
      const { level, threshold } = unknownAge && measured.level === 'ok' ? { level: 'warning' as const, threshold: undefined } : measured;
      out.push({
        check: 'replication',
        schedule: 'daily',
        level,
        subject: 'this standby',
        observed: behind
          ? `replay ${own.paused ? 'paused' : 'behind'}: ${formatBytes(own.unreplayedBytes)} received and not replayed, ${unknownAge ? 'no transaction replayed since it started' : `last replayed transaction ${formatDuration(own.sinceLastReplaySeconds ?? 0)} old`}${threshold !== undefined ? ` (above ${threshold} s)` : ''}`
          : 'replayed all it received',
        value: round(seconds, 2),
        ...(threshold !== undefined ? { threshold } : {}),
        why:
          level === 'ok'
            ? `Replays what it receives within ${th.warn} s.`
            : 'Readers of this standby see data that old, and a failover to it waits for the rest to be replayed.',
        ...(own.paused ? { fix: { kind: 'sql' as const, text: 'SELECT pg_wal_replay_resume();  -- replay was paused by pg_wal_replay_pause()' } } : {}),
      });
    }
    if (out.length === 0)
      out.push({
        check: 'replication',
        schedule: 'daily',
        level: 'ok',
        subject: 'server',
        observed: `${slots.length} slot${slots.length === 1 ? '' : 's'}, all active; no standby`,
        why: 'No slot keeps WAL for a consumer that is gone.',
      });
    return out;
  });
}
