// The dashboard's charts (uPlot): what each one plots from a point, its thresholds drawn as
// dashed lines, and a y range that keeps those lines in view. Colours come from the theme's
// --vscode-charts-* variables, read when the page starts and when the theme changes.
import uPlot from 'uplot';
import type { DashboardPoint } from '../../src/core/dashboard/rates';
import type { ThresholdLines } from '../../src/core/dashboard/dashboardAlerts';
import { bytes, ms, num } from './format';

type Colour = 'blue' | 'green' | 'orange' | 'purple' | 'red' | 'yellow' | 'foreground';

export interface SeriesDef {
  label: string;
  colour: Colour;
  value: (p: DashboardPoint) => number | null;
  /** Second y axis (scale 'y2'). */
  right?: boolean;
}

export interface ChartDef {
  id: string;
  title: string;
  series: SeriesDef[];
  fmt: (v: number) => string;
  fmtRight?: (v: number) => string;
  /** Threshold lines, from the init message (connections are drawn as session counts). */
  lines?: (t: ThresholdLines, last: DashboardPoint | undefined) => { value: number; level: 'warning' | 'critical'; label: string }[];
  /** Lowest y shown (cache hit ratio: not zero). */
  floor?: (dataMin: number, t: ThresholdLines) => number;
  ceiling?: number;
  /** Shown only when this is true of some point (replication lag: standbys exist). */
  when?: (p: DashboardPoint) => boolean;
  /** Charts of a group are drawn together under its heading (the PgBouncer group). */
  group?: 'PgBouncer';
}

const hasBouncer = (p: DashboardPoint) => p.bouncerClActive !== null;
/** Connection counts: whole ticks only (a scale of 0–1 would print 0, 0, 1, 1). */
const count = (v: number) => (Number.isInteger(v) ? String(v) : '');

const perSec = (v: number) => `${num(v)}/s`;

export const CHARTS: ChartDef[] = [
  {
    id: 'connections',
    title: 'Connections by state (of max_connections)',
    series: [
      { label: 'active', colour: 'green', value: (p) => p.active },
      { label: 'idle', colour: 'blue', value: (p) => p.idle },
      { label: 'idle in transaction', colour: 'orange', value: (p) => p.idleInTransaction },
      { label: 'total', colour: 'foreground', value: (p) => p.active + p.idle + p.idleInTransaction + p.otherState },
    ],
    fmt: (v) => num(v, 0),
    lines: (t, last) => {
      const max = last?.maxConnections ?? 100;
      return [
        { value: (t.connectionsPct.warn * max) / 100, level: 'warning', label: `warning ${t.connectionsPct.warn}% of ${max}` },
        { value: (t.connectionsPct.crit * max) / 100, level: 'critical', label: `critical ${t.connectionsPct.crit}%` },
      ];
    },
  },
  {
    id: 'tps',
    title: 'Transactions per second',
    series: [
      { label: 'commits', colour: 'green', value: (p) => p.commitsPerSec },
      { label: 'rollbacks', colour: 'red', value: (p) => p.rollbacksPerSec },
    ],
    fmt: perSec,
  },
  {
    id: 'cache',
    title: 'Cache hit ratio',
    series: [{ label: 'hit ratio', colour: 'blue', value: (p) => p.cacheHitPct }],
    fmt: (v) => `${num(v)}%`,
    lines: (t) => [
      { value: t.cacheHitPct.warn, level: 'warning', label: `warning < ${t.cacheHitPct.warn}%` },
      { value: t.cacheHitPct.crit, level: 'critical', label: `critical < ${t.cacheHitPct.crit}%` },
    ],
    floor: (min, t) => Math.max(0, Math.min(min, t.cacheHitPct.crit) - 5),
    ceiling: 100,
  },
  {
    id: 'tuples',
    title: 'Tuples per second',
    series: [
      { label: 'returned', colour: 'blue', value: (p) => p.tupReturnedPerSec },
      { label: 'fetched', colour: 'purple', value: (p) => p.tupFetchedPerSec },
      { label: 'inserted', colour: 'green', value: (p) => p.tupInsertedPerSec },
      { label: 'updated', colour: 'orange', value: (p) => p.tupUpdatedPerSec },
      { label: 'deleted', colour: 'red', value: (p) => p.tupDeletedPerSec },
    ],
    fmt: perSec,
  },
  {
    id: 'checkpoints',
    title: 'Checkpoints per minute, buffers written',
    series: [
      { label: 'checkpoints/min', colour: 'purple', value: (p) => p.checkpointsPerMin },
      { label: 'buffers written/s', colour: 'blue', value: (p) => p.buffersWrittenPerSec, right: true },
    ],
    fmt: (v) => num(v),
    fmtRight: perSec,
    lines: (t) => [
      { value: t.checkpointsPerMinute.warn, level: 'warning', label: `warning > ${t.checkpointsPerMinute.warn}/min` },
      { value: t.checkpointsPerMinute.crit, level: 'critical', label: `critical > ${t.checkpointsPerMinute.crit}/min` },
    ],
  },
  {
    id: 'wal',
    title: 'WAL written per second',
    series: [{ label: 'WAL', colour: 'orange', value: (p) => p.walBytesPerSec }],
    fmt: (v) => `${bytes(v)}/s`,
  },
  {
    id: 'locks',
    title: 'Lock waits',
    series: [
      { label: 'longest wait (s)', colour: 'red', value: (p) => p.longestLockWaitSeconds ?? 0 },
      { label: 'sessions waiting', colour: 'yellow', value: (p) => p.lockWaiting, right: true },
    ],
    fmt: (v) => `${num(v)} s`,
    fmtRight: (v) => (Number.isInteger(v) ? String(v) : ''),
    lines: (t) => [
      { value: t.lockWaitSeconds.warn, level: 'warning', label: `warning > ${t.lockWaitSeconds.warn} s` },
      { value: t.lockWaitSeconds.crit, level: 'critical', label: `critical > ${t.lockWaitSeconds.crit} s` },
    ],
  },
  {
    id: 'xacts',
    title: 'Long transactions, wraparound',
    series: [
      { label: 'oldest transaction (s)', colour: 'orange', value: (p) => p.oldestXactSeconds },
      { label: 'longest idle in transaction (s)', colour: 'red', value: (p) => p.longestIdleInTransactionSeconds },
      { label: 'longest statement (s)', colour: 'purple', value: (p) => p.longestQuerySeconds },
      { label: 'XID age, % of freeze max age', colour: 'blue', value: (p) => p.wraparoundPct, right: true },
    ],
    fmt: (v) => `${num(v)} s`,
    fmtRight: (v) => `${num(v)}%`,
    // One line when both warnings are the same (the defaults: 300 s), so the labels do not overlap.
    lines: (t) =>
      t.idleInTransactionSeconds.warn === t.longQuerySeconds.warn
        ? [{ value: t.longQuerySeconds.warn, level: 'warning', label: `warning: statement or idle transaction > ${t.longQuerySeconds.warn} s` }]
        : [
            { value: t.idleInTransactionSeconds.warn, level: 'warning', label: `idle in transaction > ${t.idleInTransactionSeconds.warn} s` },
            { value: t.longQuerySeconds.warn, level: 'warning', label: `statement > ${t.longQuerySeconds.warn} s` },
          ],
  },
  {
    id: 'size',
    title: 'Database size',
    series: [{ label: 'size', colour: 'green', value: (p) => p.databaseBytes }],
    fmt: bytes,
  },
  {
    id: 'replication',
    title: 'Replication lag',
    series: [
      { label: 'lag (bytes)', colour: 'orange', value: (p) => p.replicationLagBytes },
      { label: 'lag (s)', colour: 'red', value: (p) => p.replicationLagSeconds, right: true },
    ],
    fmt: bytes,
    fmtRight: (v) => `${num(v)} s`,
    when: (p) => p.standbys > 0,
  },
  // The server's machine (/proc through HostAccess), shown once a host read has come back.
  {
    id: 'host-cpu',
    title: 'Host CPU busy',
    series: [{ label: 'busy', colour: 'blue', value: (p) => p.hostCpuBusyPct }],
    fmt: (v) => `${num(v)}%`,
    ceiling: 100,
    when: (p) => p.hostCpuBusyPct !== null,
  },
  {
    id: 'host-memory',
    title: 'Host memory: used, page cache',
    series: [
      { label: 'used', colour: 'orange', value: (p) => p.hostMemUsedBytes },
      { label: 'page cache', colour: 'green', value: (p) => p.hostPageCacheBytes },
      { label: 'total', colour: 'foreground', value: (p) => p.hostMemTotalBytes },
    ],
    fmt: bytes,
    when: (p) => p.hostMemTotalBytes !== null,
  },
  {
    id: 'host-load',
    title: 'Host load (1 minute)',
    series: [{ label: 'load', colour: 'purple', value: (p) => p.hostLoad1 }],
    fmt: (v) => num(v),
    when: (p) => p.hostLoad1 !== null,
  },
  {
    id: 'host-disk',
    title: 'Host disk reads and writes per second',
    series: [
      { label: 'reads', colour: 'blue', value: (p) => p.hostDiskReadsPerSec },
      { label: 'writes', colour: 'red', value: (p) => p.hostDiskWritesPerSec },
    ],
    fmt: perSec,
    when: (p) => p.hostDiskReadsPerSec !== null,
  },
  {
    id: 'bouncer-clients',
    title: 'Clients: active and waiting',
    series: [
      { label: 'active', colour: 'green', value: (p) => p.bouncerClActive },
      { label: 'waiting', colour: 'red', value: (p) => p.bouncerClWaiting },
      { label: 'longest maxwait (s)', colour: 'yellow', value: (p) => p.bouncerMaxWaitSeconds, right: true },
    ],
    fmt: count,
    fmtRight: (v) => `${num(v)} s`,
    when: hasBouncer,
    group: 'PgBouncer',
  },
  {
    id: 'bouncer-servers',
    title: 'Server connections by state',
    series: [
      { label: 'active', colour: 'green', value: (p) => p.bouncerSvActive },
      { label: 'idle', colour: 'blue', value: (p) => p.bouncerSvIdle },
      { label: 'used', colour: 'orange', value: (p) => p.bouncerSvUsed },
    ],
    fmt: count,
    when: hasBouncer,
    group: 'PgBouncer',
  },
  {
    id: 'bouncer-times',
    title: 'Average query and wait time',
    series: [
      { label: 'query', colour: 'blue', value: (p) => p.bouncerAvgQueryMs },
      { label: 'wait', colour: 'red', value: (p) => p.bouncerAvgWaitMs },
    ],
    fmt: ms,
    when: hasBouncer,
    group: 'PgBouncer',
  },
  {
    id: 'bouncer-tps',
    title: 'Transactions per second (SHOW STATS)',
    series: [{ label: 'transactions', colour: 'purple', value: (p) => p.bouncerTps }],
    fmt: perSec,
    when: hasBouncer,
    group: 'PgBouncer',
  },
];

export function themeColour(c: Colour): string {
  const css = getComputedStyle(document.body);
  const v = (name: string) => css.getPropertyValue(name).trim();
  if (c === 'foreground') return v('--vscode-charts-foreground') || v('--vscode-foreground') || '#888';
  const fallback: Record<Exclude<Colour, 'foreground'>, string> = {
    blue: '#3794ff',
    green: '#89d185',
    orange: '#d18616',
    purple: '#b180d7',
    red: '#f14c4c',
    yellow: '#cca700',
  };
  return v(`--vscode-charts-${c}`) || fallback[c];
}

type Line = { value: number; level: 'warning' | 'critical'; label: string };

/** Draws a chart's threshold lines, dashed, labelled at the right end. */
function thresholdPlugin(getLines: () => Line[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const c = u.ctx;
        const { left, top, width, height } = u.bbox;
        c.save();
        c.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
        c.lineWidth = devicePixelRatio;
        c.font = `${11 * devicePixelRatio}px ${getComputedStyle(document.body).fontFamily}`;
        c.textAlign = 'right';
        for (const l of getLines()) {
          const y = Math.round(u.valToPos(l.value, 'y', true));
          if (y < top || y > top + height) continue;
          const colour = themeColour(l.level === 'critical' ? 'red' : 'yellow');
          c.strokeStyle = colour;
          c.fillStyle = colour;
          c.beginPath();
          c.moveTo(left, y);
          c.lineTo(left + width, y);
          c.stroke();
          c.fillText(l.label, left + width - 4 * devicePixelRatio, y - 3 * devicePixelRatio);
        }
        c.restore();
      },
    },
  };
}

export interface ChartHandle {
  def: ChartDef;
  plot: uPlot;
  el: HTMLElement;
}

/** Builds a chart in `el`; `lines()` is read at every draw (thresholds can change with settings). */
export function makeChart(def: ChartDef, el: HTMLElement, width: number, lines: () => Line[], onSelect: (min: number, max: number) => void): ChartHandle {
  const fg = themeColour('foreground');
  const grid = getComputedStyle(document.body).getPropertyValue('--vscode-charts-lines').trim() || '#8884';
  const axis = (fmt: (v: number) => string, side?: number, scale = 'y'): uPlot.Axis => ({
    scale,
    ...(side !== undefined ? { side } : {}),
    stroke: fg,
    grid: { stroke: grid, width: 1, show: scale === 'y' },
    ticks: { stroke: grid, width: 1 },
    size: 78,
    values: (_u, vals) => vals.map((v) => fmt(v)),
  });
  const range = (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => {
    const t = lines().map((l) => l.value);
    let lo = def.floor ? def.floor(min, currentThresholds!) : Math.min(0, min);
    let hi = Math.max(max, ...t.map((v) => v * 1.15), def.floor ? lo + 1 : 1);
    if (def.ceiling !== undefined) hi = Math.min(Math.max(hi, lo + 1), def.ceiling + 0.5);
    if (!Number.isFinite(lo)) lo = 0;
    return [lo, hi];
  };
  const opts: uPlot.Options = {
    width,
    height: 190,
    legend: { show: true, live: true },
    cursor: { drag: { x: true, y: false, setScale: false } },
    scales: { x: { time: true }, y: { range }, y2: { range: (_u, min, max) => [0, Math.max(1, max * 1.1 || 1)] } },
    axes: [
      { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
      axis(def.fmt),
      ...(def.fmtRight ? [axis(def.fmtRight, 1, 'y2')] : []),
    ],
    series: [
      {},
      ...def.series.map((s) => ({
        label: s.label,
        stroke: themeColour(s.colour),
        // 1 px, not 1.5: anti-aliased wider strokes over an hour of points took three frames to
        // rasterise in software (bench:charts: 47 ms to the next frame vs 17.5 ms at 1 px).
        width: 1,
        scale: s.right ? 'y2' : 'y',
        spanGaps: false,
        value: (_u: uPlot, v: number | null) => (v === null ? '–' : (s.right && def.fmtRight ? def.fmtRight : def.fmt)(v)),
      })),
    ],
    plugins: [thresholdPlugin(lines)],
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 3) return;
          const min = u.posToVal(u.select.left, 'x');
          const max = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          onSelect(min, max);
        },
      ],
    },
  };
  const plot = new uPlot(opts, [[], ...def.series.map(() => [])] as uPlot.AlignedData, el);
  return { def, plot, el };
}

/** The thresholds the range functions read (set from the init message). */
let currentThresholds: ThresholdLines | undefined;
export function setThresholds(t: ThresholdLines): void {
  currentThresholds = t;
}
