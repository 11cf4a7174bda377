// "Validate backup performance": the newest backup of the database in the backup directory —
// its age (the seed's nightly run: older than 26 h means a night was missed), how long the dump
// took, how its size moves, and whether it was verified. Pure over the listing, so tests can
// feed it backups of any age.
import { listLocalBackups, newestAgeHours, type LocalBackup } from '../backup/listing';
import { readRunStatus, type RunStatusRead } from '../backup/runStatus';
import { nextNightlyRun } from '../backup/schedule';
import { readNightlyTimer, type NightlyTimerState } from '../backup/nightlyTimer';
import type { HostAccess } from '../host/hostAccess';
import { formatBytes, formatDuration } from '../format';
import { round } from './context';
import type { Finding } from './types';

/** A nightly backup older than this missed a night (the tree's figure). */
export const BACKUP_STALE_HOURS = 26;
/** Two nights missed. */
export const BACKUP_CRITICAL_HOURS = 50;
/** Size change against the median of the earlier backups worth a mention. */
const BACKUP_SIZE_JUMP_PCT = 50;

const median = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1]! + s[m]!) / 2;
};

export function backupFindings(dir: string, database: string, backups: readonly LocalBackup[], now: Date): Finding[] {
  const base = { check: 'backup' as const, schedule: 'weekly' as const };
  const newest = backups[0];
  const cmd = `pgdba backup --db ${database} --dir ${dir} --verify quick`;
  if (!newest) {
    return [
      {
        ...base,
        level: 'critical',
        subject: database,
        observed: `no backup in ${dir}`,
        why: `There is no backup of ${database} in ${dir}: a lost disk would lose the data.`,
        fix: { kind: 'command', text: `${cmd}  # and pgdba schedule for the nightly timer` },
      },
    ];
  }
  const out: Finding[] = [];
  const age = newestAgeHours(backups, now) ?? 0;
  const ageLevel = age > BACKUP_CRITICAL_HOURS ? 'critical' : age > BACKUP_STALE_HOURS ? 'warning' : 'ok';
  out.push({
    ...base,
    level: ageLevel,
    subject: newest.file,
    observed: `newest backup ${formatDuration(age * 3600)} old${ageLevel !== 'ok' ? ` (over ${ageLevel === 'critical' ? BACKUP_CRITICAL_HOURS : BACKUP_STALE_HOURS} h)` : ''}`,
    value: round(age, 1),
    ...(ageLevel === 'ok' ? {} : { threshold: ageLevel === 'critical' ? BACKUP_CRITICAL_HOURS : BACKUP_STALE_HOURS }),
    why:
      ageLevel === 'ok'
        ? "Last night's backup is there."
        : `The nightly backup did not run${ageLevel === 'critical' ? ' for two nights or more' : ' last night'}: check the timer (systemctl status postgresql-backup.timer) and its journal.`,
    ...(ageLevel === 'ok' ? {} : { fix: { kind: 'command' as const, text: cmd } }),
  });
  const dump = newest.manifest?.dump;
  const earlier = backups.slice(1, 8);
  const typical = median(earlier.map((b) => b.sizeBytes));
  const change = typical ? (100 * (newest.sizeBytes - typical)) / typical : undefined;
  const prevDurations = earlier.map((b) => b.manifest?.dump?.durationMs).filter((x): x is number => x !== undefined);
  const typicalMs = median(prevDurations);
  out.push({
    ...base,
    level: change !== undefined && Math.abs(change) >= BACKUP_SIZE_JUMP_PCT ? 'warning' : 'info',
    subject: newest.file,
    observed: [
      formatBytes(newest.sizeBytes),
      change !== undefined ? `${change >= 0 ? '+' : ''}${round(change)}% against the median of the ${earlier.length} before` : 'no earlier backup to compare',
      dump
        ? `dump took ${formatDuration(dump.durationMs / 1000)}${typicalMs ? ` (usually ${formatDuration(typicalMs / 1000)})` : ''}`
        : `duration unknown (${newest.manifestState === 'corrupt' ? 'its manifest is corrupt' : 'not made by pgdba'})`,
    ].join(', '),
    value: newest.sizeBytes,
    why:
      change !== undefined && Math.abs(change) >= BACKUP_SIZE_JUMP_PCT
        ? `The backup is ${change > 0 ? 'much larger' : 'much smaller'} than usual: ${change > 0 ? 'a table grew fast' : 'tables may be missing or emptied'}; look before you rely on it.`
        : 'Size and duration of the newest backup, against the ones before.',
  });
  const v = newest.verification;
  if (newest.manifestState === 'corrupt') {
    out.push({
      ...base,
      level: 'warning',
      subject: newest.file,
      observed: 'manifest corrupt',
      why: `Its manifest cannot be read (${newest.manifestProblem ?? '?'}): whether it was verified, and its checksum, are unknown.`,
      fix: { kind: 'note', text: `Move the damaged ${newest.file}.manifest.json aside, then pgdba verify ${newest.path} --full` },
    });
    return out;
  }
  out.push({
    ...base,
    level: v === 'failed' ? 'critical' : v === 'verified' ? 'ok' : 'info',
    subject: newest.file,
    observed: v === 'verified' ? `verified (${newest.manifest?.verification?.kind ?? '?'}, ${newest.manifest?.verification?.at ?? '?'})` : v,
    why:
      v === 'failed'
        ? `The last verification failed: ${newest.verificationReason ?? 'see its manifest'}; this backup may not restore.`
        : v === 'verified'
          ? 'The newest backup was read back in full by pg_restore.'
          : v === 'running'
            ? 'A verification is running now.'
            : 'Nobody has checked that this backup restores (the seed asks for a monthly restore test).',
    ...(v === 'verified' || v === 'running'
      ? {}
      : { fix: { kind: 'command' as const, text: `pgdba verify ${newest.path}${v === 'failed' ? '' : ' --full'}` } }),
  });
  return out;
}

function localTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The last run of the nightly job, from its status record, and when the generated schedule runs it next. */
export function lastRunFinding(read: RunStatusRead, dir: string, database: string, now: Date, timer?: NightlyTimerState): Finding {
  const base = { check: 'backup' as const, schedule: 'weekly' as const, subject: `${database} (last run)` };
  const next =
    timer?.systemd && timer.nextRun
      ? `${timer.unit} runs next ${timer.nextRun}`
      : `next due ${localTime(nextNightlyRun(now))} (the schedule pgdba generates: 02:00)`;
  const timerNote = timer
    ? ` ${timer.systemd ? (timer.note ?? `${timer.unit}: last triggered ${timer.lastRun ?? 'never'}; its journal ends: ${timer.journal.slice(-3).join(' | ') || '(empty)'}`) : timer.note}.`
    : '';
  if (read.state === 'missing')
    return {
      ...base,
      level: 'info',
      observed: `no status record in ${dir}`,
      why: `No pgdba backup run of ${database} has ended here yet (each run leaves ${database}.last-run.json); ${next}.${timerNote}`,
    };
  if (read.state === 'corrupt')
    return {
      ...base,
      level: 'warning',
      observed: 'status record unreadable',
      why: `${database}.last-run.json in ${dir} cannot be read (${read.problem}); ${next}.${timerNote}`,
    };
  const st = read.status;
  const took = formatDuration((Date.parse(st.endedAt) - Date.parse(st.startedAt)) / 1000);
  const ended = localTime(new Date(st.endedAt));
  if (st.result === 'succeeded')
    return { ...base, level: 'ok', observed: `succeeded ${ended} in ${took}`, why: `The last run made ${st.backup ?? 'its backup'}; ${next}.${timerNote}` };
  return {
    ...base,
    level: st.result === 'failed' ? 'critical' : 'warning',
    observed: `${st.result} ${ended} after ${took}`,
    why: `The last run ${st.result === 'failed' ? 'failed' : 'was stopped'}: ${st.error ?? 'no reason recorded'}; ${next}.${timerNote}`,
    fix: { kind: 'command', text: `pgdba backup --db ${database} --dir ${dir} --verify quick` },
  };
}

/**
 * openHost: the server's machine when pgdba can reach it (this one, or the SSH hop's), where its
 * systemd timer is read; released after. Without it the timer is not looked at.
 */
export async function backupCheck(dir: string | undefined, database: string, now: Date, openHost?: () => Promise<HostAccess>): Promise<Finding[]> {
  if (!dir) {
    return [
      {
        check: 'backup',
        schedule: 'weekly',
        level: 'info',
        subject: database,
        observed: 'not checked',
        why: 'No backup directory was given, so the nightly backups were not looked at.',
        fix: { kind: 'note', text: 'Give one: --backup-dir /var/backups/postgresql (CLI) or the setting pgdba.backup.directory.' },
      },
    ];
  }
  try {
    const timer = openHost ? await timerOn(openHost) : undefined;
    const last = lastRunFinding(await readRunStatus(dir, database), dir, database, now, timer);
    return [...backupFindings(dir, database, await listLocalBackups(dir, database), now), last];
  } catch (e) {
    return [
      {
        check: 'backup',
        schedule: 'weekly',
        level: 'warning',
        subject: dir,
        observed: 'unreadable',
        why: `The backup directory could not be read: ${(e as Error).message}.`,
      },
    ];
  }
}

/** The timer on the machine openHost reaches; an unreachable machine or timer is a note, not a failed check. */
async function timerOn(openHost: () => Promise<HostAccess>): Promise<NightlyTimerState> {
  let host: HostAccess | undefined;
  try {
    host = await openHost();
    return await readNightlyTimer(host);
  } catch (e) {
    return { systemd: false, note: `the timer could not be read: ${(e as Error).message}` };
  } finally {
    host?.release();
  }
}
