// PgBouncer's log: "2026-12-01 16:07:07.461 UTC [123] LOG C-0x55d…: db/user@127.0.0.1:5432 login
// attempt: …", pooler errors, closing reasons and the periodic "stats:" lines. PgBouncer writes one
// line an event, so each line is an entry of its own.
import { parseLogTime } from './timestamp';
import { noteUnplaced, type ReadProblems } from './types';

const LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{3})?(?: [^\s]{1,10})?) (?:\[(\d+)\] )?(LOG|WARNING|ERROR|FATAL|NOISE|DEBUG|NOTICE) (.*)$/;
const CLIENT = /^([CS])-0x[0-9a-f]+: ([^\s/]{0,128})\/([^\s@]{0,128})@(\[[^\]]*\]|[^\s:]*):(\d+) (.*)$/;
const STATS =
  /^stats: (\d+) xacts\/s, (\d+) queries\/s(?:, client parses (\d+)\/s, server parses (\d+)\/s, binds (\d+)\/s)?, in (\d+) B\/s, out (\d+) B\/s, xact (\d+) us, query (\d+) us, wait (\d+) us/;

export interface BouncerLine {
  file: string;
  line: number;
  time?: number;
  level: string;
  /** C: a client's line, S: a server connection's. */
  side?: 'C' | 'S';
  database?: string;
  user?: string;
  address?: string;
  message: string;
  stats?: { xactsPerSec: number; queriesPerSec: number; inBytesPerSec: number; outBytesPerSec: number; xactUs: number; queryUs: number; waitUs: number };
}

export function looksLikePgbouncer(line: string): boolean {
  return LINE.test(line);
}

export function bouncerLine(text: string, file: string, lineNo: number, problems: ReadProblems): BouncerLine | undefined {
  const m = LINE.exec(text);
  if (!m) {
    noteUnplaced(problems, file, lineNo);
    return undefined;
  }
  const out: BouncerLine = { file, line: lineNo, level: m[3]!, message: m[4]! };
  const t = parseLogTime(m[1]!);
  if (t !== undefined) out.time = t;
  const c = CLIENT.exec(out.message);
  if (c) {
    out.side = c[1] as 'C' | 'S';
    if (c[2] && c[2] !== '(nodb)') out.database = c[2];
    if (c[3] && c[3] !== '(nouser)') out.user = c[3];
    out.address = c[4]!.replace(/^\[|\]$/g, '');
    out.message = c[6]!;
  }
  const s = STATS.exec(out.message);
  if (s)
    out.stats = {
      xactsPerSec: Number(s[1]),
      queriesPerSec: Number(s[2]),
      inBytesPerSec: Number(s[6]),
      outBytesPerSec: Number(s[7]),
      xactUs: Number(s[8]),
      queryUs: Number(s[9]),
      waitUs: Number(s[10]),
    };
  return out;
}
