// src/core/health: the seed's daily, weekly and monthly checks as a report (plain data),
// rendered as Markdown or JSON; over one server or many.
export * from './types';
export { summarize, worstLevel, sortFindings, thresholdLevel, LEVEL_RANK } from './levels';
export { runHealthCheck, runChecks, DEPTH_CHECKS, ALERT_CHECKS, type HealthOptions, type ChecksOptions, type DepthCheckId } from './run';
export { runMany, combine, SERVER_TIMEOUT_MS, type ServerJob } from './multi';
export { renderMarkdown, renderMultiMarkdown, renderJson, CHECK_TITLES, levelMark } from './render';
export { backupFindings, BACKUP_STALE_HOURS, BACKUP_CRITICAL_HOURS } from './backupCheck';
export type { HardwareHints } from './context';
export { SlowLogMemory, type SlowLogRead } from './slowLogMemory';
