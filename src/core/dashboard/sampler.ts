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

export interface Tick {
  point: DashboardPoint;
  /** Every alert the point raises now (the panel lists them). */
  alerts: Alert[];
  /** Those that just crossed their threshold (the person is notified of these once). */
  crossed: Alert[];
}

/** Points looked at for windowed alerts (checkpoints per minute): a minute at 0.1 s is 600. */
const ALERT_WINDOW = 600;

export class DashboardSampler {
  private prev: DashboardSample | undefined;
  private readonly tracker = new CrossingTracker();
  readonly history: History<DashboardPoint>;

  constructor(
    capacity: number,
    public thresholds: Thresholds,
  ) {
    this.history = new History(capacity);
  }

  /** Takes a sample already read (tests and the bench feed recorded ones). */
  add(sample: DashboardSample): Tick {
    const point = toPoint(sample, this.prev);
    this.prev = sample;
    this.history.push(point);
    const recent = this.history.toArray().slice(-ALERT_WINDOW);
    point.checkpointsPerMin = checkpointsPerMinute(recent) ?? null;
    const alerts = pointAlerts(recent, this.thresholds);
    return { point, alerts, crossed: this.tracker.update(alerts) };
  }

  async tick(q: Queryable, versionNum: number): Promise<Tick> {
    const t = this.thresholds;
    return this.add(
      await readDashboardSample(q, { versionNum, longQuerySeconds: t.longQuerySeconds.warn, idleInTransactionSeconds: t.idleInTransactionSeconds.warn }),
    );
  }

  /** Sampling paused: the next interval is not measured. */
  forget(): void {
    this.prev = undefined;
  }
}
