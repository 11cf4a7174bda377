// One log entry as the reports read it, whatever the file's format: a primary line (LOG, ERROR …)
// with the DETAIL/HINT/CONTEXT/STATEMENT/QUERY lines that belong to it folded in.

export type LogFormat = 'stderr' | 'csvlog' | 'jsonlog' | 'syslog' | 'pgbouncer';

export interface LogEntry {
  /** Where its first line is: the source's label and a 1-based line number. */
  file: string;
  line: number;
  /** Milliseconds since the epoch; undefined when the prefix has no time. */
  time?: number;
  pid?: number;
  user?: string;
  database?: string;
  /** The client's address (%h, %r, csv/json's connection fields). */
  host?: string;
  application?: string;
  /** LOG, ERROR, FATAL, PANIC, WARNING, NOTICE, INFO, DEBUG1…5. */
  level: string;
  sqlstate?: string;
  message: string;
  detail?: string;
  hint?: string;
  context?: string;
  statement?: string;
  /** QUERY: the internal query of an error in a function. */
  query?: string;
}

/** The severities of a primary line, and the lines that belong to the one before. */
export const PRIMARY_LEVELS = ['DEBUG5', 'DEBUG4', 'DEBUG3', 'DEBUG2', 'DEBUG1', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'LOG', 'FATAL', 'PANIC'] as const;
export const SECONDARY_LEVELS = ['DETAIL', 'HINT', 'CONTEXT', 'STATEMENT', 'QUERY', 'LOCATION'] as const;

/** What a read could not place, said in numbers with the first few line numbers. */
export interface ReadProblems {
  /** Lines that matched no prefix and followed no entry (the prefix is wrong, or garbage). */
  unplacedLines: number;
  unplacedSamples: { file: string; line: number }[];
  /** Lines longer than the bound, cut there. */
  oversizedLines: number;
  /** An incomplete last line (no newline yet): left for the next read. */
  incompleteTail: boolean;
}

export function emptyProblems(): ReadProblems {
  return { unplacedLines: 0, unplacedSamples: [], oversizedLines: 0, incompleteTail: false };
}

export function noteUnplaced(p: ReadProblems, file: string, line: number): void {
  p.unplacedLines++;
  if (p.unplacedSamples.length < 5) p.unplacedSamples.push({ file, line });
}
