// Durations in a log-scale histogram (buckets 1 % wide): a p95 within 1 % in memory that does not
// grow with the number of statements, only with the spread of their durations (≈ 2,000 buckets
// from 1 µs to a day at most).

const STEP = Math.log(1.01);
const FLOOR_MS = 0.001;

export class DurationHistogram {
  private readonly buckets = new Map<number, number>();
  count = 0;
  max = 0;

  add(ms: number): void {
    const b = Math.floor(Math.log(Math.max(ms, FLOOR_MS) / FLOOR_MS) / STEP);
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  /** The q-quantile (0…1): the upper edge of its bucket, never above the largest duration seen. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil(q * this.count);
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const k of keys) {
      seen += this.buckets.get(k)!;
      if (seen >= rank) return Math.min(this.max, FLOOR_MS * Math.exp((k + 1) * STEP));
    }
    return this.max;
  }
}
