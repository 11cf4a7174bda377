// The dashboard panel's messages, both directions; the extension (src/vscode/dashboard) and the
// page (webview/dashboard) import this file. Each side validates what it receives: the host
// before acting on a request, the page before drawing (a malformed point must not break a chart).
import type { Alert } from '../stats/alerts';
import type { ThresholdLines } from './dashboardAlerts';
import { POINT_FIELDS, type DashboardPoint } from './rates';
import type { TopQuery } from './topQueries';

export interface DashboardInit {
  /** Connection profile name and the server's version, for the heading. */
  connection: string;
  serverVersion: string;
  intervalSeconds: number;
  thresholds: ThresholdLines;
  /** Points kept so far (a panel re-created after a reload starts from these). */
  history: DashboardPoint[];
  capacity: number;
  /** Why there are no host charts (the server's machine is not reachable from here), when there are none. */
  hostNote?: string;
}

export type HostMessage =
  | { type: 'init'; init: DashboardInit }
  | { type: 'sample'; point: DashboardPoint; alerts: Alert[] }
  | { type: 'topQueries'; rows: TopQuery[]; unavailable?: string }
  /** Sampling state: paused while the panel is hidden; error when the last tick failed; hostError when only its host read did. */
  | { type: 'status'; paused: boolean; error?: string; hostError?: string };

export type WebviewMessage =
  | { type: 'ready' }
  /** Explain the top query with this id (the host looks the text up: the page never sends SQL). */
  | { type: 'explain'; id: string }
  | { type: 'exportCsv' }
  | { type: 'refreshTopQueries' };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown) => v === null || isNum(v);
const isStr = (v: unknown, max = 100_000): v is string => typeof v === 'string' && v.length <= max;
const isStrOrNull = (v: unknown) => v === null || isStr(v);

export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isObj(value)) return undefined;
  switch (value.type) {
    case 'ready':
    case 'exportCsv':
    case 'refreshTopQueries':
      return { type: value.type };
    case 'explain':
      return isStr(value.id, 64) && /^[\w-]+$/.test(value.id) ? { type: 'explain', id: value.id } : undefined;
    default:
      return undefined;
  }
}

export function isPoint(v: unknown): v is DashboardPoint {
  if (!isObj(v) || !isNum(v.t)) return false;
  return POINT_FIELDS.every((f) => isNumOrNull(v[f]));
}

function isAlert(v: unknown): v is Alert {
  return (
    isObj(v) &&
    (v.level === 'warning' || v.level === 'critical') &&
    isStr(v.metric, 64) &&
    isStr(v.subject, 1000) &&
    isNum(v.value) &&
    isNum(v.threshold) &&
    isStr(v.unit, 8) &&
    isStr(v.message, 2000)
  );
}

function isTopQuery(v: unknown): v is TopQuery {
  return (
    isObj(v) &&
    isStr(v.id, 64) &&
    isStr(v.query) &&
    isStrOrNull(v.database) &&
    isStrOrNull(v.user) &&
    isNum(v.calls) &&
    isNum(v.totalMs) &&
    isNum(v.meanMs) &&
    isNum(v.rows) &&
    isNumOrNull(v.pctOfTotal) &&
    typeof v.generic === 'boolean' &&
    (v.notExplainable === undefined || isStr(v.notExplainable, 2000))
  );
}

const isPair = (v: unknown) => isObj(v) && isNum(v.warn) && isNum(v.crit);

function isInit(v: unknown): v is DashboardInit {
  return (
    isObj(v) &&
    isStr(v.connection, 1000) &&
    isStr(v.serverVersion, 200) &&
    isNum(v.intervalSeconds) &&
    isNum(v.capacity) &&
    isObj(v.thresholds) &&
    ['connectionsPct', 'cacheHitPct', 'checkpointsPerMinute', 'lockWaitSeconds', 'longQuerySeconds', 'idleInTransactionSeconds'].every((k) =>
      isPair((v.thresholds as Record<string, unknown>)[k]),
    ) &&
    Array.isArray(v.history) &&
    v.history.every(isPoint) &&
    (v.hostNote === undefined || isStr(v.hostNote, 2000))
  );
}

/** The page's check of what the host sent; undefined for anything malformed. */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isObj(value)) return undefined;
  switch (value.type) {
    case 'init':
      return isInit(value.init) ? { type: 'init', init: value.init } : undefined;
    case 'sample':
      return isPoint(value.point) && Array.isArray(value.alerts) && value.alerts.every(isAlert)
        ? { type: 'sample', point: value.point, alerts: value.alerts }
        : undefined;
    case 'topQueries':
      return Array.isArray(value.rows) && value.rows.every(isTopQuery) && (value.unavailable === undefined || isStr(value.unavailable, 2000))
        ? { type: 'topQueries', rows: value.rows, ...(value.unavailable !== undefined ? { unavailable: value.unavailable } : {}) }
        : undefined;
    case 'status':
      return typeof value.paused === 'boolean' &&
        (value.error === undefined || isStr(value.error, 2000)) &&
        (value.hostError === undefined || isStr(value.hostError, 2000))
        ? {
            type: 'status',
            paused: value.paused,
            ...(value.error !== undefined ? { error: value.error } : {}),
            ...(value.hostError !== undefined ? { hostError: value.hostError } : {}),
          }
        : undefined;
    default:
      return undefined;
  }
}
