// The PGC200 cases the hardware tests share: for each recommendation of a profile, a file that
// sets the parameter well below its band, and the same file after the finding's fix.
import { lintPostgresqlConf } from '../../src/core/lint/postgresqlConf';
import { HARDWARE_CODE } from '../../src/core/lint/confHardwareRules';
import { recommend, type HardwareProfile, type Recommendation } from '../../src/core/lint/hardware';
import type { Finding, FindingFix } from '../../src/core/lint/finding';

export interface RecommendationCase {
  profile: HardwareProfile;
  rec: Recommendation;
  before: string;
  after: string;
  /** The findings on rec.name before the fix (one), and after it (none). */
  found: Finding[];
  left: Finding[];
}

/** Applies fixes to a text, bottom-up and right to left so that earlier ranges stay valid. */
export function applyFixes(text: string, fixes: readonly FindingFix[]): string {
  const lines = text.split('\n');
  for (const f of [...fixes].sort((a, b) => b.range.line - a.range.line || b.range.column - a.range.column)) {
    const i = f.range.line - 1;
    if (i >= lines.length) {
      lines.push(f.newText.replace(/^\n|\n$/g, ''));
      continue;
    }
    const l = lines[i] as string;
    lines[i] = l.slice(0, f.range.column - 1) + f.newText + l.slice(f.range.endColumn - 1);
  }
  return lines.join('\n');
}

/** A value well below the band of a recommendation (above, some are other rules' findings). */
function offValue(r: Recommendation): string {
  const v = r.low / 4;
  if (!r.memory) return String(Number.isInteger(r.value) ? Math.round(v) : Number(v.toFixed(2)));
  return `${Math.max(64, Math.floor(v / 1024))}kB`;
}

/** Every PGC200 formula, each profile and major: the finding's fix, applied, makes the finding go. */
export function everyRecommendation(profiles: readonly HardwareProfile[]): RecommendationCase[] {
  const out: RecommendationCase[] = [];
  for (const profile of profiles) {
    for (const rec of recommend(profile, profile.maxConnections ?? 100)) {
      // wal_buffers: only a value set below what -1 gives is a finding (the base keeps shared_buffers at 1GB).
      const line = rec.name === 'wal_buffers' ? 'wal_buffers = 64kB' : `${rec.name} = ${offValue(rec)}`;
      const before = `shared_buffers = ${rec.name === 'shared_buffers' ? offValue(rec) : '1GB'}\n${rec.name === 'shared_buffers' ? '' : line + '\n'}`;
      const opts = { file: 'postgresql.conf', major: profile.pgVersion, hardware: profile };
      const findings = lintPostgresqlConf(before, opts).filter((f) => f.code === HARDWARE_CODE && f.message.startsWith(`${rec.name} `));
      const after = applyFixes(
        before,
        findings.map((f) => f.fix as FindingFix),
      );
      const left = lintPostgresqlConf(after, opts).filter((f) => f.code === HARDWARE_CODE && f.message.startsWith(`${rec.name} `));
      out.push({ profile, rec, before, after, found: findings, left });
    }
  }
  return out;
}
