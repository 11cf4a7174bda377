// "Configuration": pg_settings by category, non-default values with where they come from,
// pending restarts flagged, and pg_file_settings' errors.
import * as vscode from 'vscode';
import { fileSettingsQuery, listSettings, settingCategories, settingOrigin, settingsQuery, type SettingRow } from '../../core/stats/settings';
import { runQuery } from '../../core/stats/query';
import { settle } from '../../core/stats/errors';
import { inlineSql } from '../../core/stats/sql';
import { group, leaf, type ExplorerNode } from './node';
import { queryGroup } from './queryGroup';
import { knownVersionNum, type ServerSession } from './session';
import { settledChildren } from './settled';

function valueText(r: SettingRow): string {
  if (r.setting === null) return '(hidden)';
  return r.unit && r.vartype !== 'bool' && r.vartype !== 'enum' ? `${r.setting} ${r.unit}` : r.setting || "''";
}

function settingNode(s: ServerSession, base: string, r: SettingRow): ExplorerNode {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${r.name}** = \`${valueText(r)}\`\n\n${r.description}\n\n`);
  md.appendMarkdown(`- context: \`${r.context}\` · type: \`${r.vartype}\`${r.minVal !== null ? ` · range: ${r.minVal} … ${r.maxVal}` : ''}\n`);
  if (r.enumVals) md.appendMarkdown(`- values: ${r.enumVals.map((v) => `\`${v}\``).join(', ')}\n`);
  md.appendMarkdown(`- default: \`${r.bootVal ?? ''}\` · source: ${settingOrigin(r)}\n`);
  if (r.pendingRestart) md.appendMarkdown(`\n$(debug-restart) **A changed value waits for a server restart.**\n`);
  return leaf(`${base}/${r.name}`, r.name, {
    description: `${valueText(r)}${r.isDefault ? '' : `  · ${settingOrigin(r)}`}${r.pendingRestart ? '  · restart pending' : ''}`,
    tooltip: md,
    icon: r.pendingRestart
      ? new vscode.ThemeIcon('debug-restart', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(r.isDefault ? 'circle-outline' : 'circle-filled', r.isDefault ? undefined : new vscode.ThemeColor('charts.blue')),
    contextValue: `pgdba.setting${r.context === 'internal' ? '.readonly' : ''}`,
    sql: inlineSql(settingsQuery.build({ versionNum: knownVersionNum(s), name: r.name })),
    data: { kind: 'setting', profileName: s.profile.name, setting: r },
  });
}

export function configurationGroup(s: ServerSession, base: string): ExplorerNode {
  const id = `${base}/config`;
  return group(
    id,
    'Configuration',
    () =>
      settledChildren(id, 'Settings', async () => {
        const [cats, fileErrors] = await s.run((q, versionNum) =>
          Promise.all([settingCategories(q, { versionNum }), settle(runQuery(q, fileSettingsQuery, { versionNum, problemsOnly: true }))]),
        );
        const nodes: ExplorerNode[] = [];
        if (!fileErrors.ok) {
          // pg_file_settings is superuser-only by default: say so instead of hiding the branch.
          if (fileErrors.error.kind === 'connection') throw fileErrors.error;
          nodes.push(
            leaf(`${id}/fileErrors#na`, 'Configuration file errors: not readable', {
              description: fileErrors.error.kind === 'permission' ? 'needs superuser' : undefined,
              tooltip:
                fileErrors.error.kind === 'permission'
                  ? `${fileErrors.error.message}\n\npg_file_settings is readable by superusers only, unless one grants SELECT on it and EXECUTE on pg_show_all_file_settings() to this role.`
                  : fileErrors.error.message,
              icon: new vscode.ThemeIcon('circle-slash'),
            }),
          );
        } else if (fileErrors.value.length > 0) {
          const n = fileErrors.value.length;
          nodes.push(
            queryGroup({
              id: `${id}/fileErrors`,
              label: `Configuration file errors (${n})`,
              session: s,
              def: fileSettingsQuery,
              args: { problemsOnly: true },
              icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
              row: (r, i) =>
                leaf(`${id}/fileErrors/${i}`, `${r.name ?? '?'} = ${r.setting ?? ''}`, {
                  description: `${r.sourcefile ?? '?'}:${r.sourceline ?? '?'}`,
                  tooltip: r.error ?? 'not applied',
                  icon: new vscode.ThemeIcon('error'),
                }),
            }),
          );
        }
        const nonDefault = cats.reduce((a, c) => a + c.nonDefault, 0);
        const pending = cats.reduce((a, c) => a + c.pendingRestart, 0);
        nodes.push(settingsList(s, `${id}/nondefault`, `Changed from default (${nonDefault})`, { nonDefaultOnly: true }, 'edit'));
        if (pending > 0) nodes.push(settingsList(s, `${id}/pending`, `Pending restart (${pending})`, { pendingRestartOnly: true }, 'debug-restart'));
        for (const c of cats) {
          nodes.push(
            settingsList(
              s,
              `${id}/cat/${c.category}`,
              c.category,
              { category: c.category },
              'symbol-namespace',
              `${c.settings}${c.nonDefault ? `, ${c.nonDefault} changed` : ''}`,
            ),
          );
        }
        return nodes;
      }),
    { icon: new vscode.ThemeIcon('settings-gear') },
  );
}

function settingsList(
  s: ServerSession,
  id: string,
  label: string,
  filter: { category?: string; nonDefaultOnly?: boolean; pendingRestartOnly?: boolean },
  iconId: string,
  description?: string,
): ExplorerNode {
  return group(
    id,
    label,
    () =>
      settledChildren(id, 'Settings', async () =>
        (await s.run((q, versionNum) => listSettings(q, { versionNum, ...filter }))).map((r) => settingNode(s, id, r)),
      ),
    { icon: new vscode.ThemeIcon(iconId), description, sql: inlineSql(settingsQuery.build({ versionNum: knownVersionNum(s), ...filter })) },
  );
}
