// The doctor's report for a terminal: one line per check, its fix under it, and the verdict.
import type { DoctorLevel, DoctorReport } from './types';

const MARK: Record<DoctorLevel, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

export function renderDoctorText(r: DoctorReport): string {
  const lines = [`pgdba doctor on ${r.host}${r.serviceUser ? `, for the nightly job as ${r.serviceUser}` : ''}`, ''];
  const width = Math.max(...r.checks.map((c) => c.id.length));
  for (const c of r.checks) {
    lines.push(`${MARK[c.level]} ${c.id.padEnd(width)}  ${c.summary}`);
    if (c.fix && c.level !== 'ok') lines.push(`  ${' '.repeat(width)}  → ${c.fix}`);
  }
  lines.push('');
  lines.push(
    r.failures > 0
      ? `the nightly backup would fail: ${r.failures} problem${r.failures === 1 ? '' : 's'} (✗) to fix${r.warnings ? `, ${r.warnings} warning${r.warnings === 1 ? '' : 's'} (!)` : ''}`
      : `ready for the nightly backup${r.warnings ? ` (${r.warnings} warning${r.warnings === 1 ? '' : 's'}: !)` : ''}`,
  );
  return lines.join('\n') + '\n';
}
