// The stats core: version-aware SQL for the explorer's nodes, typed rows, thresholds and alerts.
// Every query is a QueryDef (SQL + row shape) and a function (q, args) => rows; see query.ts.
export * from './sql';
export * from './errors';
export * from './query';
export * from './access';
export * from './server';
export * from './settings';
export * from './settingsChange';
export * from './databases';
export * from './tables';
export * from './indexes';
export * from './activity';
export * from './cacheHit';
export * from './usage';
export * from './bloat';
export * from './checkpoints';
export * from './autovacuum';
export * from './statements';
export * from './thresholds';
export * from './alerts';
export * from './runningValues';
export * from './wraparound';
export * from './sequences';
export * from './indexDefects';
export * from './tableDefects';
export * from './longSessions';
export * from './security';
