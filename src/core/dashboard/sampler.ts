// One dashboard's state between ticks: the previous sample (for deltas), the history, and the
// alert tracker. The adapter calls tick() on its timer and forget() when sampling pauses, so the
// first point after a pause is a gap rather than an average over the time the panel was hidden.
import type { Alert } from '../stats/alerts';
import type { Thresholds } from '../stats/thresholds';
import type { Queryable } from '../stats/sql';
import { checkpointsPerMinute, CrossingTracker, pointAlerts } from './dashboardAlerts';
import { History } from './history';
import { toPoint, type DashboardPoint } from './rates';
import { readDashboardSample, type DashboardSample } from './sampleQuery';
import type { BouncerSample } from '../bouncer/snapshot';

export interface Tick {
  point: DashboardPoint;
  /** Every alert the point raises now (the panel lists them). */
  alerts: Alert[];
  /** Those that just crossed their threshold (the person is notified of these once). */
  crossed: Alert[];
  /** Why the PgBouncer group of this point is empty, when a console was asked and did not answer. */
  bouncerError?: unknown;
}

/** Points looked at for windowed alerts (checkpoints per minute): a minute at 0.1 s is 600. */
const ALERT_WINDOW = 600;

export class DashboardSampler {
  private prev: DashboardSample | undefined;
  private prevBouncer: BouncerSample | undefined;
  private readonly tracker = new CrossingTracker();
  readonly history: History<DashboardPoint>;

  constructor(
    capacity: number,
    public thresholds: Thresholds,
  ) {
    this.history = new History(capacity);
  }

  /** Takes a sample already read (tests and the bench feed recorded ones). */
  add(sample: DashboardSample, bouncer?: BouncerSample): Tick {
    const point = toPoint(sample, this.prev, bouncer && { cur: bouncer, ...(this.prevBouncer ? { prev: this.prevBouncer } : {}) });
    this.prev = sample;
    this.prevBouncer = bouncer;
    this.history.push(point);
    const recent = this.history.toArray().slice(-ALERT_WINDOW);
    point.checkpointsPerMin = checkpointsPerMinute(recent) ?? null;
    const alerts = pointAlerts(recent, this.thresholds);
    return { point, alerts, crossed: this.tracker.update(alerts) };
  }

  /** bouncer: reads the PgBouncer group, at the same time as the server's sample; its failure leaves the group empty. */
  async tick(q: Queryable, versionNum: number, bouncer?: () => Promise<BouncerSample>): Promise<Tick> {
    const [sample, b] = await Promise.all([
      readDashboardSample(q, { versionNum }),
      bouncer
        ? bouncer().then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          )
        : undefined,
    ]);
    const tick = this.add(sample, b?.ok ? b.value : undefined);
    return b && !b.ok ? { ...tick, bouncerError: b.error } : tick;
  }

  /** Sampling paused: the next interval is not measured. */
  forget(): void {
    this.prev = undefined;
    this.prevBouncer = undefined;
  }
}
