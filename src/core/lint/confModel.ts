// What a set of postgresql.conf files means once read: each setting checked against the catalog
// of the target major, and for every parameter the value the server would end up with (the last
// valid line wins, else the running value when known, else the default). The rules ask this model
// questions instead of re-reading lines.
import { lookup, type CatalogParam } from '../catalog/catalog';
import type { ConfSetting } from '../conf/confParser';
import type { ConfTree } from '../conf/confIncludes';
import { checkDefault, checkValue, unitBytes, unitMs, type CheckedValue } from '../conf/confValue';

export interface CheckedSetting {
  file: string;
  setting: ConfSetting;
  /** Undefined for an unknown or custom (prefix.name) parameter. */
  param?: CatalogParam;
  checked?: CheckedValue;
}

export interface Effective {
  param: CatalogParam;
  value: CheckedValue & { ok: true };
  /** The line that sets it; undefined when the value is the running or default one. */
  from?: CheckedSetting;
}

export class ConfModel {
  readonly settings: CheckedSetting[] = [];
  /** Last occurrence per lower-cased name (valid or not), as the server keeps only the last. */
  readonly last = new Map<string, CheckedSetting>();
  private readonly cache = new Map<string, Effective | undefined>();

  constructor(
    tree: ConfTree,
    readonly major: number,
    private readonly runningValues?: Readonly<Record<string, string>>,
  ) {
    for (const { file, item } of tree.order) {
      if (item.kind !== 'setting') continue;
      const param = lookup(item.key, major);
      const cs: CheckedSetting = { file, setting: item, param, checked: param ? checkValue(param, item.value) : undefined };
      this.settings.push(cs);
      this.last.set(item.key, cs);
    }
  }

  /** True when the files set this parameter (whatever the value). */
  isSet(name: string): boolean {
    return this.last.has(name);
  }

  /** The value the server would use, or undefined when the parameter is not in this major. */
  get(name: string): Effective | undefined {
    if (this.cache.has(name)) return this.cache.get(name);
    const result = this.compute(name);
    this.cache.set(name, result);
    return result;
  }

  private compute(name: string): Effective | undefined {
    const param = lookup(name, this.major);
    if (!param) return undefined;
    const cs = this.last.get(name);
    if (cs?.checked?.ok) return { param, value: cs.checked, from: cs };
    const running = this.runningValues?.[name];
    const v = running === undefined ? checkDefault(param) : checkValue(param, running);
    if (v.ok) return { param, value: v };
    return undefined;
  }

  /** Numeric value in the base unit. */
  num(name: string): number | undefined {
    const e = this.get(name);
    return e?.value.type === 'number' ? e.value.value : undefined;
  }

  /** Memory value in bytes (negative "auto" values stay as they are). */
  bytes(name: string): number | undefined {
    const e = this.get(name);
    if (e?.value.type !== 'number') return undefined;
    const b = unitBytes(e.param.unit);
    return b === undefined || e.value.value < 0 ? e.value.value : e.value.value * b;
  }

  bool(name: string): boolean | undefined {
    const e = this.get(name);
    return e?.value.type === 'bool' ? e.value.value : undefined;
  }

  str(name: string): string | undefined {
    const e = this.get(name);
    return e?.value.type === 'string' ? e.value.value : undefined;
  }
}

/** A value in its base unit, written the way SHOW prints it: the largest unit that divides it. */
export function formatValue(param: CatalogParam, value: number): string {
  const b = unitBytes(param.unit);
  if (b !== undefined && value >= 0) return formatBytes(value * b);
  const ms = unitMs(param.unit);
  if (ms !== undefined && value > 0) {
    const total = value * ms;
    for (const [u, size] of [
      ['d', 86_400_000],
      ['h', 3_600_000],
      ['min', 60_000],
      ['s', 1000],
      ['ms', 1],
    ] as const) {
      if (total % size === 0) return `${total / size}${u}`;
    }
  }
  return String(value);
}

export function formatBytes(bytes: number): string {
  for (const [u, size] of [
    ['TB', 2 ** 40],
    ['GB', 2 ** 30],
    ['MB', 2 ** 20],
    ['kB', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${u}`;
  }
  return `${bytes}B`;
}

/** "4 GB" for messages about RAM. */
export function humanBytes(bytes: number): string {
  const gb = bytes / 2 ** 30;
  if (gb >= 1) return `${Number(gb.toFixed(gb < 10 ? 1 : 0))} GB`;
  return `${Math.round(bytes / 2 ** 20)} MB`;
}
