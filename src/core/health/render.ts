// The report as Markdown (opened in the editor, printed by the CLI) and as JSON. Markdown tables
// go through markdownTable.ts, so a '|' or a newline in a query cannot break them.
import { terminalJson } from '../terminalText';
import { toMarkdownTable } from '../markdownTable';
import { sortFindings } from './levels';
import { serverOrder } from './multi';
import type { CheckId, Finding, HealthLevel, HealthReport, MultiHealthReport } from './types';

export const CHECK_TITLES: Record<CheckId, string> = {
  'slow-queries': 'Slow queries',
  'slow-log': 'Slow query log',
  'cache-hit': 'Cache hit ratio',
  connections: 'Connections',
  autovacuum: 'Autovacuum activity',
  checkpoints: 'Checkpoint frequency',
  bloat: 'Table bloat',
  'index-usage': 'Index usage',
  growth: 'Database growth',
  backup: 'Backups',
  'index-optimisation': 'Index optimisation',
  'query-plans': 'Query plans',
  capacity: 'Capacity',
  access: 'Access',
  wraparound: 'Wraparound',
  sequences: 'Sequences and keys near their limit',
  'invalid-indexes': 'Invalid indexes',
  'redundant-indexes': 'Duplicate and redundant indexes',
  'fk-indexes': 'Foreign keys without an index',
  'invalid-constraints': 'Constraints not validated',
  'primary-keys': 'Tables without a primary key',
  'table-statistics': 'Table statistics',
  'vacuum-scale': 'Autovacuum scale factor of large tables',
  sessions: 'Sessions',
  replication: 'Replication',
  security: 'Security posture',
  'index-advice': 'Index advice',
  pgbouncer: 'PgBouncer',
};

// Words, not coloured emoji: they read the same in a terminal, a CI log and an editor without an emoji font.
const MARK: Record<HealthLevel, string> = { critical: 'CRITICAL', warning: 'WARNING', info: 'info', ok: 'ok' };

export const levelMark = (l: HealthLevel): string => MARK[l];

function countsLine(r: HealthReport): string {
  const c = r.summary.counts;
  return `${c.critical} critical, ${c.warning} warning, ${c.info} info, ${c.ok} ok`;
}

export function fence(text: string, kind: string): string {
  const lang = kind === 'sql' ? 'sql' : kind === 'setting' ? 'ini' : kind === 'command' ? 'sh' : '';
  // A fence longer than any backtick run inside, so the text cannot close it.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text}\n${f}`;
}

/** A finding that needs something done: heading, figures, why and the fix. */
function actionBlock(f: Finding, depth: number): string {
  const lines = [
    `${'#'.repeat(depth)} ${MARK[f.level]} · ${CHECK_TITLES[f.check]} · ${oneLine(f.subject)}`,
    '',
    `- **Observed:** ${oneLine(f.observed)}`,
    `- **Why:** ${oneLine(f.why)}`,
  ];
  if (f.fix) lines.push(`- **Fix** (${f.fix.kind}):`, '', fence(f.fix.text, f.fix.kind));
  return lines.join('\n') + '\n';
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ');

/** One server's report; `depth` 1 for a document of its own, 2 as a section of a multi-server report. */
export function renderMarkdown(r: HealthReport, depth = 1): string {
  const h = '#'.repeat(depth);
  const out: string[] = [];
  out.push(`${h} Health report: ${r.server.name}`, '');
  out.push(`${r.server.target} · PostgreSQL ${r.server.version ?? '?'} · ${r.generatedAt} · checks: ${r.schedules.join(', ')}`, '');
  out.push(`Worst: **${MARK[r.summary.worst]}** — ${countsLine(r)}`, '');
  const sorted = sortFindings(r.findings);
  out.push(
    toMarkdownTable(
      ['Level', 'Schedule', 'Check', 'Subject', 'Observed'],
      sorted.map((f) => ({ Level: MARK[f.level], Schedule: f.schedule, Check: CHECK_TITLES[f.check], Subject: f.subject, Observed: f.observed })),
    ),
  );
  const act = sorted.filter((f) => f.level !== 'ok' && (f.level !== 'info' || f.fix));
  if (act.length) {
    out.push(`${h}# What to do`, '');
    for (const f of act) out.push(actionBlock(f, depth + 2));
  }
  const notes = sorted.filter((f) => f.level === 'info' && !f.fix);
  if (notes.length) {
    out.push(`${h}# Notes`, '');
    for (const f of notes) out.push(`- **${CHECK_TITLES[f.check]} · ${oneLine(f.subject)}:** ${oneLine(f.why)}`);
    out.push('');
  }
  return out.join('\n');
}

/** The summary table server by server, then each server's section. */
export function renderMultiMarkdown(m: MultiHealthReport): string {
  if (m.servers.length === 1 && m.servers[0]!.ok) return renderMarkdown(m.servers[0]!.report);
  const out: string[] = [
    `# Health report: ${m.servers.length} server${m.servers.length === 1 ? '' : 's'}`,
    '',
    `${m.generatedAt} · worst: **${MARK[m.worst]}** · ${m.critical} critical (an unreachable server counts as one)`,
    '',
  ];
  const rows = [...m.servers].sort(serverOrder).map((s) =>
    s.ok
      ? {
          Server: s.report.server.name,
          Worst: MARK[s.report.summary.worst],
          Critical: s.report.summary.counts.critical,
          Warning: s.report.summary.counts.warning,
          Info: s.report.summary.counts.info,
          OK: s.report.summary.counts.ok,
          'Top finding': s.report.summary.top
            ? `${CHECK_TITLES[s.report.summary.top.check]} · ${s.report.summary.top.subject}: ${s.report.summary.top.observed}`
            : '',
        }
      : { Server: s.server.name, Worst: 'UNREACHABLE', Critical: '', Warning: '', Info: '', OK: '', 'Top finding': s.error },
  );
  out.push(toMarkdownTable(['Server', 'Worst', 'Critical', 'Warning', 'Info', 'OK', 'Top finding'], rows));
  for (const s of [...m.servers].sort(serverOrder)) {
    out.push(s.ok ? renderMarkdown(s.report, 2) : `## Health report: ${s.server.name}\n\n${s.server.target} · **UNREACHABLE**: ${oneLine(s.error)}\n`);
  }
  return out.join('\n');
}

export function renderJson(m: MultiHealthReport | HealthReport): string {
  // terminalJson: names from the server may hold C1 or bidi controls JSON.stringify leaves raw.
  return terminalJson(m) + '\n';
}
