// stderr (and syslog-prefixed) lines to entries: a line the prefix matches starts an entry, or
// adds its DETAIL/HINT/CONTEXT/STATEMENT/QUERY to the pending entry of the same process; a line
// starting with a tab continues the field before it (PostgreSQL indents the further lines of a
// multi-line message so). The last WINDOW entries are held, in order, before they go out: a
// DETAIL of a process finds its entry even when another process's line came between (stderr
// without the logging collector can interleave), and entries still go out in the log's order.
import type { PrefixMatcher } from './prefix';
import { parseLogTime } from './timestamp';
import { noteUnplaced, type LogEntry, type ReadProblems } from './types';

const WINDOW = 16;

type SecondaryField = 'detail' | 'hint' | 'context' | 'statement' | 'query';
const SECONDARY: Record<string, SecondaryField | undefined> = { DETAIL: 'detail', HINT: 'hint', CONTEXT: 'context', STATEMENT: 'statement', QUERY: 'query' };

// "Dec  1 16:07:07 db1 postgres[5421]: [4-1] " or RFC 5424's "2026-12-01T16:07:07.461+00:00 db1 postgres[5421]: [4-1] ".
const SYSLOG = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT[^\s]{8,40}) [^\s]{1,255} [^\s[]{1,64}\[\d{1,10}\]: \[\d{1,20}-(\d{1,10})\] /;

export function looksLikeSyslog(line: string): boolean {
  return SYSLOG.test(line);
}

export class StderrParser {
  private readonly held: LogEntry[] = [];
  /** The entry the last line went to, and which of its fields a tab line continues. */
  private last: LogEntry | undefined;
  private lastField: 'message' | SecondaryField = 'message';

  constructor(
    private readonly file: string,
    private readonly matcher: PrefixMatcher,
    private readonly syslog: boolean,
    private readonly emit: (e: LogEntry) => void,
    private readonly problems: ReadProblems,
  ) {}

  line(raw: string, lineNo: number): void {
    let text = raw;
    if (this.syslog) {
      const m = SYSLOG.exec(raw);
      if (!m) return noteUnplaced(this.problems, this.file, lineNo);
      text = raw.slice(m[0].length);
      if (m[1] !== '1') {
        // A continuation chunk; syslog wrote the tab as #011.
        return this.continueLast(text.startsWith('#011') ? text.slice(4) : text, lineNo);
      }
      if (text.startsWith('#011')) return this.continueLast(text.slice(4), lineNo);
    }
    if (text.charCodeAt(0) === 9) return this.continueLast(text.slice(1), lineNo);
    const m = this.matcher.match(text);
    if (!m) return noteUnplaced(this.problems, this.file, lineNo);
    const message = text.slice(m.messageStart);
    const pid = m.pid === undefined ? undefined : Number(m.pid);
    const field = SECONDARY[m.level];
    if (field || m.level === 'LOCATION') {
      const owner = pid === undefined || this.last?.pid === pid ? this.last : (this.heldOf(pid) ?? this.last);
      if (!owner) return noteUnplaced(this.problems, this.file, lineNo);
      if (field) owner[field] = owner[field] === undefined ? message : `${owner[field]}\n${message}`;
      this.last = owner;
      this.lastField = field ?? 'message';
      return;
    }
    const entry: LogEntry = { file: this.file, line: lineNo, level: m.level, message };
    if (m.time !== undefined) {
      const t = /^\d+\.\d{3}$/.test(m.time) ? Number(m.time) * 1000 : parseLogTime(m.time);
      if (t !== undefined) entry.time = t;
    }
    if (pid !== undefined) entry.pid = pid;
    if (m.user !== undefined) entry.user = m.user;
    if (m.database !== undefined) entry.database = m.database;
    if (m.host !== undefined) entry.host = m.host;
    if (m.application !== undefined) entry.application = m.application;
    if (m.sqlstate !== undefined) entry.sqlstate = m.sqlstate;
    this.held.push(entry);
    if (this.held.length > WINDOW) this.emit(this.held.shift()!);
    this.last = entry;
    this.lastField = 'message';
  }

  private heldOf(pid: number): LogEntry | undefined {
    for (let i = this.held.length - 1; i >= 0; i--) if (this.held[i]!.pid === pid) return this.held[i];
    return undefined;
  }

  private continueLast(text: string, lineNo: number): void {
    const e = this.last;
    if (!e) return noteUnplaced(this.problems, this.file, lineNo);
    const f = this.lastField;
    e[f] = `${e[f] ?? ''}\n${text}`;
  }

  /** Emits every entry still held (the end of the input). */
  end(): void {
    for (const e of this.held) this.emit(e);
    this.held.length = 0;
    this.last = undefined;
  }
}
