// What the tree says about a directory of backups (and a Drive folder): one line per backup —
// database, age, size, verification — and an alert when the newest is older than a nightly run
// allows (26 h: the seed's 02:00 timer, plus slack). Plain data, so the CLI and tests can read it.
import { formatAgo, formatBytes } from '../format';
import type { DriveFile } from './driveClient';
import type { LocalBackup } from './listing';
import { parseBackupName } from './naming';
import type { BackupRunStatus } from './runStatus';
import { nextNightlyRun } from './schedule';

/** The seed backs up nightly: a newest backup older than this means a run was missed. */
export const DEFAULT_STALE_AFTER_HOURS = 26;

export interface BackupLine {
  label: string;
  description: string;
  tooltip: string;
  state: 'verified' | 'failed' | 'unverified' | 'running' | 'drive' | 'corrupt';
}

export interface BackupsSummary {
  count: number;
  newestAgeHours?: number;
  /** Set when the newest backup (local or Drive) is older than the threshold, or there is none. */
  alert?: string;
  description: string;
}

function when(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function describeLocalBackup(b: LocalBackup, now = Date.now()): BackupLine {
  const v = b.manifest?.verification;
  // The state first (a narrow side bar cuts the end); a failure's reason last, in full in the tooltip.
  const age = `${formatAgo(b.takenAt, now)} · ${formatBytes(b.sizeBytes)}`;
  const description =
    b.manifestState === 'corrupt'
      ? `⚠ manifest corrupt · ${age}`
      : b.verification === 'verified'
        ? `✓ ${v?.kind ?? 'verified'} · ${age}`
        : b.verification === 'failed'
          ? `✗ failed · ${age} · ${b.verificationReason ?? 'no reason recorded'}`
          : b.verification === 'running'
            ? `verifying… · ${age}`
            : `${age} · not verified`;
  const d = b.manifest?.dump;
  const lines = [
    b.path,
    `${formatBytes(b.sizeBytes)}, taken ${when(b.takenAt)} (${formatAgo(b.takenAt, now)})`,
    b.manifestState === 'corrupt'
      ? `manifest corrupt: ${b.manifestProblem ?? '?'}`
      : d
        ? `PostgreSQL ${d.server.version} at ${d.server.host}:${d.server.port}, pg_dump ${d.pgDumpVersion}, ${d.compression.method}, ${d.tables.length} tables`
        : 'made outside pgdba (no manifest of the dump)',
    v
      ? `${v.kind} verification ${v.ok ? 'passed' : 'FAILED'} ${formatAgo(v.at, now)}${v.reason ? `: ${v.reason}` : ''}`
      : b.manifestState === 'corrupt'
        ? 'verification unknown: the manifest cannot be read'
        : 'never verified',
    ...(b.manifest?.drive ? [`on Google Drive since ${when(b.manifest.drive.uploadedAt)} (md5 ${b.manifest.drive.md5Checksum})`] : []),
  ];
  return {
    label: `${b.database} · ${when(b.takenAt)}`,
    description,
    tooltip: lines.join('\n'),
    state: b.manifestState === 'corrupt' ? 'corrupt' : b.verification,
  };
}

export function describeDriveBackup(f: DriveFile, now = Date.now()): BackupLine {
  const n = parseBackupName(f.name);
  const taken = n?.takenAt.toISOString() ?? f.createdTime;
  return {
    label: n ? `${n.database} · ${when(n.takenAt.toISOString())}` : f.name,
    description: `${taken ? formatAgo(taken, now) : '?'} · ${formatBytes(f.size)}`,
    tooltip: [f.name, `Drive file id ${f.id}`, `md5 ${f.md5Checksum ?? '?'}`, ...(f.createdTime ? [`uploaded ${when(f.createdTime)}`] : [])].join('\n'),
    state: 'drive',
  };
}

/** The Backups node's line, and its alert: the newest backup anywhere counts. */
export function summarizeBackups(
  local: readonly LocalBackup[],
  drive: readonly DriveFile[] = [],
  opts: { now?: number; staleAfterHours?: number } = {},
): BackupsSummary {
  const now = opts.now ?? Date.now();
  const limit = opts.staleAfterHours ?? DEFAULT_STALE_AFTER_HOURS;
  const times = [
    ...local.map((b) => Date.parse(b.takenAt)),
    ...drive.map((f) => parseBackupName(f.name)?.takenAt.getTime() ?? (f.createdTime ? Date.parse(f.createdTime) : NaN)),
  ].filter((t) => Number.isFinite(t));
  const count = local.length + drive.length;
  if (times.length === 0) return { count, alert: 'no backup yet', description: 'none yet' };
  const newest = Math.max(...times);
  const newestAgeHours = (now - newest) / 3_600_000;
  const ago = formatAgo(new Date(newest).toISOString(), now);
  const failed = local.filter((b) => b.verification === 'failed').length;
  const parts = [`${count} · newest ${ago}`, ...(failed ? [`${failed} failed verification`] : [])];
  if (newestAgeHours > limit) {
    return { count, newestAgeHours, alert: `newest backup is ${ago}: older than ${limit} h, a nightly run was missed`, description: `⚠ ${parts.join(' · ')}` };
  }
  return { count, newestAgeHours, description: parts.join(' · ') };
}

/** The Backups branch's line of a database's last run: result, when, why it failed, when the next is due. */
export function describeLastRun(s: BackupRunStatus, now = Date.now()): BackupLine & { next: string } {
  const next = nextNightlyRun(new Date(now));
  const nextText = `next due ${when(next.toISOString())}`;
  const mark = s.result === 'succeeded' ? '✓ succeeded' : s.result === 'failed' ? '✗ failed' : '■ cancelled';
  return {
    label: `Last run of ${s.database}`,
    description: `${mark} ${formatAgo(s.endedAt, now)}${s.error ? ` · ${s.error}` : ''} · ${nextText}`,
    tooltip: [
      `${s.database}: ${s.result}, ${when(s.startedAt)} → ${when(s.endedAt)}`,
      ...(s.error ? [s.error] : []),
      ...(s.backup ? [`made ${s.backup}`] : []),
      `${nextText} (the schedule pgdba generates: every night at 02:00)`,
    ].join('\n'),
    state: s.result === 'succeeded' ? 'verified' : s.result === 'failed' ? 'failed' : 'corrupt',
    next: nextText,
  };
}
