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
import type { HostAccess } from '../host/hostAccess';
import { hostPoint, readHostSample, type HostSample } from './hostSample';
import type { BouncerSample } from '../bouncer/snapshot';

export interface Tick {
  point: DashboardPoint;
  /** Every alert the point raises now (the panel lists them). */
  alerts: Alert[];
  /** Those that just crossed their threshold (the person is notified of these once). */
  crossed: Alert[];
  /** Why the host's part of the point is empty, when a host was given and its read failed. */
  hostError?: string;
  /** Why the PgBouncer group of this point is empty, when a console was asked and did not answer. */
  bouncerError?: unknown;
}

/** The host read's deadline: a tick must not wait longer on the machine than on the server. */
const HOST_TIMEOUT_MS = 5000;

/** Points looked at for windowed alerts (checkpoints per minute): a minute at 0.1 s is 600. */
const ALERT_WINDOW = 600;

export class DashboardSampler {
  private prev: DashboardSample | undefined;
  private prevHost: HostSample | undefined;
  private prevBouncer: BouncerSample | undefined;
  private readonly tracker = new CrossingTracker();
  readonly history: History<DashboardPoint>;

  constructor(
    capacity: number,
    public thresholds: Thresholds,
  ) {
    this.history = new History(capacity);
  }

  /** Takes a sample already read (tests and the bench feed recorded ones), with the host's and PgBouncer's when there are. */
  add(sample: DashboardSample, host?: HostSample, bouncer?: BouncerSample): Tick {
    const point = toPoint(sample, this.prev, bouncer && { cur: bouncer, ...(this.prevBouncer ? { prev: this.prevBouncer } : {}) });
    this.prev = sample;
    this.prevBouncer = bouncer;
    if (host) {
      Object.assign(point, hostPoint(host, this.prevHost));
      this.prevHost = host;
    }
    this.history.push(point);
    const recent = this.history.toArray().slice(-ALERT_WINDOW);
    point.checkpointsPerMin = checkpointsPerMinute(recent) ?? null;
    const alerts = pointAlerts(recent, this.thresholds);
    return { point, alerts, crossed: this.tracker.update(alerts) };
  }

  /**
   * One server query and, side by side, with `host` one read of its machine and with `bouncer` the
   * PgBouncer group; a failure of either leaves only its part of the point empty.
   */
  async tick(q: Queryable, versionNum: number, parts: { host?: HostAccess; bouncer?: () => Promise<BouncerSample> } = {}): Promise<Tick> {
    const { host, bouncer } = parts;
    const t = this.thresholds;
    const [sample, hostRead, b] = await Promise.all([
      readDashboardSample(q, { versionNum, longQuerySeconds: t.longQuerySeconds.warn, idleInTransactionSeconds: t.idleInTransactionSeconds.warn }),
      host
        ? readHostSample(host, HOST_TIMEOUT_MS).then(
            (h) => ({ h }),
            (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
          )
        : undefined,
      bouncer
        ? bouncer().then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          )
        : undefined,
    ]);
    if (hostRead && 'error' in hostRead) this.prevHost = undefined;
    const tick = this.add(sample, hostRead && !('error' in hostRead) ? hostRead.h : undefined, b?.ok ? b.value : undefined);
    return {
      ...tick,
      ...(hostRead && 'error' in hostRead ? { hostError: hostRead.error } : {}),
      ...(b && !b.ok ? { bouncerError: b.error } : {}),
    };
  }

  /** Sampling paused: the next interval is not measured. */
  forget(): void {
    this.prev = undefined;
    this.prevHost = undefined;
    this.prevBouncer = undefined;
  }
}
