// The log report for a person: Markdown (also the terminal's text, escaped by the CLI), and one
// self-contained HTML page (no script, no remote resource; every value escaped). JSON is the
// report object itself.
import { toMarkdownTable } from '../markdownTable';
import type { LogReport } from './report';
import { refText, topCounts } from './refText';

const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(1)} ms`);
const bytes = (n: number) =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} kB`;
const oneLine = (s: string, max = 120) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
const top = topCounts;
const at = refText;

interface Section {
  title: string;
  columns: string[];
  rows: Record<string, string | number>[];
  empty: string;
}

function sections(r: LogReport): Section[] {
  const c = r.connections;
  const out: Section[] = [
    {
      title: 'Slow statements',
      columns: ['query', 'count', 'total', 'mean', 'p95', 'max', 'users', 'databases', 'worst'],
      rows: r.statements.slice(0, 20).map((s) => ({
        query: oneLine(s.query),
        count: s.count,
        total: ms(s.totalMs),
        mean: ms(s.meanMs),
        p95: ms(s.p95Ms),
        max: ms(s.maxMs),
        users: top(s.users),
        databases: top(s.databases),
        worst: `${at(s.worst)}${s.worst.parameters ? ` ${oneLine(s.worst.parameters, 60)}` : ''}`,
      })),
      empty: 'no duration lines (log_min_duration_statement is off, or nothing was that slow)',
    },
    {
      title: 'Errors',
      columns: ['level', 'sqlstate', 'message', 'count', 'sample'],
      rows: r.errors
        .slice(0, 30)
        .map((e) => ({ level: e.level, sqlstate: e.sqlstate ?? '', message: oneLine(e.pattern), count: e.count, sample: at(e.sample) })),
      empty: 'no ERROR, FATAL or PANIC',
    },
    {
      title: 'Failed logins by client address',
      columns: ['address', 'count', 'users', 'reasons', 'last'],
      rows: c.authFailures.slice(0, 20).map((a) => ({ address: a.address, count: a.count, users: top(a.users), reasons: top(a.reasons), last: a.last ?? '' })),
      empty: 'none',
    },
    {
      title: 'Locks and deadlocks',
      columns: ['kind', 'time', 'lock', 'waited', 'query', 'blocked by', 'at'],
      rows: r.locks.slice(0, 30).map((l) => ({
        kind: l.kind,
        time: l.time ?? '',
        lock: l.lockType ? `${l.lockType} on ${l.object ?? ''}` : '',
        waited: l.waitedMs !== undefined ? ms(l.waitedMs) : '',
        query: oneLine(l.query ?? '', 80),
        'blocked by': l.blockers.map((b) => `${b.pid}${b.query ? `: ${oneLine(b.query, 60)}` : ''}`).join('; '),
        at: at(l),
      })),
      empty: 'none logged (log_lock_waits is off, or no wait passed deadlock_timeout)',
    },
    {
      title: 'Temp files',
      columns: ['query', 'count', 'total', 'max'],
      rows: r.tempFiles.slice(0, 20).map((t) => ({ query: oneLine(t.query), count: t.count, total: bytes(t.totalBytes), max: bytes(t.maxBytes) })),
      empty: 'none logged (log_temp_files is off, or none was written)',
    },
    {
      title: 'Checkpoints',
      columns: ['time', 'trigger', 'flags', 'buffers', 'write', 'sync', 'total', 'distance'],
      rows: r.checkpoints.slice(-30).map((k) => ({
        time: k.time ?? '',
        trigger: k.trigger,
        flags: k.flags,
        buffers: k.buffers ?? '',
        write: k.writeS !== undefined ? `${k.writeS} s` : '',
        sync: k.syncS !== undefined ? `${k.syncS} s` : '',
        total: k.totalS !== undefined ? `${k.totalS} s` : '',
        distance: k.distanceKb !== undefined ? `${k.distanceKb} kB` : '',
      })),
      empty: 'none logged (log_checkpoints is off)',
    },
    {
      title: 'Autovacuum and autoanalyze',
      columns: ['table', 'vacuums', 'analyzes', 'time', 'pages removed', 'tuples removed'],
      rows: r.autovacuum.slice(0, 20).map((v) => ({
        table: v.table,
        vacuums: v.vacuums,
        analyzes: v.analyzes,
        time: `${v.totalS} s`,
        'pages removed': v.pagesRemoved,
        'tuples removed': v.tuplesRemoved,
      })),
      empty: 'none logged (log_autovacuum_min_duration is -1)',
    },
    {
      title: 'Connections and sessions per hour',
      columns: ['hour', 'statements', 'errors', 'connections', 'disconnections'],
      rows: r.hourly.map((h) => ({ ...h })),
      empty: 'no timed entries',
    },
  ];
  if (r.pgbouncer) {
    const b = r.pgbouncer;
    out.push({
      title: 'PgBouncer',
      columns: ['what', 'count', 'detail'],
      rows: [
        { what: 'logins', count: b.logins, detail: '' },
        ...b.loginFailures.map((a) => ({ what: `failed logins from ${a.address}`, count: a.count, detail: top(a.reasons) })),
        ...b.poolErrors.slice(0, 20).map((e) => ({ what: 'error', count: e.count, detail: oneLine(e.pattern) })),
        ...(b.stats.length
          ? [{ what: 'stats lines', count: b.stats.length, detail: `peak ${Math.max(...b.stats.map((x) => x.queriesPerSec))} queries/s` }]
          : []),
      ],
      empty: '',
    });
  }
  return out;
}

function summaryLines(r: LogReport): string[] {
  const s = r.summary;
  const c = r.connections;
  return [
    `${s.first ?? '?'} – ${s.last ?? '?'}: ${s.entries} entries from ${r.sources.length} file(s)`,
    `statements ${s.statements} (${s.statementGroups} distinct), errors ${s.errors}, fatals ${s.fatals}, warnings ${s.warnings}`,
    `connections ${s.connections}, disconnections ${s.disconnections} (mean session ${ms(c.sessions.meanMs)}), too many clients ${c.tooManyClients.count}`,
    `checkpoints ${s.checkpoints} (${r.checkpoints.filter((k) => k.trigger === 'timed').length} timed), autovacuums ${s.autovacuums}, autoanalyzes ${s.autoanalyzes}, temp files ${s.tempFiles}, lock waits ${s.lockWaits}, deadlocks ${s.deadlocks}`,
  ];
}

export function renderMarkdown(r: LogReport): string {
  let out =
    '# Log report\n\n' +
    summaryLines(r)
      .map((l) => `- ${l}`)
      .join('\n') +
    '\n\n';
  if (r.findings.length) out += '## Findings\n\n' + r.findings.map((f) => `- **${f.level}** ${f.message}${f.fix ? ` — ${f.fix}` : ''}`).join('\n') + '\n\n';
  for (const s of sections(r)) {
    out += `## ${s.title}\n\n`;
    out += s.rows.length ? toMarkdownTable(s.columns, s.rows) + '\n' : `_${s.empty}_\n\n`;
  }
  out +=
    '## Sources\n\n' +
    toMarkdownTable(
      ['file', 'format', 'prefix', 'lines', 'unplaced', 'cut last line'],
      r.sources.map((x) => ({
        file: x.label,
        format: x.format,
        prefix: x.prefix ?? '',
        lines: x.lines,
        unplaced: x.unplacedLines,
        'cut last line': x.incompleteTail ? 'yes' : '',
      })),
    );
  return out;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderHtml(r: LogReport): string {
  const table = (s: Section) =>
    s.rows.length
      ? `<table><thead><tr>${s.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${s.rows
          .map((row) => `<tr>${s.columns.map((c) => `<td>${esc(String(row[c] ?? ''))}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`
      : `<p><em>${esc(s.empty)}</em></p>`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>pgdba log report</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}th{background:#eee}.warning{color:#a60}.critical{color:#c00}</style></head><body>
<h1>Log report</h1><ul>${summaryLines(r)
    .map((l) => `<li>${esc(l)}</li>`)
    .join('')}</ul>
${r.findings.length ? `<h2>Findings</h2><ul>${r.findings.map((f) => `<li class="${f.level}"><b>${f.level}</b> ${esc(f.message)}${f.fix ? ` — ${esc(f.fix)}` : ''}</li>`).join('')}</ul>` : ''}
${sections(r)
  .map((s) => `<h2>${esc(s.title)}</h2>${table(s)}`)
  .join('\n')}
</body></html>
`;
}
