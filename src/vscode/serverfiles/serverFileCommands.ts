// Open Server Configuration (a server node, or the active connection): the server's
// postgresql.conf, pg_hba.conf and pgbouncer.ini in editors of the pgdba-server file system; and
// Reload Server Configuration, which the core refuses while a file has a lint error.
import * as vscode from 'vscode';
import type { CommandFactory, Ctx } from '../ctx';
import { pickProfile } from '../pickProfile';
import { SERVER_FILE_SCHEME, type ServerFiles } from './serverFiles';
import type { ReloadReport } from '../../core/serverfiles/reload';

export function registerServerFiles(ctx: Ctx): void {
  ctx.push(vscode.workspace.registerFileSystemProvider(SERVER_FILE_SCHEME, ctx.serverFiles, { isCaseSensitive: true }));
}

export const openServerConfiguration: CommandFactory = (ctx) => async (arg?: unknown) => {
  const profile = await pickProfile(ctx, arg);
  if (!profile) return undefined;
  const uris = await ctx.serverFiles.open(profile.name);
  for (const [i, uri] of uris.entries()) await vscode.window.showTextDocument(uri, { preview: false, preserveFocus: i > 0 });
  // The first one in front: postgresql.conf.
  if (uris[0] && uris.length > 1) await vscode.window.showTextDocument(uris[0], { preview: false });
  return uris.map((u) => u.toString());
};

function reportText(r: ReloadReport): string {
  const problems = r.problems.map((p) => `${p.file}:${p.line}${p.name ? ` ${p.name}` : ''}: ${p.error}`);
  const unread = r.unread.length ? ` Not read: ${r.unread.join('; ')}.` : '';
  return problems.length
    ? `Reloaded; the server reports ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}.${unread}`
    : `Reloaded; pg_file_settings and pg_hba_file_rules report no error.${unread}`;
}

/** The profile of a server document (its authority), a node, or the active one. */
async function profileOf(ctx: Ctx, arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (uri?.scheme === SERVER_FILE_SCHEME) return decodeURIComponent(uri.authority);
  return (await pickProfile(ctx, arg))?.name;
}

export const reloadServerConfiguration: CommandFactory = (ctx) => async (arg?: unknown) => {
  const name = await profileOf(ctx, arg);
  if (!name) return undefined;
  const files: ServerFiles = ctx.serverFiles;
  // Unsaved edits are not what the server reads: say so rather than reload the old text.
  const dirty = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === SERVER_FILE_SCHEME && decodeURIComponent(d.uri.authority) === name && d.isDirty);
  if (dirty.length) throw new Error(`Save ${dirty.map((d) => d.uri.path).join(', ')} first: a reload reads the files as they are on the server's machine.`);
  const report = await files.reload(name); // ReloadRefusedError: its words say which lint error
  const text = reportText(report);
  ctx.test?.serverFileMessages.push(text);
  if (report.problems.length || report.unread.length) void vscode.window.showWarningMessage(text);
  else void vscode.window.showInformationMessage(text);
  return report;
};
