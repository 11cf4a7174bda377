// EXPLAIN's option list for a server version: what each major accepts (SETTINGS 12+, WAL 13+,
// SERIALIZE and MEMORY 17+; BUFFERS without ANALYZE 13+; WAL and SERIALIZE only with ANALYZE).

export interface ExplainOptions {
  analyze: boolean;
  buffers?: boolean;
  verbose?: boolean;
  settings?: boolean;
  wal?: boolean;
  /** 17+: time and size of sending the rows (only with ANALYZE). */
  serialize?: boolean;
  /** 17+: planner memory. */
  memory?: boolean;
  /** 16+, without ANALYZE: plan text with $n parameters (pg_stat_statements' normalised queries). */
  genericPlan?: boolean;
}

export const DEFAULT_OPTIONS: ExplainOptions = { analyze: true, buffers: true, verbose: true, settings: true, wal: true };

export function explainOptionList(o: ExplainOptions, major: number): string[] {
  const out: string[] = [];
  if (o.analyze) out.push('ANALYZE');
  if (o.verbose) out.push('VERBOSE');
  if (o.buffers && (o.analyze || major >= 13)) out.push('BUFFERS');
  if (o.settings && major >= 12) out.push('SETTINGS');
  if (o.wal && o.analyze && major >= 13) out.push('WAL');
  if (o.serialize && o.analyze && major >= 17) out.push('SERIALIZE');
  if (o.memory && major >= 17) out.push('MEMORY');
  if (o.genericPlan && !o.analyze && major >= 16) out.push('GENERIC_PLAN');
  out.push('FORMAT JSON');
  return out;
}
