// Findings are plain data: the CLI prints them, the VS Code adapter turns them into
// Diagnostics, the tests compare them. Positions are 1-based lines and columns, as editors and
// compilers print them; endColumn is exclusive.

export type Severity = 'error' | 'warning' | 'info';

export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A text edit that fixes a finding: replace `range` with `newText`. */
export interface FindingFix {
  title: string;
  range: SourceRange;
  newText: string;
}

export interface Finding extends SourceRange {
  file: string;
  severity: Severity;
  /** Stable code: PGC### (postgresql.conf), HBA### (pg_hba.conf), PGB### (pgbouncer.ini). */
  code: string;
  message: string;
  fix?: FindingFix;
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
