// The index advisor's report as plain data: what the CLI prints as text or JSON, the health
// check turns into findings, and VS Code shows before it creates anything.

/** dexter's rules: a statement worth an index costs at least this much … */
export const MIN_COST = 100;
/** … and its cost falls at least this share with the index. */
export const MIN_FALL = 0.5;

export type HypopgState = { state: 'installed'; version: string; schema: string } | { state: 'available'; version: string } | { state: 'missing' };

/** A statement to advise on, as pg_stat_statements records it. */
export interface AdvisorInput {
  query: string;
  queryid?: string | null;
  calls?: number;
  totalExecMs?: number;
}

export interface SuggestedStatement {
  query: string;
  queryid: string | null;
  calls: number;
  totalExecMs: number;
  /** The planner's total cost now. */
  costBefore: number;
  /** With the index (hypothetical, HypoPG); undefined when not verified. */
  costAfter?: number;
  /** Percent the cost falls by. */
  fallPct?: number;
}

/** One step of creating the index, and what takes it back if a later step fails. */
export interface IndexStep {
  sql: string;
  undo?: string;
}

export interface IndexSuggestion {
  /** "schema.table (a, b)". */
  id: string;
  schema: string;
  table: string;
  /** Key columns or expressions as a person reads them. */
  keys: string[];
  partitioned: boolean;
  /** Proved with a hypothetical index; false: a candidate from the statement's text alone. */
  verified: boolean;
  /** The statements it speeds up (verified) or would serve (not verified). */
  statements: SuggestedStatement[];
  /** CREATE INDEX CONCURRENTLY …; — one statement, or for a partitioned table each partition's and the ATTACH. */
  sql: string;
  steps: IndexStep[];
}

export type StatementOutcome = 'suggested' | 'candidate' | 'cheap' | 'no-gain' | 'no-candidate' | 'not-explained';

export interface ExaminedStatement {
  query: string;
  outcome: StatementOutcome;
  costBefore?: number;
  /** In words: why nothing is suggested for it, or what is. */
  reason: string;
}

export interface AdvisorReport {
  hypopg: HypopgState;
  verified: boolean;
  /** How to get HypoPG, when it is not installed. */
  install?: string;
  suggestions: IndexSuggestion[];
  examined: ExaminedStatement[];
}
