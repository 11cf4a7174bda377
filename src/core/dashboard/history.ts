// The panel's memory: a ring buffer of points (bounded, so a panel left open for a week holds
// the last N and no more), and its CSV export.
import { POINT_FIELDS, type DashboardPoint } from './rates';

export class History<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`history capacity must be a positive integer, not ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    const at = (this.start + this.count) % this.capacity;
    this.items[at] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity; // overwrote the oldest
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity]!);
    return out;
  }

  last(): T | undefined {
    return this.count ? this.items[(this.start + this.count - 1) % this.capacity] : undefined;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}

/** Points to keep: an hour at the sampling interval, at least 600 and at most 36,000 (10 h at 1 s). */
export function historyCapacity(intervalSeconds: number): number {
  return Math.min(36_000, Math.max(600, Math.ceil(3600 / Math.max(0.1, intervalSeconds))));
}

const csvCell = (v: number | null): string => (v === null || !Number.isFinite(v) ? '' : String(Math.round(v * 1000) / 1000));

/** RFC 4180 CSV: a header of field names, time as ISO 8601 UTC, empty cells for gaps. */
export function pointsToCsv(points: readonly DashboardPoint[]): string {
  const header = ['time', ...POINT_FIELDS.filter((f) => f !== 't')];
  const lines = [header.join(',')];
  for (const p of points) {
    lines.push([new Date(p.t).toISOString(), ...POINT_FIELDS.filter((f) => f !== 't').map((f) => csvCell(p[f]))].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
