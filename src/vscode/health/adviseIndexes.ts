// pgdba.adviseIndexes, on a database node: the core's index advisor over that database's top
// statements, opened as a Markdown document. Nothing is created unless the person asks: "Create
// Index…" picks a suggestion, and a modal shows the exact statements before they run.
import * as vscode from 'vscode';
import { adviseIndexes, applySuggestion, renderAdviceMarkdown, topAdvisorInputs, type AdvisorReport, type IndexSuggestion } from '../../core/advisor';
import { errorText } from '../../core/db/connectError';
import { readServerVersion } from '../../core/db/serverInfo';
import { VSCODE_ADVICE } from '../connectAdvice';
import { statementsReadiness, statementsStatus } from '../../core/stats/statements';
import type { ConnectionProfile } from '../../core/db/profile';
import type { Ctx } from '../ctx';
import { nodeData } from '../explorer/nodeData';
import { pickProfile } from '../pickProfile';

export interface AdviseIndexesResult {
  report: AdvisorReport;
  document: vscode.TextDocument;
}

const CREATE = 'Create Index…';

async function createOne(ctx: Ctx, profile: ConnectionProfile, database: string, suggestions: readonly IndexSuggestion[]): Promise<void> {
  const pick =
    suggestions.length === 1
      ? { s: suggestions[0]! }
      : await vscode.window.showQuickPick(
          suggestions.map((s) => ({ label: s.id, description: s.verified ? 'verified with HypoPG' : 'not verified', s })),
          { placeHolder: 'Index to create' },
        );
  if (!pick) return;
  const s = pick.s;
  const answer = await vscode.window.showWarningMessage(
    `Create ${s.id} on ${profile.name}/${database}?`,
    {
      modal: true,
      detail: `${s.verified ? '' : 'Not verified: HypoPG is not installed, so no hypothetical index proved it.\n\n'}These statements run, each on its own (CONCURRENTLY: writes go on while it builds):\n\n${s.sql}`,
    },
    'Create Index',
  );
  if (answer !== 'Create Index') return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating ${s.id}`, cancellable: true }, async (_p, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      await ctx.connections.use(profile, (pool) => applySuggestion(pool, s, { signal: ac.signal }), database);
    } finally {
      sub.dispose();
    }
  });
  void vscode.window.showInformationMessage(`Created ${s.id}.`);
}

export function adviseIndexesCommand(ctx: Ctx) {
  return async (arg?: unknown): Promise<AdviseIndexesResult | undefined> => {
    const node = nodeData(arg, 'database');
    const profile = await pickProfile(ctx, arg);
    if (!profile) return undefined;
    const database = node?.database ?? profile.database;
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Index advice for ${database}`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          return await ctx.connections.use(
            profile,
            async (pool) => {
              const version = await readServerVersion(pool);
              const status = await statementsStatus(pool, { versionNum: version.num });
              const ready = statementsReadiness(status);
              if (!ready.ready) throw new Error(`${ready.reason ?? 'pg_stat_statements is not available.'}${ready.fixSql ? ` Fix: ${ready.fixSql};` : ''}`);
              progress.report({ message: 'reading the top statements' });
              const statements = await topAdvisorInputs(pool, {
                versionNum: version.num,
                schema: status.schema ?? 'public',
                extVersion: status.installedVersion,
                database,
              });
              progress.report({ message: `planning ${statements.length} statements` });
              return adviseIndexes({ pool, versionNum: version.num, statements, signal: ac.signal });
            },
            database,
          );
        } finally {
          sub.dispose();
        }
      },
    );
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: renderAdviceMarkdown(report, `${profile.name}/${database}`) });
    await vscode.window.showTextDocument(document, { preview: false });
    const verified = report.suggestions.filter((s) => s.verified).length;
    const text = report.verified
      ? `Index advice for ${database}: ${verified} index${verified === 1 ? '' : 'es'} proved with HypoPG.`
      : `Index advice for ${database}: ${report.suggestions.length} candidate${report.suggestions.length === 1 ? '' : 's'}, not verified (HypoPG is not installed).`;
    // Not awaited: the command returns with the document; creating waits for the person.
    void (report.suggestions.length ? vscode.window.showInformationMessage(text, CREATE) : vscode.window.showInformationMessage(text)).then((pick) =>
      pick === CREATE
        ? createOne(ctx, profile, database, report.suggestions).catch((e: unknown) => {
            ctx.log.error('create index failed', e);
            void vscode.window.showErrorMessage(`The index was not created (what was built is dropped again): ${errorText(e, VSCODE_ADVICE)}`);
          })
        : undefined,
    );
    return { report, document };
  };
}
