// A tree group backed by one stats query: its children are the rows, its SQL is the query's,
// and it opens as a table. Most of the Statistics branch is made of these.
import * as vscode from 'vscode';
import { runQuery, type QueryDef, type VersionArgs } from '../../core/stats/query';
import { inlineSql } from '../../core/stats/sql';
import { emptyNode, group, type ExplorerNode } from './node';
import { knownVersionNum, type ServerSession } from './session';
import { settledChildren } from './settled';

export interface QueryGroupOptions<A extends VersionArgs, R> {
  id: string;
  label: string;
  session: ServerSession;
  def: QueryDef<A, R>;
  args: Omit<A, 'versionNum'>;
  row: (r: R, i: number) => ExplorerNode;
  database?: string;
  icon?: vscode.ThemeIcon;
  description?: string;
  tooltip?: string;
  empty?: string;
}

export function queryGroup<A extends VersionArgs, R>(o: QueryGroupOptions<A, R>): ExplorerNode {
  const fullArgs = (versionNum: number) => ({ ...o.args, versionNum }) as A;
  const load = () => o.session.run((q, versionNum) => runQuery(q, o.def, fullArgs(versionNum)), o.database);
  return group(
    o.id,
    o.label,
    () =>
      settledChildren(o.id, o.def.title, async () => {
        const rows = await load();
        return rows.length === 0 ? [emptyNode(o.id, o.empty ?? 'none')] : rows.map(o.row);
      }),
    {
      icon: o.icon,
      description: o.description,
      tooltip: o.tooltip ?? o.def.title,
      sql: inlineSql(o.def.build(fullArgs(knownVersionNum(o.session)))),
      table: async () => {
        const rows = (await load()) as Record<string, unknown>[];
        return { title: o.label, columns: Object.keys(o.def.columns), rows };
      },
    },
  );
}
