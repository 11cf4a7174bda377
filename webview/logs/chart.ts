// The chart of statements, errors and connections per hour (per minute for a range of six hours
// or less), in the theme's colours; dragging across it is the brush that sets the time range.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LogReport } from '../../src/core/logs/report';
import type { TimeRange } from '../../src/core/logs/logsProtocol';
import { num } from '../dashboard/format';

const SHORT_MS = 6 * 3_600_000;
/** Past this many buckets the empty ones are not drawn (a year of hours is 8,760). */
const MAX_BUCKETS = 20_000;
const FALLBACK: Record<string, string> = { blue: '#3794ff', red: '#f14c4c', green: '#89d185', foreground: '#cccccc' };

const colour = (name: string) =>
  getComputedStyle(document.body)
    .getPropertyValue(name === 'foreground' ? '--vscode-foreground' : `--vscode-charts-${name}`)
    .trim() || FALLBACK[name]!;

export interface Buckets {
  /** Seconds (uPlot's time scale). */
  x: number[];
  statements: number[];
  errors: number[];
  connections: number[];
  minutes: boolean;
}

/** The buckets of the report: minutes when what it covers is short, else hours. */
export function bucketsOf(r: LogReport, range: TimeRange | undefined): Buckets {
  const first = range?.since ?? (r.summary.first ? Date.parse(r.summary.first) : 0);
  const last = range?.until ?? (r.summary.last ? Date.parse(r.summary.last) : 0);
  const minutes = last - first <= SHORT_MS && r.minutely.length > 0;
  const rows = minutes ? r.minutely.map((m) => ({ t: m.minute, ...m })) : r.hourly.map((b) => ({ t: b.hour, ...b }));
  const out: Buckets = { x: [], statements: [], errors: [], connections: [], minutes };
  // Every bucket between the first and the last, empty ones as 0: a quiet hour is a dip, not a line across it.
  const step = minutes ? 60 : 3600;
  const at = new Map(rows.map((b) => [Date.parse(b.t) / 1000, b]));
  const keys = [...at.keys()];
  const from = keys[0] ?? 0;
  const to = keys[keys.length - 1] ?? -1;
  const times = (to - from) / step <= MAX_BUCKETS ? Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step) : keys;
  for (const t of times) {
    const b = at.get(t);
    out.x.push(t);
    out.statements.push(b?.statements ?? 0);
    out.errors.push(b?.errors ?? 0);
    out.connections.push(b?.connections ?? 0);
  }
  return out;
}

let plot: uPlot | undefined;
let observer: ResizeObserver | undefined;

/** A tick of the time axis: "HH:MM" (with seconds when ticks are under a minute apart), the date under it at the first tick and where a day begins. */
function utcTick(v: number, before: number | undefined, seconds: boolean): string {
  const iso = new Date(v * 1000).toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, seconds ? 19 : 16);
  const newDay = before === undefined || new Date(before * 1000).toISOString().slice(0, 10) !== day;
  return newDay ? `${time}\n${iso.slice(0, 10)}` : time;
}

export function drawChart(el: HTMLElement, b: Buckets, onBrush: (range: TimeRange) => void): void {
  plot?.destroy();
  observer?.disconnect();
  const fg = colour('foreground');
  const grid = getComputedStyle(document.body).getPropertyValue('--vscode-charts-lines').trim() || '#8884';
  const width = () => Math.max(260, el.clientWidth);
  const step = b.minutes ? 60 : 3600;
  // A bucket's bar is as wide as its minute or hour, however few buckets there are.
  const bars = uPlot.paths.bars!({ size: [0.9, Infinity], align: 1 });
  const opts: uPlot.Options = {
    width: width(),
    height: 200,
    legend: { show: true, live: true },
    // Room on the right for half of the last tick's label ("HH:MM:SS"), which was cut off at the edge.
    padding: [null, 32, null, null],
    // Ticks on UTC's hours and days, whatever this machine's zone.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    cursor: { drag: { x: true, y: false, setScale: false } },
    // The buckets' own span (one bucket past the last): uPlot widens a lone point's range to years.
    scales: { x: { time: true, range: () => [b.x[0] ?? 0, (b.x[b.x.length - 1] ?? 0) + step] }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [
      {
        stroke: fg,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        // Hours in UTC, as every other time in the panel, with the date where a day begins; room for each.
        space: 70,
        values: (_u, vals, _axis, _space, incr) => vals.map((v, i) => utcTick(v, i === 0 ? undefined : vals[i - 1], incr < 60)),
      },
      {
        stroke: fg,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        size: 50,
        values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? num(v) : '')),
      },
    ],
    series: [
      {
        value: (_u, v) =>
          v === null
            ? '–'
            : new Date(v * 1000)
                .toISOString()
                .slice(0, b.minutes ? 16 : 13)
                .replace('T', ' ') + (b.minutes ? '' : 'h'),
      },
      { label: 'statements', stroke: colour('blue'), fill: `${colour('blue')}55`, width: 1, paths: bars },
      { label: 'errors', stroke: colour('red'), width: 2, points: { show: b.x.length <= 90 } },
      { label: 'connections', stroke: colour('green'), width: 2, points: { show: b.x.length <= 90 } },
    ],
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 3) return;
          const since = Math.floor(u.posToVal(u.select.left, 'x') * 1000);
          const until = Math.ceil(u.posToVal(u.select.left + u.select.width, 'x') * 1000);
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          if (until > since) onBrush({ since, until });
        },
      ],
    },
  };
  plot = new uPlot(opts, [b.x, b.statements, b.errors, b.connections], el);
  observer = new ResizeObserver(() => plot?.setSize({ width: width(), height: 200 }));
  observer.observe(el);
}
