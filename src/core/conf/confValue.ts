// Validates a value against a catalog parameter the way PostgreSQL's parse_and_validate_value
// does: parse_bool, parse_int / parse_real with convert_to_base_unit, the enum lookup
// (case-insensitive, hidden spellings included), then the [min, max] range in the base unit.
// Check hooks (time zones, library lists, ...) are beyond a file linter.
import type { CatalogParam } from '../catalog/catalogTypes';
import { rint, skipSpace, strtod, strtol } from './confNumber';

export type ValueErrorCode = 'PGC020' | 'PGC021' | 'PGC022' | 'PGC023';

export type CheckedValue =
  | { ok: true; type: 'bool'; value: boolean }
  | { ok: true; type: 'number'; /** In the parameter's base unit (pg_settings.unit). */ value: number }
  | { ok: true; type: 'string'; value: string }
  | { ok: false; code: ValueErrorCode; message: string };

const MEMORY_UNITS = ['TB', 'GB', 'MB', 'kB', 'B'] as const;
const TIME_UNITS = ['d', 'h', 'min', 's', 'ms', 'us'] as const;
const UNIT_BYTES: Record<string, number> = { TB: 2 ** 40, GB: 2 ** 30, MB: 2 ** 20, kB: 1024, B: 1 };
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, min: 60_000, s: 1000, ms: 1, us: 0.001 };
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

const unitBytesCache = new Map<string, number | undefined>();

/** Size of a pg_settings memory unit in bytes ("8kB" → 8192), or undefined for time units. */
export function unitBytes(unit: string | undefined): number | undefined {
  if (!unit) return undefined;
  if (unitBytesCache.has(unit)) return unitBytesCache.get(unit);
  const m = /^(\d*)(TB|GB|MB|kB|B)$/.exec(unit);
  const size = m?.[2] ? (m[1] ? Number(m[1]) : 1) * (UNIT_BYTES[m[2]] ?? 1) : undefined;
  unitBytesCache.set(unit, size); // a handful of distinct units exist
  return size;
}

/** Size of a pg_settings time unit in milliseconds, or undefined for memory units. */
export function unitMs(unit: string | undefined): number | undefined {
  return unit ? UNIT_MS[unit] : undefined;
}

export function unitFamily(unit: string | undefined): 'memory' | 'time' | undefined {
  if (unitBytes(unit) !== undefined) return 'memory';
  if (unitMs(unit) !== undefined) return 'time';
  return undefined;
}

/** convert_to_base_unit: the unit text after the number (whitespace allowed around it, ≤ 3 chars). */
function convertUnit(value: number, rest: string, baseUnit: string): number | undefined {
  const trimmed = rest.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
  if (trimmed.length > 3 || /[ \t\n\v\f\r]/.test(trimmed)) return undefined;
  const bytes = unitBytes(baseUnit);
  const table: readonly string[] = bytes !== undefined ? MEMORY_UNITS : TIME_UNITS;
  const size = (u: string) => (bytes !== undefined ? (UNIT_BYTES[u] ?? 1) / bytes : (UNIT_MS[u] ?? 1) / (unitMs(baseUnit) ?? 1));
  const i = table.indexOf(trimmed);
  if (i < 0) return undefined;
  let v = value * size(trimmed);
  const next = table[i + 1];
  if (next) v = rint(v / size(next)) * size(next); // "30.1GB" rounds to whole MB, as the server does
  return v;
}

function unitHint(p: CatalogParam): string {
  return unitFamily(p.unit) === 'memory' ? 'B, kB, MB, GB, TB' : 'us, ms, s, min, h, d';
}

function parseNumber(p: CatalogParam, v: string, integer: boolean): CheckedValue {
  let n = integer ? strtol(v) : strtod(v);
  if (integer) {
    const stop = v.charCodeAt(n.end);
    if (stop === 46 || stop === 101 || stop === 69 || n.erange) n = strtod(v);
  }
  if (n.end === 0 || n.erange || Number.isNaN(n.value)) {
    return {
      ok: false,
      code: 'PGC020',
      message: `${p.name} needs ${integer ? 'an integer' : 'a number'}${p.unit ? ` (with an optional unit: ${unitHint(p)})` : ''}, not "${v}"`,
    };
  }
  let value = n.value;
  const rest = v.slice(skipSpace(v, n.end));
  if (rest !== '') {
    if (!p.unit || !unitFamily(p.unit)) {
      return { ok: false, code: 'PGC021', message: `${p.name} takes no unit: "${v}" is not a plain number` };
    }
    const conv = convertUnit(value, rest, p.unit);
    if (conv === undefined) {
      const ci = [...MEMORY_UNITS, ...TIME_UNITS].find((u) => u.toLowerCase() === rest.trim().toLowerCase());
      const fam = unitFamily(p.unit) === 'memory' ? MEMORY_UNITS : TIME_UNITS;
      const hint = ci && (fam as readonly string[]).includes(ci) ? ` (units are case-sensitive: did you mean ${ci}?)` : '';
      return { ok: false, code: 'PGC021', message: `unknown unit "${rest.trim()}" for ${p.name}${hint}; valid units are ${unitHint(p)}` };
    }
    value = conv;
  }
  if (integer) {
    value = rint(value);
    if (value > INT_MAX || value < INT_MIN) return { ok: false, code: 'PGC022', message: `${p.name} = ${v} exceeds the integer range` };
  }
  const min = p.min === undefined ? -Infinity : Number(p.min);
  // pg_settings prints real bounds with %g: 1.79769e+308 stands for DBL_MAX.
  const max = p.max === undefined ? Infinity : Number(p.max) >= 1.79769e308 ? Number.MAX_VALUE : Number(p.max);
  if (value < min || value > max) {
    const unit = p.unit ? ` ${p.unit}` : '';
    return {
      ok: false,
      code: 'PGC022',
      message: `${p.name} = ${v} is ${fmt(value)}${unit}, outside the valid range ${p.min ?? '-∞'} .. ${p.max ?? '∞'}${unit}`,
    };
  }
  return { ok: true, type: 'number', value };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

/** parse_bool_with_len: on/off/true/false/yes/no/1/0 and unique prefixes, case-insensitive. */
export function parseBool(v: string): boolean | undefined {
  const s = v.toLowerCase();
  const len = s.length;
  if (len === 0) return undefined;
  switch (s[0]) {
    case 't':
      return 'true'.startsWith(s) ? true : undefined;
    case 'f':
      return 'false'.startsWith(s) ? false : undefined;
    case 'y':
      return 'yes'.startsWith(s) ? true : undefined;
    case 'n':
      return 'no'.startsWith(s) ? false : undefined;
    case 'o':
      // 'o' alone is ambiguous: at least two letters
      if (len >= 2 && 'on'.startsWith(s)) return true;
      if (len >= 2 && 'off'.startsWith(s)) return false;
      return undefined;
    case '1':
      return len === 1 ? true : undefined;
    case '0':
      return len === 1 ? false : undefined;
    default:
      return undefined;
  }
}

const defaults = new WeakMap<CatalogParam, CheckedValue>();

/** The parameter's boot value, checked like any value (cached: catalogs never change). */
export function checkDefault(p: CatalogParam): CheckedValue {
  let d = defaults.get(p);
  if (!d) {
    d = checkValue(p, p.boot ?? '');
    defaults.set(p, d);
  }
  return d;
}

export function checkValue(p: CatalogParam, v: string): CheckedValue {
  switch (p.type) {
    case 'bool': {
      const b = parseBool(v);
      if (b === undefined) return { ok: false, code: 'PGC020', message: `${p.name} needs a Boolean value (on/off, true/false, yes/no, 1/0), not "${v}"` };
      return { ok: true, type: 'bool', value: b };
    }
    case 'integer':
      return parseNumber(p, v, true);
    case 'real':
      return parseNumber(p, v, false);
    case 'enum': {
      const low = v.toLowerCase();
      const hit = (p.enum ?? []).find((e) => e.toLowerCase() === low) ?? (p.enumHidden ?? []).find((e) => e === low);
      if (hit === undefined) return { ok: false, code: 'PGC023', message: `${p.name} = "${v}" is not one of: ${(p.enum ?? []).join(', ')}` };
      return { ok: true, type: 'string', value: hit };
    }
    default:
      return { ok: true, type: 'string', value: v };
  }
}
