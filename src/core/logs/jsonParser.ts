// jsonlog (15+) lines to entries: one object a line, with PostgreSQL's keys.
import { parseLogTime } from './timestamp';
import { noteUnplaced, type LogEntry, type ReadProblems } from './types';

interface JsonRecord {
  timestamp?: unknown;
  pid?: unknown;
  user?: unknown;
  dbname?: unknown;
  remote_host?: unknown;
  application_name?: unknown;
  error_severity?: unknown;
  state_code?: unknown;
  message?: unknown;
  detail?: unknown;
  hint?: unknown;
  context?: unknown;
  statement?: unknown;
  internal_query?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** jsonlog (15+): one object a line. */
export function jsonEntry(text: string, file: string, lineNo: number, problems: ReadProblems): LogEntry | undefined {
  let r: JsonRecord;
  try {
    r = JSON.parse(text) as JsonRecord;
  } catch {
    noteUnplaced(problems, file, lineNo);
    return undefined;
  }
  const level = str(r?.error_severity);
  const ts = str(r?.timestamp);
  const time = ts ? parseLogTime(ts) : undefined;
  if (!level || time === undefined) {
    noteUnplaced(problems, file, lineNo);
    return undefined;
  }
  const e: LogEntry = { file, line: lineNo, time, level, message: str(r.message) ?? '' };
  if (typeof r.pid === 'number') e.pid = r.pid;
  const set = (k: 'user' | 'database' | 'host' | 'application' | 'sqlstate' | 'detail' | 'hint' | 'context' | 'statement' | 'query', v: unknown) => {
    const s = str(v);
    if (s) e[k] = s;
  };
  set('user', r.user);
  set('database', r.dbname);
  set('host', r.remote_host);
  set('application', r.application_name);
  set('sqlstate', r.state_code);
  set('detail', r.detail);
  set('hint', r.hint);
  set('context', r.context);
  set('statement', r.statement);
  set('query', r.internal_query);
  return e;
}
