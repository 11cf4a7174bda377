// The load-test panel: one run (TPS and latency per second, percentiles, the server's settings)
// or two runs compared (both on the same charts, deltas, the settings that differ).
import type { HostMessage, PanelView, WebviewMessage } from '../../src/core/loadtest/loadtestProtocol';
import type { Delta, RunComparison } from '../../src/core/loadtest/compare';
import type { LoadTestRun } from '../../src/core/loadtest/types';
import { clear, h } from '../shared/dom';
import { Host } from '../shared/host';
import { afterPaint } from '../shared/testHook';
import { stat } from '../shared/stat';
import { destroyCharts, fmt, lineChart } from './charts';
import '../shared/theme.css';
import '../shared/figures.css';
import '../shared/buttons.css';
import '../shared/toolbar.css';
import './loadtest.css';

const host = new Host<WebviewMessage>();
const app = document.getElementById('app')!;
let last: HostMessage | undefined;

function toolbar(runs: LoadTestRun[], view: PanelView): HTMLElement {
  const currentId = view.kind === 'run' ? view.id : view.afterId;
  const pick = h('select', { 'aria-label': 'Run', title: 'The run shown' });
  for (const r of runs) pick.append(h('option', { value: r.id, ...(r.id === currentId ? { selected: '' } : {}) }, r.label));
  pick.addEventListener('change', () => host.post({ type: 'select', id: pick.value }));
  const compare = h(
    'select',
    { 'aria-label': 'Compare with', title: 'Another run of this session to compare with (before → after)' },
    h('option', { value: '' }, runs.length > 1 ? 'Compare with…' : 'Compare: run another test first'),
  );
  for (const r of runs)
    if (r.id !== currentId)
      compare.append(h('option', { value: r.id, ...(view.kind === 'compare' && view.beforeId === r.id ? { selected: '' } : {}) }, r.label));
  if (runs.length < 2) compare.setAttribute('disabled', '');
  compare.addEventListener('change', () => {
    if (compare.value) host.post({ type: 'compare', beforeId: compare.value, afterId: currentId });
    else host.post({ type: 'select', id: currentId });
  });
  const save = h('button', { class: 'secondary', title: 'Save the run shown as a .json file' }, 'Save run');
  save.addEventListener('click', () => host.post({ type: 'save', id: currentId }));
  const open = h('button', { class: 'secondary', title: 'Open a saved run (.json) into this list' }, 'Open run…');
  open.addEventListener('click', () => host.post({ type: 'open' }));
  return h('div', { class: 'toolbar' }, h('span', { class: 'title' }, 'Load test'), pick, compare, h('span', { class: 'spacer' }), save, open);
}

function describe(run: LoadTestRun): string {
  const c = run.config;
  return `${run.target} · PostgreSQL ${run.settingsSnapshot.serverVersion} · pgbench ${run.summary.pgbenchVersion} · ${c.builtin} · scale ${c.scale} · ${c.clients} clients / ${c.threads} threads · ${c.durationSeconds} s · ${new Date(run.startedAt).toLocaleString()}`;
}

function showRun(run: LoadTestRun): void {
  const s = run.summary;
  const p = run.percentiles;
  app.append(
    h('div', { class: 'subtitle' }, describe(run)),
    h(
      'div',
      { class: 'summary' },
      stat('Throughput', `${fmt(s.tps, 1)} tps`, `${fmt(s.transactions, 0)} transactions`),
      stat('Latency avg', `${fmt(s.latencyAvgMs)} ms`, s.latencyStddevMs === null ? undefined : `stddev ${fmt(s.latencyStddevMs)} ms`),
      stat('p95', `${fmt(p.p95Ms)} ms`),
      stat('p99', `${fmt(p.p99Ms)} ms`),
      stat(
        'Failed',
        fmt(s.failed, 0),
        s.transactions ? `${fmt((s.failed / (s.transactions + s.failed)) * 100)} %` : undefined,
        s.failed > 0 ? 'bad' : undefined,
      ),
      stat('Initialisation', `${fmt(s.initSeconds, 1)} s`, run.config.keepDatabase ? `kept: ${run.config.database}` : 'scratch database dropped'),
    ),
  );
  const x = run.perSecond.map((v) => v.t);
  const charts = h('div', { class: 'charts' });
  const tps = h('div', { class: 'chart' });
  const lat = h('div', { class: 'chart' });
  charts.append(tps, lat);
  const side = h('div', { class: 'side' }, percentileTable([['ms', run]]), settingsTable(run));
  app.append(h('div', { class: 'body' }, charts, side));
  lineChart(tps, 'Transactions per second', 'tps', x, [{ label: 'tps', color: 'blue', values: run.perSecond.map((v) => v.tps) }]);
  lineChart(lat, 'Latency per second', 'ms', x, [
    { label: 'average', color: 'orange', values: run.perSecond.map((v) => v.latencyAvgMs) },
    { label: 'stddev', color: 'purple', values: run.perSecond.map((v) => v.latencyStddevMs), dash: true },
  ]);
}

function percentileTable(runs: [string, LoadTestRun][]): HTMLElement {
  const rows: [string, (r: LoadTestRun) => number][] = [
    ['min', (r) => r.percentiles.minMs],
    ['p50', (r) => r.percentiles.p50Ms],
    ['p90', (r) => r.percentiles.p90Ms],
    ['p95', (r) => r.percentiles.p95Ms],
    ['p99', (r) => r.percentiles.p99Ms],
    ['max', (r) => r.percentiles.maxMs],
    ['mean', (r) => r.percentiles.meanMs],
  ];
  return h(
    'table',
    { class: 'grid percentiles' },
    h('caption', null, `Latency percentiles (ms) of ${runs.map(([, r]) => fmt(r.percentiles.count, 0)).join(' / ')} transactions`),
    h('thead', null, h('tr', null, h('th', null, ''), ...runs.map(([name]) => h('th', { class: 'num' }, name)))),
    h('tbody', null, ...rows.map(([label, get]) => h('tr', null, h('th', null, label), ...runs.map(([, r]) => h('td', { class: 'num' }, fmt(get(r))))))),
  );
}

function settingsTable(run: LoadTestRun): HTMLElement {
  return h(
    'table',
    { class: 'grid settings' },
    h('caption', null, 'Server settings during the run'),
    h('tbody', null, ...Object.entries(run.settingsSnapshot.settings).map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, v)))),
  );
}

function deltaCells(d: Delta, unit: string, digits?: number): HTMLElement[] {
  const cls = d.better === null ? 'same' : d.better ? 'good' : 'bad';
  const sign = d.change > 0 ? '+' : d.change < 0 ? '−' : '±';
  return [
    h('td', { class: 'num' }, `${fmt(d.before, digits)}${unit}`),
    h('td', { class: 'num' }, `${fmt(d.after, digits)}${unit}`),
    h('td', { class: `num ${cls}` }, `${sign}${fmt(Math.abs(d.change), digits)}${unit}`),
    h('td', { class: `num ${cls}` }, d.pct === null ? '–' : `${sign}${fmt(Math.abs(d.pct), 1)} %`),
  ];
}

function showCompare(before: LoadTestRun, after: LoadTestRun, c: RunComparison): void {
  const rows: [string, Delta, string, number?][] = [
    ['Throughput', c.tps, ' tps', 1],
    ['Latency avg', c.latencyAvgMs, ' ms'],
    ['p50', c.p50Ms, ' ms'],
    ['p90', c.p90Ms, ' ms'],
    ['p95', c.p95Ms, ' ms'],
    ['p99', c.p99Ms, ' ms'],
    ['max', c.maxMs, ' ms'],
    ['Failed', c.failed, '', 0],
  ];
  const deltas = h(
    'table',
    { class: 'grid deltas' },
    h('caption', null, 'Before → after'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', null, ''),
        h('th', { class: 'num' }, 'Before'),
        h('th', { class: 'num' }, 'After'),
        h('th', { class: 'num' }, 'Change'),
        h('th', { class: 'num' }, '%'),
      ),
    ),
    h('tbody', null, ...rows.map(([label, d, unit, digits]) => h('tr', null, h('th', null, label), ...deltaCells(d, unit, digits)))),
  );
  const settings = h(
    'table',
    { class: 'grid settings' },
    h('caption', null, c.settings.length ? 'Settings that differ' : 'No setting differs between the runs'),
    h(
      'tbody',
      null,
      ...c.settings.map((s) =>
        h('tr', null, h('th', null, s.name), h('td', null, s.before ?? '–'), h('td', { class: 'arrow' }, '→'), h('td', null, s.after ?? '–')),
      ),
    ),
  );
  app.append(
    h(
      'div',
      { class: 'subtitle' },
      h('span', { class: 'tag before' }, 'before'),
      ` ${before.label}   `,
      h('span', { class: 'tag after' }, 'after'),
      ` ${after.label}`,
    ),
    ...(c.caveats.length ? [h('div', { class: 'notices' }, `Not like for like: ${c.caveats.join('; ')}.`)] : []),
  );
  const n = Math.max(before.perSecond.length, after.perSecond.length);
  const x = Array.from({ length: n }, (_, i) => i + 1);
  const at = (r: LoadTestRun, f: (s: LoadTestRun['perSecond'][number]) => number | null) => x.map((_, i) => (r.perSecond[i] ? f(r.perSecond[i]) : null));
  const charts = h('div', { class: 'charts' });
  const tps = h('div', { class: 'chart' });
  const lat = h('div', { class: 'chart' });
  charts.append(tps, lat);
  app.append(
    h(
      'div',
      { class: 'body' },
      charts,
      h(
        'div',
        { class: 'side' },
        deltas,
        settings,
        percentileTable([
          ['Before', before],
          ['After', after],
        ]),
      ),
    ),
  );
  lineChart(tps, 'Transactions per second', 'tps', x, [
    { label: 'before', color: 'purple', values: at(before, (s) => s.tps), dash: true },
    { label: 'after', color: 'blue', values: at(after, (s) => s.tps) },
  ]);
  lineChart(lat, 'Latency average per second', 'ms', x, [
    { label: 'before', color: 'purple', values: at(before, (s) => s.latencyAvgMs), dash: true },
    { label: 'after', color: 'blue', values: at(after, (s) => s.latencyAvgMs) },
  ]);
}

function render(m: HostMessage): void {
  last = m;
  destroyCharts();
  clear(app);
  app.append(toolbar(m.runs, m.view));
  const byId = (id: string) => m.runs.find((r) => r.id === id);
  if (m.view.kind === 'run') {
    const run = byId(m.view.id);
    if (run) showRun(run);
  } else {
    const before = byId(m.view.beforeId);
    const after = byId(m.view.afterId);
    if (before && after) showCompare(before, after, m.view.comparison);
  }
  afterPaint('loadtest');
}

// A theme change swaps the body's class and the --vscode-* values: the canvases are redrawn.
new MutationObserver(() => last && render(last)).observe(document.body, { attributes: true, attributeFilter: ['class'] });

host.listen((data) => {
  const m = data as HostMessage | undefined;
  if (m?.type === 'state') render(m);
});
