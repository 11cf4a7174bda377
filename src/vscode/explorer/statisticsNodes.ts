// "Statistics": the seed's monitoring queries, each correct for the server's version.
import * as vscode from 'vscode';
import { databaseCacheHitQuery, indexCacheHitQuery } from '../../core/stats/cacheHit';
import { tableBloatQuery } from '../../core/stats/bloat';
import { indexUsageQuery, seqScanTablesQuery, tableSizesQuery } from '../../core/stats/usage';
import { databasesQuery } from '../../core/stats/databases';
import { checkpoints, checkpointsQuery, wal } from '../../core/stats/checkpoints';
import { checkpointRate } from '../../core/stats/alerts';
import { autovacuumTablesQuery, vacuumProgressQuery } from '../../core/stats/autovacuum';
import { statementsReadiness, statementsStatus, topStatements, topStatementsQuery } from '../../core/stats/statements';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../core/stats/thresholds';
import { inlineSql } from '../../core/stats/sql';
import { formatAgo, formatBytes, formatCount, formatDuration, formatPct } from '../../core/format';
import { emptyNode, group, leaf, type ExplorerNode } from './node';
import { queryGroup } from './queryGroup';
import { healthChecksGroup } from './healthNodes';
import { knownVersionNum, type ServerSession } from './session';
import { settledChildren } from './settled';
import type { NodeData } from './nodeData';

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
const warnIcon = (bad: boolean, id: string) => (bad ? icon('warning', 'problemsWarningIcon.foreground') : icon(id));

/** Data for "Create pg_stat_statements". */
export function statisticsGroup(s: ServerSession, base: string, thresholds: Thresholds = DEFAULT_THRESHOLDS): ExplorerNode {
  const id = `${base}/stats`;
  const t = thresholds;
  return group(
    id,
    'Statistics',
    () =>
      Promise.resolve([
        queryGroup({
          id: `${id}/cacheDb`,
          label: 'Cache hit ratio per database',
          session: s,
          def: databaseCacheHitQuery,
          args: {},
          icon: icon('dashboard'),
          row: (r) =>
            leaf(`${id}/cacheDb/${r.database}`, r.database, {
              description: `${formatPct(r.hitRatioPct, 2)} · ${formatCount(r.blocksRead)} reads`,
              icon: warnIcon(r.hitRatioPct !== null && r.hitRatioPct < t.cacheHitRatioPct.warn && r.blocksRead >= t.cacheHitRatioPct.minBlocks, 'database'),
            }),
        }),
        queryGroup({
          id: `${id}/cacheIdx`,
          label: 'Cache hit ratio per index',
          session: s,
          def: indexCacheHitQuery,
          args: { limit: 100 },
          icon: icon('key'),
          empty: 'no index has read from disk',
          row: (r) =>
            leaf(`${id}/cacheIdx/${r.schema}.${r.index}`, `${r.schema}.${r.index}`, { description: `${formatPct(r.hitRatioPct, 2)} · on ${r.table}` }),
        }),
        queryGroup({
          id: `${id}/bloat`,
          label: 'Table bloat (estimate)',
          session: s,
          def: tableBloatQuery,
          args: { limit: 100 },
          icon: icon('symbol-misc'),
          empty: 'no table over 1 MB',
          row: (r) =>
            leaf(`${id}/bloat/${r.schema}.${r.table}`, `${r.schema}.${r.table}`, {
              description: `${formatPct(r.bloatPct, 0)} · ${formatBytes(r.bloatBytes)} of ${formatBytes(r.realBytes)}${r.estimateReliable ? '' : ' · rough'}`,
              icon: warnIcon(r.bloatPct >= t.tableBloatPct.warn, 'table'),
            }),
        }),
        queryGroup({
          id: `${id}/idxUsage`,
          label: 'Index usage',
          session: s,
          def: indexUsageQuery,
          args: { limit: 100 },
          icon: icon('key'),
          row: (r) =>
            leaf(`${id}/idxUsage/${r.schema}.${r.index}`, `${r.schema}.${r.index}`, {
              description: `${formatCount(r.scans)} scans · ${formatBytes(r.bytes)} · ${r.isValid ? r.usage : 'invalid'}${r.backsConstraint ? ' (constraint)' : ''}`,
              icon: warnIcon((r.usage === 'unused' && !r.backsConstraint) || !r.isValid, 'key'),
            }),
        }),
        queryGroup({
          id: `${id}/seq`,
          label: 'Tables with many sequential scans',
          session: s,
          def: seqScanTablesQuery,
          args: {},
          icon: icon('list-flat'),
          empty: 'none above 100 sequential scans',
          row: (r) =>
            leaf(`${id}/seq/${r.schema}.${r.table}`, `${r.schema}.${r.table}`, {
              description: `${formatCount(r.seqScans)} seq / ${r.idxScans === null ? '–' : formatCount(r.idxScans)} idx · ${formatCount(r.liveTuples)} rows`,
              icon: warnIcon(r.considerIndex, 'table'),
            }),
        }),
        queryGroup({
          id: `${id}/sizes`,
          label: 'Largest tables',
          session: s,
          def: tableSizesQuery,
          args: { limit: 50 },
          icon: icon('graph'),
          row: (r) =>
            leaf(`${id}/sizes/${r.schema}.${r.table}`, `${r.schema}.${r.table}`, {
              description: `${formatBytes(r.totalBytes)} (table ${formatBytes(r.tableBytes)})`,
            }),
        }),
        queryGroup({
          id: `${id}/dbSizes`,
          label: 'Database sizes',
          session: s,
          def: databasesQuery,
          args: {},
          icon: icon('database'),
          row: (r) => leaf(`${id}/dbSizes/${r.name}`, r.name, { description: formatBytes(r.bytes) }),
        }),
        checkpointsGroup(s, `${id}/checkpoints`, t),
        queryGroup({
          id: `${id}/autovacuum`,
          label: 'Autovacuum',
          session: s,
          def: autovacuumTablesQuery,
          args: { limit: 50 },
          icon: icon('sync'),
          row: (r) =>
            leaf(`${id}/autovacuum/${r.schema}.${r.table}`, `${r.schema}.${r.table}`, {
              description: `${formatCount(r.deadTuples)} dead (vacuum at ${formatCount(r.vacuumThreshold)}) · last ${formatAgo(r.lastAutovacuum)}${r.enabled ? '' : ' · autovacuum off'}`,
              icon: warnIcon(r.due, 'table'),
            }),
        }),
        queryGroup({
          id: `${id}/vacuumRunning`,
          label: 'Vacuums running now',
          session: s,
          def: vacuumProgressQuery,
          args: {},
          icon: icon('loading'),
          empty: 'none',
          row: (r) =>
            leaf(`${id}/vacuumRunning/${r.pid}`, `pid ${r.pid} ${r.phase}`, {
              description: `${formatCount(r.heapBlocksScanned)}/${formatCount(r.heapBlocksTotal)} blocks · ${formatDuration(r.runningSeconds)}`,
            }),
        }),
        topQueriesGroup(s, `${id}/top`),
        healthChecksGroup(s, id, t),
      ]),
    { icon: icon('graph-line') },
  );
}

function checkpointsGroup(s: ServerSession, id: string, t: Thresholds): ExplorerNode {
  return group(
    id,
    'Checkpoints and WAL',
    () =>
      settledChildren(id, 'Checkpoints', async () => {
        const [c, w] = await s.run((q, versionNum) => Promise.all([checkpoints(q, { versionNum }), wal(q, { versionNum })]));
        const nodes: ExplorerNode[] = [];
        if (c) {
          const rate = checkpointRate(c);
          nodes.push(
            leaf(`${id}/rate`, 'Checkpoints per minute', {
              description: `${rate === undefined ? '–' : rate.toFixed(2)} since stats reset ${formatAgo(c.statsReset)}`,
              icon: warnIcon(rate !== undefined && rate > t.checkpointsPerMinute.warn, 'history'),
            }),
            leaf(`${id}/timed`, 'Timed / requested', {
              description: `${formatCount(c.timed)} / ${formatCount(c.requested)}`,
              tooltip: 'Many requested checkpoints mean max_wal_size is too small for the write load.',
            }),
            leaf(`${id}/written`, 'Buffers written by checkpoints', { description: formatCount(c.buffersWritten) }),
            leaf(`${id}/times`, 'Write / sync time', { description: `${formatDuration(c.writeTimeMs / 1000)} / ${formatDuration(c.syncTimeMs / 1000)}` }),
          );
        }
        if (w) {
          nodes.push(leaf(`${id}/wal`, 'WAL written', { description: `${formatBytes(w.totalBytes)} (at ${w.currentLsn})` }));
          if (w.fullPageImages !== null) nodes.push(leaf(`${id}/fpi`, 'Full-page images', { description: formatCount(w.fullPageImages) }));
        }
        return nodes;
      }),
    { icon: icon('history'), sql: inlineSql(checkpointsQuery.build({ versionNum: knownVersionNum(s) })) },
  );
}

function topQueriesGroup(s: ServerSession, id: string): ExplorerNode {
  return group(
    id,
    'Top queries (pg_stat_statements)',
    () =>
      settledChildren(id, 'Top queries', async () => {
        const status = await s.run((q, versionNum) => statementsStatus(q, { versionNum }));
        const ready = statementsReadiness(status);
        if (!ready.ready) {
          const node = leaf(`${id}#notready`, ready.needsRestart ? 'pg_stat_statements is not loaded' : 'pg_stat_statements is not available', {
            icon: icon('info'),
            tooltip: ready.reason,
            description: ready.fixSql ? 'click to fix' : undefined,
            contextValue: 'pgdba.statementsFix',
            command: ready.fixSql
              ? {
                  command: 'pgdba.fixPgStatStatements',
                  title: 'Fix',
                  arguments: [
                    { kind: 'statementsFix', profileName: s.profile.name, fixSql: ready.fixSql, needsRestart: ready.needsRestart } satisfies NodeData,
                  ],
                }
              : undefined,
          });
          return [node];
        }
        const rows = await s.run((q, versionNum) =>
          topStatements(q, { versionNum, schema: status.schema ?? 'public', extVersion: status.installedVersion, limit: 50, maxQueryLength: 500 }),
        );
        if (rows.length === 0) return [emptyNode(id, 'no statements recorded yet')];
        return rows.map((r, i) =>
          leaf(`${id}/${r.queryid ?? i}`, (r.query ?? '').replace(/\s+/g, ' ').slice(0, 70), {
            description: `${formatDuration(r.totalExecMs / 1000)} total · ${r.meanExecMs.toFixed(1)} ms mean · ${formatCount(r.calls)} calls${r.pctOfTotal !== null ? ` · ${formatPct(r.pctOfTotal, 0)}` : ''}`,
            tooltip: new vscode.MarkdownString().appendCodeblock(r.query ?? '', 'sql'),
            icon: icon('symbol-event'),
            sql: r.query ?? undefined,
          }),
        );
      }),
    { icon: icon('flame'), sql: inlineSql(topStatementsQuery.build({ versionNum: knownVersionNum(s) })) },
  );
}
