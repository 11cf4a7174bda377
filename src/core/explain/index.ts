// src/core/explain: plan parsing (JSON and text), node metrics, insights.
export * from './planTypes';
export * from './insightTypes';
export { parsePlan, looksLikeJson } from './parsePlan';
export { planInsights } from './insights';
