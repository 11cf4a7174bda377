// Open Server Configuration in a real VS Code on the rig's server (local: its own postgresql.conf
// and pg_hba.conf in the data directory): the files open in pgdba-server editors, linted with that
// server's values; a lint error shows and keeps Reload from running; fixed and saved, the .bak is
// beside the file, the notification says what the change needs and offers Reload; Reload applies
// it (SHOW work_mem) and reports no pg_file_settings error. The original text is put back.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type pg from 'pg';
import type { ReloadReport } from '../../../src/core/serverfiles/reload';
import { api } from './tree';
import { client, settingOnceReloaded, testConn } from './connection';
import { canScreenshot, screenshot } from './screenshot';
import { waitFor } from './wait';

async function replaceAll(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

suite('server configuration files', () => {
  let db: pg.Client;
  let confPath: string;
  let original: string;

  suiteSetup(async () => {
    db = await client(testConn());
    confPath = (await db.query<{ f: string }>("SELECT current_setting('config_file') AS f")).rows[0]!.f;
    original = readFileSync(confPath, 'utf8');
  });

  suiteTeardown(async () => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'pgdba-server' && d.uri.path === confPath);
    if (doc && doc.getText() !== original) {
      await replaceAll(doc, original);
      await doc.save();
      await vscode.commands.executeCommand('pgdba.reloadServerConfiguration', testConn().name);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await db.end();
  });

  test('Open Server Configuration: edit, a lint error blocks Reload, save → .bak, Reload applies it', async function () {
    this.timeout(90_000);
    const a = await api();
    const name = testConn().name;
    const opened = await vscode.commands.executeCommand<string[]>('pgdba.openServerConfiguration', name);
    assert.ok(opened && opened.length === 2, `postgresql.conf and pg_hba.conf: ${JSON.stringify(opened)}`);
    const editor = await waitFor('the postgresql.conf editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'pgdba-server' && e.document.uri.path === confPath ? e : undefined;
    });
    const doc = editor.document;
    assert.equal(doc.languageId, 'postgresql-conf');
    assert.equal(doc.getText(), original);
    assert.ok(vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'pgdba-server' && basename(d.uri.path) === 'pg_hba.conf'));

    // A broken value, saved: the linter (with this server's major) flags it, and Reload refuses.
    await replaceAll(doc, `${original}\nwork_mem = 4XB\n`);
    const broken = await waitFor('a diagnostic on the broken work_mem', () =>
      vscode.languages.getDiagnostics(doc.uri).find((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === doc.lineCount - 2),
    );
    assert.match(broken.message, /work_mem/);
    assert.ok(await doc.save(), 'saved');
    const warned = await waitFor('the saved message', () => a.serverFileMessages.find((m) => m.includes('Not reloaded')));
    assert.match(warned, /work_mem: reload\. Not reloaded: 1 lint error \(.*postgresql\.conf:\d+: .*work_mem/);
    const refused = await vscode.commands.executeCommand<ReloadReport | undefined>('pgdba.reloadServerConfiguration', name);
    assert.equal(refused, undefined, 'not reloaded while a file has a lint error');
    assert.ok(!a.serverFileMessages.some((m) => m.startsWith('Reloaded')), a.serverFileMessages.join('\n'));

    // Fixed and saved: the .bak beside the file, the notification with what it needs and Reload.
    const baksBefore = readdirSync(dirname(confPath)).filter((n) => n.startsWith('postgresql.conf.') && n.endsWith('.bak')).length;
    await replaceAll(doc, `${original}\nwork_mem = '5MB'\n`);
    await waitFor('no error left', () =>
      vscode.languages.getDiagnostics(doc.uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error) ? undefined : true,
    );
    assert.ok(await doc.save(), 'saved');
    assert.equal(readFileSync(confPath, 'utf8'), `${original}\nwork_mem = '5MB'\n`);
    const baks = readdirSync(dirname(confPath)).filter(
      (n) => n.startsWith('postgresql.conf.') && /^postgresql\.conf\.\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d(-\d+)?\.bak$/.test(n),
    );
    assert.equal(baks.length, baksBefore + 1);
    const said = await waitFor('the saved message', () => a.serverFileMessages.find((m) => m.includes('work_mem: reload')));
    assert.match(said, /^Saved postgresql\.conf \(the previous text is in postgresql\.conf\.\d{4}-.*\.bak\)\. work_mem: reload\./);
    if (canScreenshot()) {
      const shot = await screenshot('e2e-server-config-saved', { waitForText: 'work_mem: reload' });
      assert.ok(shot.found, `the notification with Reload shows: ${shot.error ?? ''}`);
    }
    const report = await vscode.commands.executeCommand<ReloadReport | undefined>('pgdba.reloadServerConfiguration', name);
    assert.ok(report?.reloaded, 'reloaded');
    assert.deepEqual(report.problems, []);
    assert.equal(await settingOnceReloaded('work_mem', (v) => v === '5MB'), '5MB');
    assert.ok(existsSync(confPath));
  });
});
