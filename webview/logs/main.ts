// The log panel's page: what was read and from where, the findings, the summary figures, the
// chart whose brush sets the time range (the host reads the range again, so every table is of
// it), and the report's tables, each row linked to its log line.
import type { HostMessage, TimeRange, WebviewMessage } from '../../src/core/logs/logsProtocol';
import type { LogRef, LogReport } from '../../src/core/logs/report';
import { clear, h } from '../shared/dom';
import { Host } from '../shared/host';
import { afterPaint } from '../shared/testHook';
import { bytes, ms, num } from '../dashboard/format';
import { bucketsOf, drawChart } from './chart';
import { table, type Column } from './table';
import { stat } from '../shared/stat';
import { refText, topCounts } from '../../src/core/logs/refText';
import '../shared/theme.css';
import '../shared/figures.css';
import '../shared/buttons.css';
import '../shared/toolbar.css';
import './logs.css';

type Shown = Extract<HostMessage, { type: 'report' }>;

const host = new Host<WebviewMessage>();
const app = document.getElementById('app')!;

const when = (iso?: string) => (iso ? iso.slice(0, 19).replace('T', ' ') : '–');
const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
const top = topCounts;
const SOURCE_BADGE: Record<Shown['source']['kind'], string> = { local: 'this machine', ssh: 'SSH', sql: 'SQL', files: 'files' };

/** A link to the row's log line; the host opens it (and checks it is one of its sources). */
function lineLink(ref: LogRef): HTMLElement {
  const a = h('a', { href: '#', class: 'line-link', title: `Open ${ref.file} at line ${ref.line}` }, refText(ref));
  a.addEventListener('click', (e) => {
    e.preventDefault();
    host.post({ type: 'openRef', file: ref.file, line: ref.line });
  });
  return a;
}

function action(label: string, title: string, onClick: () => void): HTMLElement {
  const b = h('button', { class: 'secondary small', title }, label);
  b.addEventListener('click', onClick);
  return b;
}

const code = (text: string) => h('code', { class: 'sql', title: text }, text.length > 600 ? `${text.slice(0, 600)}…` : text);

function toolbar(m: Shown): HTMLElement {
  const refresh = h('button', { title: 'Read what the log gained since the last read' }, 'Refresh');
  refresh.addEventListener('click', () => host.post({ type: 'refresh' }));
  const whole = m.range ? h('button', { class: 'secondary', title: 'Back to the whole log' }, 'Whole log') : null;
  whole?.addEventListener('click', () => host.post({ type: 'range' }));
  const range = m.range ? `${when(new Date(m.range.since).toISOString())} – ${when(new Date(m.range.until).toISOString())} UTC` : 'the whole log';
  return h(
    'div',
    { class: 'toolbar' },
    h('span', { class: 'title' }, `Logs — ${m.title}`),
    h('span', { class: `source source-${m.source.kind}`, title: m.source.files.join('\n') }, SOURCE_BADGE[m.source.kind]),
    h('span', { class: 'range', 'data-range': m.range ? 'set' : 'all' }, range),
    h('span', { class: 'spacer' }),
    whole,
    refresh,
  );
}

function summary(r: LogReport): HTMLElement {
  const s = r.summary;
  const authFailures = r.connections.authFailures.reduce((n, a) => n + a.count, 0);
  return h(
    'div',
    { class: 'summary' },
    stat('Statements', num(s.statements, 0), `${num(s.statementGroups, 0)} distinct`, undefined),
    stat('Errors', num(s.errors, 0), s.fatals ? `${num(s.fatals, 0)} fatal` : undefined, s.errors + s.fatals ? 'bad' : undefined),
    stat('Connections', num(s.connections, 0), `${num(s.disconnections, 0)} disconnections`),
    stat(
      'Failed logins',
      num(authFailures, 0),
      r.connections.tooManyClients.count ? `${r.connections.tooManyClients.count} too many clients` : undefined,
      authFailures ? 'warn' : undefined,
    ),
    stat('Lock waits', num(s.lockWaits, 0), s.deadlocks ? `${s.deadlocks} deadlock${s.deadlocks > 1 ? 's' : ''}` : undefined, s.deadlocks ? 'bad' : undefined),
    stat('Temp files', num(s.tempFiles, 0)),
    stat(
      'Checkpoints',
      num(s.checkpoints, 0),
      s.checkpointWarnings ? `${s.checkpointWarnings} too frequent` : undefined,
      s.checkpointWarnings ? 'warn' : undefined,
    ),
    stat('Autovacuum', num(s.autovacuums, 0), `${num(s.autoanalyzes, 0)} analyze`),
    stat('Plans', num(r.planCount, 0), 'auto_explain'),
  );
}

function findings(r: LogReport): HTMLElement | null {
  if (r.findings.length === 0) return null;
  return h(
    'ul',
    { class: 'findings' },
    ...r.findings.map((f) =>
      h('li', { class: `finding ${f.level}` }, h('span', { class: 'level' }, f.level), f.message, f.fix ? h('span', { class: 'fix' }, ` ${f.fix}`) : null),
    ),
  );
}

function tables(r: LogReport, canExplain: boolean): HTMLElement[] {
  const statements: Column<LogReport['statements'][number]>[] = [
    { label: 'Statement', value: (s) => s.query, cell: (s) => code(s.query), wide: true },
    { label: 'Count', value: (s) => s.count, numeric: true },
    { label: 'Total', value: (s) => s.totalMs, cell: (s) => ms(s.totalMs), numeric: true },
    { label: 'Mean', value: (s) => s.meanMs, cell: (s) => ms(s.meanMs), numeric: true },
    { label: 'p95', value: (s) => s.p95Ms, cell: (s) => ms(s.p95Ms), numeric: true, title: 'Within 1 %' },
    { label: 'Max', value: (s) => s.maxMs, cell: (s) => ms(s.maxMs), numeric: true },
    {
      label: 'Who',
      value: (s) => `${top(s.users, 2)} ${top(s.databases, 2)}`,
      cell: (s) =>
        // A prefix without %u or %d logs no user or database: nothing to say, not a lone "in".
        h(
          'span',
          { class: 'who' },
          h('div', { title: 'users' }, top(s.users, 2) || '–'),
          Object.keys(s.databases).length ? h('div', { class: 'sub', title: 'databases' }, `in ${top(s.databases, 2)}`) : null,
        ),
    },
    {
      label: 'Worst sample',
      value: (s) => s.worst.time,
      cell: (s) =>
        h(
          'span',
          { class: 'actions' },
          lineLink(s.worst),
          canExplain
            ? action(
                'Explain',
                `Explain the ${ms(s.worst.durationMs)} sample${s.worst.parameters ? ' with its logged parameters' : ''} on a connection you pick`,
                () => host.post({ type: 'explain', statementId: s.id }),
              )
            : null,
        ),
    },
  ];
  const plans: Column<LogReport['plans'][number] & { index: number }>[] = [
    { label: 'Time', value: (p) => p.time, cell: (p) => when(p.time) },
    { label: 'Duration', value: (p) => p.durationMs, cell: (p) => ms(p.durationMs), numeric: true },
    { label: 'Query', value: (p) => p.query, cell: (p) => code(p.query ?? '(not logged)'), wide: true },
    { label: 'Format', value: (p) => p.format },
    {
      label: 'Plan',
      value: (p) => p.line,
      cell: (p) =>
        h(
          'span',
          { class: 'actions' },
          lineLink(p),
          action('Open plan', 'Open this plan in the plan viewer', () => host.post({ type: 'openPlan', index: p.index })),
        ),
    },
  ];
  const errors: Column<LogReport['errors'][number]>[] = [
    { label: 'Level', value: (e) => e.level, cell: (e) => h('span', { class: `lvl lvl-${e.level.toLowerCase()}` }, e.level) },
    { label: 'SQLSTATE', value: (e) => e.sqlstate },
    {
      label: 'Message',
      value: (e) => `${e.pattern} ${e.sample.statement ?? ''}`,
      cell: (e) => h('span', null, e.pattern, e.sample.statement ? h('div', { class: 'sub' }, code(e.sample.statement)) : null),
      wide: true,
    },
    { label: 'Count', value: (e) => e.count, numeric: true },
    { label: 'Sample', value: (e) => e.sample.time, cell: (e) => lineLink(e.sample) },
  ];
  const logins: Column<LogReport['connections']['authFailures'][number]>[] = [
    { label: 'Client address', value: (a) => a.address },
    { label: 'Failures', value: (a) => a.count, numeric: true },
    { label: 'Users', value: (a) => top(a.users) },
    { label: 'Reasons', value: (a) => top(a.reasons), wide: true },
    { label: 'Last', value: (a) => a.last, cell: (a) => when(a.last) },
  ];
  const c = r.connections;
  type Who = { kind: string; name: string; connections: number; sessions: number; meanMs: number };
  const who: Who[] = [];
  const add = (kind: string, counts: Record<string, number>, sessions: Record<string, { count: number; totalMs: number }>) => {
    for (const name of new Set([...Object.keys(counts), ...Object.keys(sessions)])) {
      const s = sessions[name];
      who.push({ kind, name, connections: counts[name] ?? 0, sessions: s?.count ?? 0, meanMs: s && s.count ? s.totalMs / s.count : 0 });
    }
  };
  add('user', c.byUser, c.sessions.byUser);
  add('database', c.byDatabase, c.sessions.byDatabase);
  add('host', c.byHost, c.sessions.byHost);
  const connections: Column<Who>[] = [
    { label: 'By', value: (w) => w.kind },
    { label: 'Name', value: (w) => w.name, wide: true },
    { label: 'Connections', value: (w) => w.connections, numeric: true },
    { label: 'Sessions ended', value: (w) => w.sessions, numeric: true },
    { label: 'Mean session', value: (w) => w.meanMs, cell: (w) => (w.sessions ? ms(w.meanMs) : '–'), numeric: true },
  ];
  const locks: Column<LogReport['locks'][number]>[] = [
    { label: 'Time', value: (l) => l.time, cell: (l) => when(l.time) },
    { label: 'Kind', value: (l) => l.kind, cell: (l) => h('span', { class: l.kind === 'deadlock' ? 'lvl lvl-error' : '' }, l.kind) },
    { label: 'Lock', value: (l) => `${l.lockType ?? ''} ${l.object ?? ''}`, wide: true },
    { label: 'Waited', value: (l) => l.waitedMs, cell: (l) => (l.waitedMs === undefined ? '–' : ms(l.waitedMs)), numeric: true },
    {
      label: 'Queries',
      value: (l) => `${l.query ?? ''} ${l.blockers.map((b) => b.query ?? '').join(' ')}`,
      cell: (l) =>
        h(
          'div',
          null,
          l.query ? code(l.query) : '–',
          ...l.blockers.map((b) => h('div', { class: 'sub' }, `blocked by ${b.pid}: `, b.query ? code(b.query) : '(no statement logged)')),
        ),
      wide: true,
    },
    { label: 'Line', value: (l) => l.line, cell: (l) => lineLink(l) },
  ];
  const temp: Column<LogReport['tempFiles'][number]>[] = [
    { label: 'Query', value: (t) => t.query, cell: (t) => code(t.query), wide: true },
    { label: 'Files', value: (t) => t.count, numeric: true },
    { label: 'Total', value: (t) => t.totalBytes, cell: (t) => bytes(t.totalBytes), numeric: true },
    { label: 'Largest', value: (t) => t.maxBytes, cell: (t) => bytes(t.maxBytes), numeric: true },
    { label: 'Sample', value: (t) => t.sample.line, cell: (t) => lineLink(t.sample) },
  ];
  const checkpoints: Column<LogReport['checkpoints'][number]>[] = [
    { label: 'Time', value: (k) => k.time, cell: (k) => when(k.time) },
    { label: 'Trigger', value: (k) => `${k.trigger} ${k.flags}`, cell: (k) => h('span', { title: k.flags }, k.trigger) },
    { label: 'Buffers', value: (k) => k.buffers, numeric: true },
    { label: 'Write s', value: (k) => k.writeS, numeric: true },
    { label: 'Sync s', value: (k) => k.syncS, numeric: true },
    { label: 'Total s', value: (k) => k.totalS, numeric: true },
    { label: 'Distance', value: (k) => k.distanceKb, cell: (k) => (k.distanceKb === undefined ? '–' : bytes(k.distanceKb * 1024)), numeric: true },
    { label: 'Line', value: (k) => k.line, cell: (k) => lineLink(k) },
  ];
  const vacuum: Column<LogReport['autovacuum'][number]>[] = [
    { label: 'Table', value: (v) => v.table, wide: true },
    { label: 'Vacuums', value: (v) => v.vacuums, numeric: true },
    { label: 'Analyzes', value: (v) => v.analyzes, numeric: true },
    { label: 'Wraparound', value: (v) => v.wraparound, numeric: true },
    { label: 'Total s', value: (v) => v.totalS, numeric: true },
    { label: 'Max s', value: (v) => v.maxS, numeric: true },
    { label: 'Pages removed', value: (v) => v.pagesRemoved, numeric: true },
    { label: 'Tuples removed', value: (v) => v.tuplesRemoved, numeric: true },
  ];
  const out = [
    table('statements', 'Slow statements', statements, r.statements, 'No duration line in this range (log_min_duration_statement is -1?).', 2),
    table(
      'plans',
      'auto_explain plans',
      plans,
      r.plans.map((p, index) => ({ ...p, index })),
      'No auto_explain plan in this range.',
      1,
    ),
    table('errors', 'Errors', errors, r.errors, 'No error in this range.', 3),
    table('logins', 'Failed logins', logins, c.authFailures, 'No failed login in this range.', 1),
    table('connections', 'Connections', connections, who, 'No connection logged in this range (log_connections is off?).', 2),
    table('locks', 'Locks and deadlocks', locks, r.locks, 'No lock wait or deadlock in this range (log_lock_waits is off?).', 0),
    table('temp', 'Temp files', temp, r.tempFiles, 'No temp file in this range (log_temp_files is -1?).', 2),
    table('checkpoints', 'Checkpoints', checkpoints, r.checkpoints, 'No checkpoint in this range (log_checkpoints is off?).', 0),
    table('autovacuum', 'Autovacuum', vacuum, r.autovacuum, 'No autovacuum in this range (log_autovacuum_min_duration is -1?).', 4),
  ];
  const b = r.pgbouncer;
  if (b) {
    type PoolError = (typeof b.poolErrors)[number];
    const poolErrors: Column<PoolError>[] = [
      { label: 'Message', value: (e) => e.pattern, wide: true },
      { label: 'Count', value: (e) => e.count, numeric: true },
      { label: 'Sample', value: (e) => e.sample.line, cell: (e) => lineLink(e.sample) },
    ];
    out.push(
      table(
        'bouncer',
        `PgBouncer: ${num(b.logins, 0)} logins, ${num(sum(b.closeReasons), 0)} closed`,
        poolErrors,
        b.poolErrors,
        'No PgBouncer error in this range.',
        1,
      ),
    );
    out.push(table('bouncerLogins', 'PgBouncer: failed logins', logins, b.loginFailures, 'No failed PgBouncer login in this range.', 1));
  }
  return out;
}

function sourcesLine(m: Shown): HTMLElement {
  const r = m.report;
  if (m.progress) {
    const pct = m.progress.total ? Math.floor((100 * m.progress.done) / m.progress.total) : 0;
    return h(
      'div',
      { class: 'subtitle' },
      `${m.source.text} · ${when(r.summary.first)} – ${when(r.summary.last)} UTC so far · ${pct} % read (${bytes(m.progress.done)} of ${bytes(m.progress.total)} in ${ms(m.readMs)})`,
    );
  }
  const unplaced = r.sources.reduce((n, s) => n + s.unplacedLines, 0);
  const lines = r.sources.reduce((n, s) => n + s.lines, 0);
  const formats = [...new Set(r.sources.map((s) => s.format))].join(', ');
  return h(
    'div',
    { class: 'subtitle' },
    `${m.source.text} · ${r.sources.length} file${r.sources.length === 1 ? '' : 's'} (${formats}) · ${when(r.summary.first)} – ${when(r.summary.last)} UTC · read ${num(lines, 0)} lines, ${bytes(m.readBytes)} in ${ms(m.readMs)} at ${when(m.readAt)}`,
    unplaced ? h('span', { class: 'warn' }, ` · ${num(unplaced, 0)} lines fit no entry (another log_line_prefix?)`) : null,
  );
}

function showReport(m: Shown): void {
  clear(app);
  const chartEl = h('div', { class: 'chart' });
  const b = bucketsOf(m.report, m.range);
  app.append(
    toolbar(m),
    sourcesLine(m),
    findings(m.report) ?? '',
    summary(m.report),
    h(
      'div',
      { class: 'chart-head' },
      h('h2', null, b.minutes ? 'Per minute (UTC)' : 'Per hour (UTC)'),
      h('span', { class: 'hint' }, 'drag across the chart to read that range'),
    ),
    chartEl,
    ...tables(m.report, m.canExplain),
  );
  drawChart(chartEl, b, (range: TimeRange) => host.post({ type: 'range', range }));
  afterPaint('logs');
}

function showMessage(cls: string, text: string, retry: boolean): void {
  clear(app);
  const box = h('div', { class: `message ${cls}` }, h('p', null, text));
  if (retry) {
    const b = h('button', null, 'Try again');
    b.addEventListener('click', () => host.post({ type: 'refresh' }));
    box.append(b);
  }
  app.append(box);
  afterPaint('logs');
}

/** Cancel for the read under way; the host stops it and says what is on screen. */
function cancelButton(): HTMLElement {
  const b = h('button', { class: 'secondary small cancel', title: 'Stop this read' }, 'Cancel');
  b.addEventListener('click', () => {
    b.setAttribute('disabled', '');
    host.post({ type: 'cancel' });
  });
  return b;
}

/** A note beside the range in the toolbar, before the buttons. */
function toolbarNote(note: HTMLElement): void {
  document.querySelector('.toolbar .spacer')?.before(note);
}

let last: Shown | undefined;
host.listen((data) => {
  const m = data as HostMessage;
  if (m.type === 'report') {
    last = m;
    showReport(m);
    // A read still under way: its note stays, with Cancel.
    if (m.progress) toolbarNote(h('span', { class: 'loading-note' }, 'Reading…', cancelButton()));
  } else if (m.type === 'loading') {
    // Over a report, a small note; on an empty page, the message.
    const toolbar = last ? document.querySelector('.toolbar') : null;
    if (toolbar) {
      document.querySelector('.loading-note')?.remove();
      toolbarNote(h('span', { class: 'loading-note' }, m.text, m.cancellable ? cancelButton() : null));
    } else {
      showMessage('loading', m.text, false);
      if (m.cancellable) document.querySelector('.message')?.append(cancelButton());
    }
  } else if (m.type === 'cancelled') {
    if (last) {
      // The report again, as it was before the read (and the chart without the stale brush).
      showReport(last);
      toolbarNote(h('span', { class: 'loading-note cancelled' }, m.message));
    } else showMessage('cancelled', m.message, true);
  } else if (m.type === 'failed') {
    if (last) document.querySelector('.loading-note')?.remove();
    showMessage('failed', m.message, true);
    last = undefined;
  }
});
