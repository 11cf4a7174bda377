// Which format a log is, from its first lines: jsonlog, csvlog, PgBouncer's, syslog-prefixed or
// stderr; for stderr, which log_line_prefix (the one given, else the common one that places the
// most lines). The first time found is the file's place in time order.
import { COMMON_PREFIXES, compilePrefix, type PrefixMatcher } from './prefix';
import { looksLikePgbouncer } from './pgbouncer';
import { looksLikeSyslog } from './stderrParser';
import { parseLogTime } from './timestamp';
import type { LogFormat } from './types';

export interface Detected {
  format: LogFormat;
  matcher?: PrefixMatcher;
  /** The first timestamp of the head, for time order. */
  firstTime?: number;
}

const SAMPLE_LINES = 200;
const CSV_START = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}(?: [^\s,]{1,10})?),/;
const TIME = /\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d{1,6})?(?: ?(?:[A-Z]{1,5}|[+-]\d\d(?::?\d\d)?))?/;

function sampleLines(head: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (out.length < SAMPLE_LINES) {
    const nl = head.indexOf('\n', start);
    if (nl < 0) break; // the last, maybe cut, line is not a sample
    const line = head.slice(start, nl);
    if (line.trim() !== '' && line.charCodeAt(0) !== 9) out.push(line);
    start = nl + 1;
  }
  return out;
}

function firstTime(lines: string[]): number | undefined {
  for (const l of lines) {
    const m = TIME.exec(l.slice(0, 200));
    if (m) {
      const t = parseLogTime(m[0].replace('T', ' '));
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

export function detectFormat(label: string, head: string, given: { format?: LogFormat; prefix?: string } = {}): Detected {
  const lines = sampleLines(head);
  const t = firstTime(lines);
  const withTime = (d: Detected): Detected => (t === undefined ? d : { ...d, firstTime: t });
  const share = (test: (l: string) => boolean) => (lines.length === 0 ? 0 : lines.filter(test).length / lines.length);
  const name = label.replace(/\.gz$/i, '');
  let format = given.format;
  if (!format) {
    if (/\.json$/i.test(name) || share((l) => l.startsWith('{"timestamp":')) > 0.5) format = 'jsonlog';
    else if (/\.csv$/i.test(name) || share((l) => CSV_START.test(l)) > 0.5) format = 'csvlog';
    else if (share(looksLikePgbouncer) > 0.5) format = 'pgbouncer';
    else if (share(looksLikeSyslog) > 0.5) format = 'syslog';
    else format = 'stderr';
  }
  if (format !== 'stderr' && format !== 'syslog') return withTime({ format });
  const texts = format === 'syslog' ? lines.map((l) => l.replace(/^.*?\]: \[\d+-\d+\] /, '')) : lines;
  if (given.prefix !== undefined) return withTime({ format, matcher: compilePrefix(given.prefix) });
  let best = compilePrefix(COMMON_PREFIXES[0]!);
  let bestHits = -1;
  for (const p of COMMON_PREFIXES) {
    const m = compilePrefix(p);
    const hits = texts.filter((l) => m.match(l) !== undefined).length;
    if (hits > bestHits) {
      best = m;
      bestHits = hits;
    }
  }
  return withTime({ format, matcher: best });
}
