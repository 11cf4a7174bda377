// uPlot line charts in VS Code's theme colours: the colours are read from the --vscode-*
// variables when a chart is drawn, and the charts are redrawn when the theme changes.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  /** A --vscode-charts-* name: blue, orange, green, purple, red, yellow. */
  color: string;
  values: (number | null)[];
  dash?: boolean;
}

const FALLBACK: Record<string, string> = { blue: '#3794ff', orange: '#d18616', green: '#89d185', purple: '#b180d7', red: '#f14c4c', yellow: '#cca700' };

export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

const charts = new Set<uPlot>();

/** A chart of series over seconds, sized to its container. */
export function lineChart(container: HTMLElement, title: string, unit: string, x: number[], series: Series[]): void {
  const axisColor = cssVar('--vscode-descriptionForeground', '#9d9d9d');
  const grid = cssVar('--vscode-editorWidget-border', '#8884');
  const font = `11px ${cssVar('--vscode-font-family', 'sans-serif')}`;
  const axis = (label?: string): uPlot.Axis => ({
    stroke: axisColor,
    grid: { stroke: grid, width: 0.5 },
    ticks: { stroke: grid, width: 0.5 },
    font,
    labelFont: font,
    ...(label ? { label } : {}),
  });
  const opts: uPlot.Options = {
    title,
    width: Math.max(280, container.clientWidth),
    height: 220,
    // Seconds on x (whole ones); y from 0, so that a drop looks like one.
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
    axes: [
      { ...axis('seconds'), incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600] },
      { ...axis(unit), size: 56 },
    ],
    series: [
      { label: 'second', value: (_u, v) => (v === null || v === undefined ? '–' : `${v}`) },
      ...series.map<uPlot.Series>((s) => ({
        label: s.label,
        stroke: cssVar(`--vscode-charts-${s.color}`, FALLBACK[s.color] ?? '#888'),
        width: 1.5,
        dash: s.dash ? [5, 4] : undefined,
        spanGaps: false,
        points: { show: x.length <= 60, size: 4 },
        value: (_u, v) => (v === null || v === undefined ? '–' : `${fmt(v)} ${unit}`),
      })),
    ],
  };
  const chart = new uPlot(opts, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, container);
  charts.add(chart);
  new ResizeObserver(() => chart.setSize({ width: Math.max(280, container.clientWidth), height: 220 })).observe(container);
}

/** Drops every chart (before the page is redrawn). */
export function destroyCharts(): void {
  for (const c of charts) c.destroy();
  charts.clear();
}

export function fmt(v: number, digits?: number): string {
  const d = digits ?? (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
  return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}
