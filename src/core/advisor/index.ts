// src/core/advisor: index advice that proves itself — candidates from the top statements' parse
// trees, verified with HypoPG's hypothetical indexes, and their CREATE INDEX CONCURRENTLY.
export * from './types';
export { adviseIndexes, topAdvisorInputs, hypopgInstall, type AdviseOptions } from './advise';
export { applySuggestion } from './apply';
export { renderAdviceText, renderAdviceMarkdown } from './render';
