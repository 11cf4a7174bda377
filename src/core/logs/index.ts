// Log insights (#17): read a server's log (files through HostAccess, or SQL) into one report.
export { LogAnalyzer, type AnalyzeOptions } from './analyzer';
export { Fingerprinter } from './fingerprint';
export { readLogs, type LogCursor, type ReadLogsOptions } from './read';
export { LogIndex } from './timeIndex';
export {
  hostFileSource,
  listHostFiles,
  listSqlLogFiles,
  oneFormatOnly,
  serverLogDirectory,
  sqlFileSource,
  sqlLogGrant,
  type LogSource,
  type SqlRunner,
} from './sources';
export type * from './report';
export type { LogFormat } from './types';
export { planPasteText } from './autoExplain';
export { bindParameters, boundSample, parseLoggedParameters } from './boundStatement';
