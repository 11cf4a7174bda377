// The dashboard core: the sampling query, rates over counter resets, history and CSV, alerts on
// points, top queries, and the panel's message protocol. No vscode import (DESIGN.md).
export * from './sampleQuery';
export * from './rates';
export * from './history';
export * from './dashboardAlerts';
export * from './topQueries';
export * from './sampler';
export * from './dashboardProtocol';
