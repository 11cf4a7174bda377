// Actions on the server from the tree: edit/reset a setting (ALTER SYSTEM + reload), cancel or
// terminate a session, fix pg_stat_statements. Each shows the exact SQL and runs nothing
// without the person's confirmation.
import * as vscode from 'vscode';
import { alterSystemReset, alterSystemSet, changeEffect, RELOAD_CONF, splitListValue } from '../../core/stats/settingsChange';
import { listSettings, type SettingRow } from '../../core/stats/settings';
import { cancelBackendSql, terminateBackendSql } from '../../core/stats/activity';
import { inlineSql, type SqlQuery } from '../../core/stats/sql';
import type { CommandFactory, Ctx } from '../ctx';
import { nodeData } from './nodeData';

/** How long after pg_reload_conf() the new value is read back. */
const RELOAD_SETTLE_MS = 500;

async function confirm(message: string, sql: string, action: string): Promise<boolean> {
  const pick = await vscode.window.showWarningMessage(message, { modal: true, detail: sql }, action);
  return pick === action;
}

async function askValue(r: SettingRow): Promise<string | undefined> {
  if (r.vartype === 'bool') return vscode.window.showQuickPick(['on', 'off'], { placeHolder: `${r.name} (now ${r.setting ?? '?'})` });
  if (r.vartype === 'enum' && r.enumVals) return vscode.window.showQuickPick(r.enumVals, { placeHolder: `${r.name} (now ${r.setting ?? '?'})` });
  return vscode.window.showInputBox({
    prompt: `${r.name}: ${r.description}${r.unit ? ` — unit ${r.unit}, or give one (e.g. 256MB, 5min)` : ''}${r.minVal !== null ? ` — range ${r.minVal} … ${r.maxVal}` : ''}`,
    value: r.setting ?? '',
    ignoreFocusOut: true,
  });
}

/** Runs statements one by one (ALTER SYSTEM cannot run in a transaction block). */
async function run(ctx: Ctx, profileName: string, queries: SqlQuery[]): Promise<void> {
  const s = ctx.explorer.session(profileName);
  if (!s) throw new Error(`no connection named "${profileName}"`);
  await s.run(async (q) => {
    for (const query of queries) await q.query({ text: query.text, values: [...query.values] });
  });
}

async function afterChange(ctx: Ctx, profileName: string, r: SettingRow): Promise<void> {
  const s = ctx.explorer.session(profileName);
  // pg_reload_conf() only signals the postmaster: give it a moment before reading back.
  await new Promise((res) => setTimeout(res, RELOAD_SETTLE_MS));
  const now = s ? await s.run((q, versionNum) => listSettings(q, { versionNum, name: r.name })) : [];
  const fresh = now[0];
  const outcome = changeEffect(r.context, r.name);
  const state = fresh ? ` Now: ${fresh.setting ?? '?'}${fresh.unit ? ` ${fresh.unit}` : ''}${fresh.pendingRestart ? ' (restart pending)' : ''}.` : '';
  ctx.log.info(`${profileName}: ${r.name} changed. ${outcome.message}${state}`);
  void vscode.window.showInformationMessage(`${outcome.message}${state}`);
  ctx.explorer.refresh();
}

export const editSetting: CommandFactory = (ctx) => async (node?: unknown) => {
  const arg = nodeData(node, 'setting');
  if (!arg) throw new Error('Edit Value works on a setting in the Configuration branch of the PostgreSQL DBA view.');
  const r = arg.setting;
  if (r.context === 'internal') throw new Error(changeEffect('internal', r.name).message);
  const value = await askValue(r);
  if (value === undefined) return;
  const set = alterSystemSet(r.name, value);
  const outcome = changeEffect(r.context, r.name);
  const queries = outcome.needsReload ? [set, RELOAD_CONF] : [set];
  if (!(await confirm(`Change ${r.name} on "${arg.profileName}"? ${outcome.message}`, queries.map(inlineSql).join(';\n') + ';', 'Apply'))) return;
  await run(ctx, arg.profileName, queries);
  await afterChange(ctx, arg.profileName, r);
};

export const resetSetting: CommandFactory = (ctx) => async (node?: unknown) => {
  const arg = nodeData(node, 'setting');
  if (!arg) throw new Error('Reset works on a setting in the Configuration branch of the PostgreSQL DBA view.');
  const r = arg.setting;
  const outcome = changeEffect(r.context, r.name);
  const queries = [alterSystemReset(r.name), ...(outcome.needsReload ? [RELOAD_CONF] : [])];
  if (
    !(await confirm(
      `Remove ${r.name} from postgresql.auto.conf on "${arg.profileName}"? ${outcome.message}`,
      queries.map(inlineSql).join(';\n') + ';',
      'Reset',
    ))
  )
    return;
  await run(ctx, arg.profileName, queries);
  await afterChange(ctx, arg.profileName, r);
};

export const cancelBackend: CommandFactory = (ctx) => (arg?: unknown) => signal(ctx, arg, 'cancel');

export const terminateBackend: CommandFactory = (ctx) => (arg?: unknown) => signal(ctx, arg, 'terminate');

export const fixPgStatStatements: CommandFactory = (ctx) => async (node?: unknown) => {
  const d = nodeData(node, 'statementsFix');
  if (!d) return;
  const s = ctx.explorer.session(d.profileName);
  if (!s) return;
  if (d.needsRestart) {
    // Keep the libraries already preloaded: read the list, add ours.
    const [row] = await s.run((q, versionNum) => listSettings(q, { versionNum, name: 'shared_preload_libraries' }));
    const libs = splitListValue(row?.setting ?? '').filter((l) => l !== 'pg_stat_statements');
    const set = alterSystemSet('shared_preload_libraries', [...libs, 'pg_stat_statements']);
    if (
      !(await confirm(
        `Add pg_stat_statements to shared_preload_libraries on "${d.profileName}"? ${changeEffect('postmaster', 'shared_preload_libraries').message} After the restart, run CREATE EXTENSION pg_stat_statements.`,
        inlineSql(set) + ';',
        'Apply',
      ))
    )
      return;
    await run(ctx, d.profileName, [set]);
    void vscode.window.showInformationMessage('shared_preload_libraries is saved in postgresql.auto.conf: restart the server for pg_stat_statements to load.');
  } else {
    if (!(await confirm(`Create the pg_stat_statements extension in "${s.profile.database}"?`, d.fixSql + ';', 'Create'))) return;
    await run(ctx, d.profileName, [{ text: d.fixSql, values: [] }]);
  }
  ctx.explorer.refresh();
};

async function signal(ctx: Ctx, node: unknown, kind: 'cancel' | 'terminate'): Promise<void> {
  const arg = nodeData(node, 'backend');
  if (!arg) throw new Error('Cancel and Terminate work on a session in the Activity branch of the PostgreSQL DBA view.');
  const q = kind === 'cancel' ? cancelBackendSql(arg.pid) : terminateBackendSql(arg.pid);
  const what =
    kind === 'cancel'
      ? `Cancel the query of session ${arg.pid} (${arg.user ?? '?'})? The session stays connected; its transaction is rolled back.`
      : `Terminate session ${arg.pid} (${arg.user ?? '?'})? Its connection is closed and its transaction rolled back.`;
  if (!(await confirm(what, `${inlineSql(q)};\n\n-- running:\n${(arg.query ?? '').slice(0, 500)}`, kind === 'cancel' ? 'Cancel Query' : 'Terminate'))) return;
  const s = ctx.explorer.session(arg.profileName);
  if (!s) return;
  const signalled = await s.run(async (c) => (await c.query<{ signalled: boolean }>({ text: q.text, values: [...q.values] })).rows[0]?.signalled);
  void vscode.window.showInformationMessage(
    signalled ? `Session ${arg.pid}: ${kind} signal sent.` : `Session ${arg.pid} was not signalled (it has ended, or you lack the right to signal it).`,
  );
  ctx.explorer.refresh();
}
