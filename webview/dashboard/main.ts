// The dashboard page: charts of the samples the extension posts, the alerts of the newest one,
// a time-range control (and drag-to-zoom on any chart), CSV export and the top-queries table.
// Every message from the extension is validated (parseHostMessage) before it is drawn.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import 'uplot/dist/uPlot.min.css';
import '../shared/theme.css';
import './dashboard.css';
import type uPlot from 'uplot';
import { parseHostMessage, type DashboardInit, type WebviewMessage } from '../../src/core/dashboard/dashboardProtocol';
import type { DashboardPoint } from '../../src/core/dashboard/rates';
import type { Alert } from '../../src/core/stats/alerts';
import { h } from '../shared/dom';
import { Host } from '../shared/host';
import { CHARTS, makeChart, setThresholds, type ChartHandle } from './charts';
import { TopTable } from './topTable';

const host = new Host<WebviewMessage>();
const app = document.getElementById('app')!;

/** Range choices, seconds (0: everything kept). */
const RANGES: [string, number][] = [
  ['Last minute', 60],
  ['Last 5 minutes', 300],
  ['Last 15 minutes', 900],
  ['Last hour', 3600],
  ['All samples', 0],
];

let init: DashboardInit | undefined;
let points: DashboardPoint[] = [];
let charts: ChartHandle[] = [];
let rangeSeconds = 300;
/** A range picked by dragging on a chart (seconds); undefined: follow the newest samples. */
let zoom: { min: number; max: number } | undefined;

const title = h('span', { class: 'title' }, 'Dashboard');
const status = h('span', { class: 'status' }, 'waiting for the first sample…');
const range = document.createElement('vscode-single-select');
range.className = 'range';
range.title = 'Time range shown (drag across a chart to zoom in)';
for (const [label, seconds] of RANGES) {
  const o = document.createElement('vscode-option');
  o.value = String(seconds);
  o.textContent = label;
  if (seconds === rangeSeconds) o.setAttribute('selected', '');
  range.append(o);
}
range.addEventListener('change', () => {
  rangeSeconds = Number(range.value);
  zoom = undefined;
  redraw();
});
const live = document.createElement('vscode-button');
live.textContent = 'Back to live';
live.setAttribute('secondary', '');
live.hidden = true;
live.addEventListener('click', () => {
  zoom = undefined;
  redraw();
});
const exportCsv = document.createElement('vscode-button');
exportCsv.textContent = 'Export CSV';
exportCsv.addEventListener('click', () => host.post({ type: 'exportCsv' }));
const alertsBox = h('div', { class: 'alerts', role: 'status' });
/** Why the host charts are missing or stale: no way to the machine, or its last read failed. */
const hostNote = h('div', { class: 'host-note' });
hostNote.hidden = true;
const showHostNote = (text: string | undefined) => {
  hostNote.textContent = text ?? '';
  hostNote.hidden = !text;
};
const grid = h('div', { class: 'grid' });
// The PgBouncer group: its own heading and grid, shown once a point carries it.
const bouncerGrid = h('div', { class: 'grid' });
const bouncerSection = h('div', { class: 'group', 'data-group': 'PgBouncer' }, h('div', { class: 'section' }, h('h2', null, 'PgBouncer')), bouncerGrid);
bouncerSection.hidden = true;
const table = new TopTable((id) => host.post({ type: 'explain', id }));
const refresh = document.createElement('vscode-button');
refresh.textContent = 'Refresh';
refresh.setAttribute('secondary', '');
refresh.addEventListener('click', () => host.post({ type: 'refreshTopQueries' }));

app.append(
  h('div', { class: 'toolbar' }, title, status, h('span', { class: 'spacer' }), live, range, exportCsv),
  alertsBox,
  // Above the server's charts: a queue in front of the server is the first cause of slow queries to rule out.
  bouncerSection,
  grid,
  hostNote,
  h('div', { class: 'section' }, h('h2', null, 'Top queries (pg_stat_statements)'), h('span', { class: 'spacer' }), refresh),
  table.el,
);

function buildCharts(): void {
  for (const c of charts) c.plot.destroy();
  grid.replaceChildren();
  bouncerGrid.replaceChildren();
  charts = CHARTS.map((def) => {
    const card = h('div', { class: 'card', 'data-chart': def.id }, h('h3', null, def.title));
    const body = h('div', { class: 'plot' });
    card.append(body);
    (def.group === 'PgBouncer' ? bouncerGrid : grid).append(card);
    const lines = () => (init && def.lines ? def.lines(init.thresholds, points[points.length - 1]) : []);
    return makeChart(def, body, Math.max(200, body.clientWidth), lines, (min, max) => {
      zoom = { min, max };
      redraw();
    });
  });
  redraw();
}

/** Pushes every point into every chart and sets the time window. */
function redraw(): void {
  const xs = points.map((p) => p.t / 1000);
  const last = xs[xs.length - 1];
  for (const c of charts) {
    const visible = !c.def.when || points.some(c.def.when);
    c.el.closest<HTMLElement>('.card')!.hidden = !visible;
    if (!visible) continue;
    const data = [xs, ...c.def.series.map((s) => points.map((p) => s.value(p)))] as uPlot.AlignedData;
    c.plot.setData(data, false);
    if (last === undefined) continue;
    // Never wider than the samples kept: a panel open for 30 s shows those 30 s across the chart.
    const first = xs[0] ?? last;
    const min = zoom?.min ?? (rangeSeconds ? Math.max(first, last - rangeSeconds) : first);
    const max = zoom?.max ?? last;
    c.plot.setScale('x', { min, max: Math.max(max, min + 1) });
    c.el.closest<HTMLElement>('.card')!.dataset.xSpan = String(Math.round(Math.max(max, min + 1) - min));
  }
  const hadBouncer = !bouncerSection.hidden;
  bouncerSection.hidden = !points.some((p) => p.bouncerClActive !== null);
  // Charts made while their section was hidden had no width to take: they take it once it shows.
  if (!hadBouncer && !bouncerSection.hidden) requestAnimationFrame(resize);
  live.hidden = zoom === undefined;
  document.body.dataset.points = String(points.length);
}

function showAlerts(alerts: Alert[]): void {
  alertsBox.replaceChildren(
    ...alerts.map((a) => h('div', { class: `alert ${a.level}` }, h('span', { class: 'level' }, a.level === 'critical' ? 'Critical' : 'Warning'), a.message)),
  );
}

function resize(): void {
  for (const c of charts) c.plot.setSize({ width: Math.max(200, c.el.clientWidth), height: 190 });
}

window.addEventListener('resize', resize);
// VS Code swaps the body's theme class: chart colours are read again from the new variables.
new MutationObserver(() => buildCharts()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

host.listen((data) => {
  const m = parseHostMessage(data);
  if (!m) {
    console.warn('dashboard: ignored a malformed message', data);
    return;
  }
  switch (m.type) {
    case 'init':
      init = m.init;
      setThresholds(m.init.thresholds);
      points = m.init.history.slice(-m.init.capacity);
      title.textContent = `${m.init.connection}${m.init.serverVersion ? ` — PostgreSQL ${m.init.serverVersion}` : ''}`;
      status.textContent = `sampling every ${m.init.intervalSeconds} s`;
      showHostNote(m.init.hostNote);
      buildCharts();
      return;
    case 'sample':
      points.push(m.point);
      if (init && points.length > init.capacity) points.splice(0, points.length - init.capacity);
      showAlerts(m.alerts);
      redraw();
      return;
    case 'topQueries':
      table.show(m.rows, m.unavailable);
      return;
    case 'status':
      status.textContent = m.error ? `sampling failed: ${m.error}` : m.paused ? 'paused while hidden' : `sampling every ${init?.intervalSeconds ?? '?'} s`;
      status.classList.toggle('error', !!m.error);
      if (!m.paused && !m.error) showHostNote(m.hostError ? `Host charts: ${m.hostError}` : init?.hostNote);
      return;
  }
});
