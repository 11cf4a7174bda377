// "Databases" → schemas → tables (paged: a schema of 10,000 tables expands one page at a time)
// → indexes. Each database's branch runs on a pool connected to that database.
import * as vscode from 'vscode';
import { databasesQuery, listDatabases, listSchemas } from '../../core/stats/databases';
import { listTables, tablesQuery, type TableRow } from '../../core/stats/tables';
import { listIndexes, type IndexRow } from '../../core/stats/indexes';
import { inlineSql } from '../../core/stats/sql';
import { DEFAULT_PAGE_SIZE } from '../../core/stats/query';
import { formatAgo, formatBytes, formatCount, formatPct } from '../../core/format';
import { emptyNode, group, leaf, type ExplorerNode } from './node';
import { knownVersionNum, type ServerSession } from './session';
import { settledChildren } from './settled';
import type { NodeData } from './nodeData';

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

/** Pages already shown per schema node, so "Load more" extends rather than restarts the list. */
export class TablePages {
  private readonly pages = new Map<string, { rows: TableRow[]; nextAfter: string | null }>();
  get(id: string) {
    return this.pages.get(id);
  }
  set(id: string, rows: TableRow[], nextAfter: string | null) {
    this.pages.set(id, { rows, nextAfter });
  }
  clear() {
    this.pages.clear();
  }
}

export function databasesGroup(s: ServerSession, base: string, pages: TablePages): ExplorerNode {
  const id = `${base}/databases`;
  return group(
    id,
    'Databases',
    () =>
      settledChildren(id, 'Databases', async () => {
        const dbs = await s.run((q, versionNum) => listDatabases(q, { versionNum }));
        return dbs
          .filter((d) => !d.isTemplate && d.allowConnections)
          .map((d) => databaseNode(s, `${id}/${d.name}`, d.name, pages, `${formatBytes(d.bytes)}${d.connections ? ` · ${d.connections} connected` : ''}`));
      }),
    { icon: icon('database'), sql: inlineSql(databasesQuery.build({ versionNum: knownVersionNum(s) })) },
  );
}

function databaseNode(s: ServerSession, id: string, db: string, pages: TablePages, description: string): ExplorerNode {
  return group(
    id,
    db,
    () =>
      settledChildren(id, `Schemas of ${db}`, async () => {
        const schemas = await s.run((q, versionNum) => listSchemas(q, { versionNum }), db);
        if (schemas.length === 0) return [emptyNode(id, 'no user schemas')];
        return schemas.map((sc) => schemaNode(s, `${id}/${sc.name}`, db, sc.name, pages, `${sc.tables} tables, ${sc.indexes} indexes`));
      }),
    { icon: icon('database'), description, contextValue: 'pgdba.database', data: { kind: 'database', profileName: s.profile.name, database: db } },
  );
}

function schemaNode(s: ServerSession, id: string, db: string, schema: string, pages: TablePages, description: string): ExplorerNode {
  return group(
    id,
    schema,
    () =>
      settledChildren(id, `Tables of ${schema}`, async () => {
        let shown = pages.get(id);
        if (!shown) {
          const first = await s.run((q, versionNum) => listTables(q, { versionNum, schema, limit: DEFAULT_PAGE_SIZE }), db);
          pages.set(id, first.rows, first.nextAfter);
          shown = pages.get(id);
        }
        if (!shown || shown.rows.length === 0) return [emptyNode(id, 'no tables')];
        const nodes = shown.rows.map((t) => tableNode(s, `${id}/${t.name}`, db, t));
        if (shown.nextAfter !== null) {
          const more = leaf(`${id}#more`, `Load ${DEFAULT_PAGE_SIZE} more tables…`, {
            icon: icon('ellipsis'),
            command: {
              command: 'pgdba.loadMore',
              title: 'Load more',
              arguments: [{ kind: 'loadMore', schemaNodeId: id, profileName: s.profile.name, database: db, schema } satisfies NodeData],
            },
          });
          nodes.push(more);
        }
        return nodes;
      }),
    {
      icon: icon('symbol-namespace'),
      description,
      sql: inlineSql(tablesQuery.build({ versionNum: knownVersionNum(s), schema, limit: DEFAULT_PAGE_SIZE })),
    },
  );
}

/** Reads the next page of a schema node's tables; returns false when there is none. */
export async function loadMoreTables(s: ServerSession, pages: TablePages, schemaNodeId: string, db: string, schema: string): Promise<boolean> {
  const shown = pages.get(schemaNodeId);
  if (!shown || shown.nextAfter === null) return false;
  const after = shown.nextAfter;
  const next = await s.run((q, versionNum) => listTables(q, { versionNum, schema, after, limit: DEFAULT_PAGE_SIZE }), db);
  pages.set(schemaNodeId, [...shown.rows, ...next.rows], next.nextAfter);
  return true;
}

function tableNode(s: ServerSession, id: string, db: string, t: TableRow): ExplorerNode {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${t.schema}.${t.name}** (${t.kind})\n\n`);
  md.appendMarkdown(`| | |\n|---|---|\n| size | ${formatBytes(t.totalBytes)} (table ${formatBytes(t.tableBytes)}) |\n`);
  md.appendMarkdown(`| rows | ${formatCount(t.liveTuples)} live, ${formatCount(t.deadTuples)} dead (${formatPct(t.deadTuplePct)}) |\n`);
  md.appendMarkdown(`| scans | ${formatCount(t.seqScans)} sequential, ${t.idxScans === null ? '–' : formatCount(t.idxScans)} index |\n`);
  md.appendMarkdown(`| vacuum | ${formatAgo(t.lastVacuum ?? t.lastAutovacuum)} |\n| analyze | ${formatAgo(t.lastAnalyze ?? t.lastAutoanalyze)} |\n`);
  const deadWarn = (t.deadTuplePct ?? 0) >= 20 && t.deadTuples >= 1000;
  return group(
    id,
    t.name,
    () =>
      settledChildren(id, `Indexes of ${t.name}`, async () => {
        const page = await s.run((q, versionNum) => listIndexes(q, { versionNum, schema: t.schema, table: t.name, limit: 500 }), db);
        return page.rows.length === 0 ? [emptyNode(id, 'no indexes')] : page.rows.map((ix) => indexNode(`${id}/${ix.name}`, ix));
      }),
    {
      icon: deadWarn ? icon('table', 'problemsWarningIcon.foreground') : icon('table'),
      description: `${formatBytes(t.totalBytes)} · ${formatCount(t.estimatedRows ?? t.liveTuples)} rows${t.deadTuples ? ` · ${formatPct(t.deadTuplePct, 0)} dead` : ''}`,
      tooltip: md,
    },
  );
}

function indexNode(id: string, ix: IndexRow): ExplorerNode {
  return leaf(id, ix.name, {
    description: `${formatBytes(ix.bytes)} · ${formatCount(ix.scans)} scans${ix.unused ? ' · unused' : ''}${ix.isValid ? '' : ' · INVALID'}`,
    tooltip: `${ix.definition}\n\n${ix.usage}`,
    icon: ix.unused || !ix.isValid ? icon('key', 'problemsWarningIcon.foreground') : icon('key'),
  });
}
