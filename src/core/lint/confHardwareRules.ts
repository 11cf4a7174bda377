// PGC200: hardware recommendations for postgresql.conf, and the two helpers built on them: the
// fixes for all of them at once, and a tuned block of settings for a profile.
//
// A parameter the files do not set is judged by the value the server would use (the default),
// and the finding sits on its commented-out line ("#random_page_cost = 4.0"), whose fix
// uncomments it with the new value; without such a line, on line 1 with a fix that appends one.
import type { Finding, FindingFix, SourceRange } from './finding';
import type { ConfModel } from './confModel';
import { findCommentedOne, type ParsedConf } from '../conf/confParser';

/** The file being linted (not an included one): where unset parameters get their fix. */
export interface MainFile {
  file: string;
  text: string;
  parsed: ParsedConf;
}
import { lookup } from '../catalog/catalog';
import { describeProfile, recommend, tunedExtras, type HardwareProfile, type Recommendation } from './hardware';

export const HARDWARE_CODE = 'PGC200';

function ratioText(value: number, rec: number): string {
  const r = value > rec ? value / rec : rec / value;
  return r >= 10 ? `${Math.round(r)}×` : `${Number(r.toFixed(1))}×`;
}

function connectionsFor(model: ConfModel, p: HardwareProfile): number {
  return p.maxConnections ?? model.num('max_connections') ?? 100;
}

/** Where a recommendation for `name` goes, and the edit that applies `text`. */
function placement(name: string, text: string, title: string, model: ConfModel, main: MainFile): { file: string; range: SourceRange; fix: FindingFix } {
  const cs = model.last.get(name);
  if (cs) {
    const r = cs.setting.valueRange;
    return { file: cs.file, range: { ...cs.setting.nameRange, endColumn: r.endColumn }, fix: { title, range: r, newText: text } };
  }
  const commented = findCommentedOne(main.text, main.parsed, name);
  if (commented) return { file: main.file, range: commented.range, fix: { title, range: commented.range, newText: `${name} = ${text}` } };
  const e = main.parsed.end;
  const end = { line: e.line, column: e.column, endLine: e.line, endColumn: e.column };
  const newText = e.column === 1 ? `${name} = ${text}\n` : `\n${name} = ${text}\n`;
  return { file: main.file, range: { line: 1, column: 1, endLine: 1, endColumn: 1 }, fix: { title, range: end, newText } };
}

function currentValue(model: ConfModel, rec: Recommendation): number | undefined {
  return rec.memory ? model.bytes(rec.name) : model.num(rec.name);
}

export function hardwareFindings(model: ConfModel, profile: HardwareProfile, main: MainFile): Finding[] {
  const findings: Finding[] = [];
  const ram = profile.ramBytes;
  const assumed = describeProfile(profile);
  for (const rec of recommend(profile, connectionsFor(model, profile))) {
    const eff = model.get(rec.name);
    if (!eff || !lookup(rec.name, model.major)) continue;
    const value = currentValue(model, rec);
    if (value === undefined) continue;
    if (value >= rec.low && value <= rec.high) continue;
    if (rec.name === 'wal_buffers' && !(eff.from && setBelowAuto(model, value))) continue;
    // Left to the contradiction rules, which say it more precisely.
    if (rec.name === 'effective_cache_size' && value > ram) continue;
    const shown = eff.from ? `${rec.name} = ${eff.from.setting.value}` : `${rec.name} (not set: default ${displayDefault(model, rec)})`;
    const direction = value < rec.low ? 'too low' : 'too high';
    const target = rec.name === 'wal_buffers' ? '-1 (auto)' : rec.text;
    const msg =
      rec.name === 'effective_cache_size' && value <= ram
        ? `${shown} claims ${value >= ram ? 'all' : 'nearly all'} of the RAM; for ${assumed} set ${target}: ${rec.reason}`
        : `${shown} is ${direction} (${ratioText(value, rec.value > 0 ? rec.value : rec.low * 1.5)} off); for ${assumed} set ${target}: ${rec.reason}`;
    const where = placement(rec.name, rec.text, `Set ${rec.name} = ${rec.text}`, model, main);
    findings.push({ file: where.file, ...where.range, severity: 'warning', code: HARDWARE_CODE, message: msg, fix: where.fix });
  }
  return findings;
}

/** WAL buffers -1 gives: 1/32 of shared_buffers, at least 64 kB, at most one 16 MB segment (xlog.c). */
function autoWalBuffers(sharedBuffers: number): number {
  return Math.min(16 * 2 ** 20, Math.max(64 * 1024, Math.floor(sharedBuffers / 32)));
}

/**
 * wal_buffers is a finding only when the files set it below what -1 would give. Unset or -1, it
 * follows shared_buffers, and raising shared_buffers (its own finding) is what would change it.
 */
function setBelowAuto(model: ConfModel, value: number): boolean {
  return value >= 0 && value < autoWalBuffers(model.bytes('shared_buffers') ?? 128 * 2 ** 20);
}

function displayDefault(model: ConfModel, rec: Recommendation): string {
  const e = model.get(rec.name);
  if (!e) return '';
  if (rec.memory && e.value.type === 'number') {
    const b = model.bytes(rec.name) ?? 0;
    return b < 0 ? String(b) : formatBytesShort(b);
  }
  return e.value.type === 'number' ? String(e.value.value) : String(e.value.value);
}

function formatBytesShort(b: number): string {
  for (const [u, s] of [
    ['GB', 2 ** 30],
    ['MB', 2 ** 20],
    ['kB', 1024],
  ] as const)
    if (b >= s && b % s === 0) return `${b / s}${u}`;
  return `${b}B`;
}

/** The fixes of every hardware finding, for a "fix all recommendations" action. */
export function fixAllRecommendations(findings: readonly Finding[]): FindingFix[] {
  return findings.filter((f) => f.code === HARDWARE_CODE && f.fix).map((f) => f.fix as FindingFix);
}

/** A block of settings for the profile, with the reason for each, to paste into postgresql.conf. */
export function tunedBlock(profile: HardwareProfile, connections = profile.maxConnections ?? 100): string {
  const lines = [`# pgdba: tuned for ${describeProfile(profile)}, ${connections} connections, PostgreSQL ${profile.pgVersion}`];
  const recs = recommend(profile, connections).filter((r) => lookup(r.name, profile.pgVersion));
  const width = Math.max(...recs.map((r) => `${r.name} = ${r.text}`.length), 30) + 2;
  lines.push(`${'max_connections = ' + String(connections)}`.padEnd(width) + '# the connections this profile is sized for');
  for (const r of recs) lines.push(`${r.name} = ${r.text}`.padEnd(width) + `# ${r.reason}`);
  for (const x of tunedExtras(profile)) lines.push(`${x.name} = ${x.text}`.padEnd(width) + `# ${x.reason}`);
  return lines.join('\n') + '\n';
}
