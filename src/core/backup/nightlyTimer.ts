// The nightly timer as systemd runs it on the server's machine (HostAccess): its next and last
// trigger and the last lines of its service's journal. A machine without systemd as PID 1 (no
// /run/systemd/system, sd_booted(3)'s test) has no timer to show: said so, never guessed; the
// status record beside the backups (runStatus.ts) tells of the last run there.
import type { HostAccess } from '../host/hostAccess';

export type NightlyTimerState =
  { systemd: false; note: string } | { systemd: true; unit: string; nextRun?: string; lastRun?: string; journal: string[]; note?: string };

const TIMEOUT_MS = 10_000;
const JOURNAL_LINES = 20;

/** systemctl show's `Key=Value` lines; "n/a" and empty values are left out. */
function properties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    const v = line.slice(i + 1).trim();
    if (v !== '' && v !== 'n/a') out.set(line.slice(0, i), v);
  }
  return out;
}

export async function readNightlyTimer(host: HostAccess, unit = 'postgresql-backup'): Promise<NightlyTimerState> {
  if (!/^[A-Za-z0-9_.@-]+$/.test(unit) || unit.startsWith('-')) throw new Error(`"${unit}" is not a unit name`);
  const run = await host.stat('/run/systemd/system').catch(() => undefined);
  if (!run?.isDirectory)
    return {
      systemd: false,
      note: `${host.label} does not run systemd (no /run/systemd/system): there is no ${unit}.timer or journal to show; the last run is read from its status record beside the backups`,
    };
  const show = await host.exec(['systemctl', 'show', `${unit}.timer`, '--property=NextElapseUSecRealtime,LastTriggerUSec,LoadState', '--no-pager'], {
    timeoutMs: TIMEOUT_MS,
    maxBytes: 64 * 1024,
  });
  const props = properties(show.stdout.toString('utf8'));
  const journal = await host.exec(['journalctl', '-u', `${unit}.service`, '-n', String(JOURNAL_LINES), '--no-pager', '-o', 'short-iso'], {
    timeoutMs: TIMEOUT_MS,
    maxBytes: 256 * 1024,
  });
  const lines =
    journal.code === 0
      ? journal.stdout
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
      : [];
  const loaded = props.get('LoadState');
  return {
    systemd: true,
    unit: `${unit}.timer`,
    ...(props.has('NextElapseUSecRealtime') ? { nextRun: props.get('NextElapseUSecRealtime') } : {}),
    ...(props.has('LastTriggerUSec') ? { lastRun: props.get('LastTriggerUSec') } : {}),
    journal: lines,
    ...(loaded && loaded !== 'loaded' ? { note: `${unit}.timer is ${loaded} on ${host.label}: install it (pgdba schedule writes it and says how)` } : {}),
    ...(journal.code !== 0 ? { note: `the journal of ${unit}.service could not be read: ${journal.stderr.trim().split('\n')[0] ?? ''}` } : {}),
  };
}
