// Config linting in a real VS Code: a broken postgresql.conf shows its problems, a Quick Fix
// applies a hardware recommendation keeping the comment, saving updates the diagnostics, and the
// hover shows the parameter's documentation.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { canScreenshot, skipWithoutBrowser, screenshot } from './screenshot';
import { waitFor } from './wait';

const BROKEN = [
  'shared_buffers = 128MB            # far too small for 4 GB',
  'work_mem = 4XB                    # not a unit',
  'max_connections = 100',
  '',
].join('\n');

const pgdbaDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pgdba');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
/** The recommendation for shared_buffers (recommendations for unset parameters also sit on line 1). */
const isSharedBuffersRec = (d: vscode.Diagnostic) => codeOf(d) === 'PGC200' && d.message.startsWith('shared_buffers');

suite('config linting', () => {
  let uri: vscode.Uri;

  suiteSetup(async () => {
    const cfg = vscode.workspace.getConfiguration('pgdba');
    for (const [key, value] of [
      ['hardware.ramGB', 4],
      ['hardware.cpus', 4],
      ['hardware.storage', 'ssd'],
      ['hardware.workload', 'web'],
      ['hardware.maxConnections', 100],
    ] as const) {
      await cfg.update(key, value, vscode.ConfigurationTarget.Global);
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the e2e workbench has no folder open');
    uri = vscode.Uri.joinPath(folder.uri, 'postgresql.broken.conf');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(BROKEN));
  });

  suiteTeardown(async () => {
    const cfg = vscode.workspace.getConfiguration('pgdba');
    for (const key of ['hardware.ramGB', 'hardware.cpus', 'hardware.storage', 'hardware.workload', 'hardware.maxConnections'])
      await cfg.update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  test('a broken postgresql.conf shows its problems', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'postgresql-conf');
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor('pgdba diagnostics', () => {
      const d = pgdbaDiagnostics(uri);
      return d.some(isSharedBuffersRec) ? d : undefined;
    });
    const sb = diags.find(isSharedBuffersRec);
    assert.ok(sb, `no recommendation on shared_buffers: ${diags.map((d) => `${d.range.start.line}:${codeOf(d)} ${d.message}`).join(' | ')}`);
    assert.equal(sb.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(sb.message, /4 GB RAM, 4 CPUs, SSD, web/);
    const unit = diags.find((d) => d.range.start.line === 1 && d.severity === vscode.DiagnosticSeverity.Error);
    assert.ok(unit, 'no error on work_mem = 4XB');
  });

  test('the Problems panel lists them (screenshot)', async function () {
    if (!canScreenshot()) return skipWithoutBrowser(this, 'its screenshot is the check');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const shot = await screenshot('e2e-lint-problems', { waitForText: 'PGC200', within: '[id="workbench.parts.panel"]' });
    assert.ok(existsSync(shot.file), `no screenshot at ${shot.file}`);
    assert.ok(shot.found, `the Problems panel did not show PGC200 (${shot.error ?? ''}); see ${shot.file}`);
  });

  test('a Quick Fix applies the recommendation and keeps the comment; saving updates the diagnostics', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const sb = pgdbaDiagnostics(uri).find(isSharedBuffersRec);
    assert.ok(sb);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      sb.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value && /shared_buffers/.test(a.title));
    assert.ok(fix, `no Quick Fix for shared_buffers offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(fix.edit, `the Quick Fix "${fix.title}" carries no edit`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.lineAt(0).text, /^shared_buffers = 1GB\s+# far too small for 4 GB$/);
    assert.ok(await doc.save());
    await waitFor('diagnostics after the fix', () => (pgdbaDiagnostics(uri).some(isSharedBuffersRec) ? undefined : true));
    assert.ok(
      pgdbaDiagnostics(uri).some((d) => d.range.start.line === 1),
      'the work_mem error should remain',
    );
  });

  test('pgdba.lintFile returns the findings; the fix-all source action gathers every recommendation', async () => {
    const findings = await vscode.commands.executeCommand<{ code: string }[]>('pgdba.lintFile', uri);
    assert.ok(Array.isArray(findings) && findings.some((f) => f.code === 'PGC200'), 'pgdba.lintFile returned no recommendation');
    const doc = await vscode.workspace.openTextDocument(uri);
    const all = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      new vscode.Range(0, 0, doc.lineCount, 0),
      'source.fixAll.pgdba',
    );
    const fixAll = all.find((a) => /^Apply all \d+ hardware recommendations$/.test(a.title));
    assert.ok(fixAll?.edit, `no fix-all action: ${all.map((a) => a.title).join(' | ')}`);
  });

  test('the hover shows description, unit, range, default, context and the recommendation', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const pos = new vscode.Position(1, 3);
    assert.ok(doc.lineAt(1).text.startsWith('work_mem'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n')
      .replace(/\\(.)/g, '$1');
    assert.match(text, /work_mem/);
    assert.match(text, /Sets the maximum memory/);
    assert.match(text, /unit kB/);
    assert.match(text, /Range/);
    assert.match(text, /Default/);
    assert.match(text, /Context/);
    assert.match(text, /Recommended/);
  });

  test('pgbouncer.ini and pg_hba.conf get their own diagnostics', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const ini = vscode.Uri.joinPath(folder.uri, 'pgbouncer.ini');
    await vscode.workspace.fs.writeFile(
      ini,
      new TextEncoder().encode(
        '[databases]\n* = host=localhost port=5432\n\n[pgbouncer]\nauth_type = md5\nauth_file = /etc/pgbouncer/userlist.txt\npool_mode = transactoin\n',
      ),
    );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ini));
    const d = await waitFor('pgbouncer diagnostics', () => {
      const x = pgdbaDiagnostics(ini);
      return x.length > 0 ? x : undefined;
    });
    assert.ok(d.some((x) => codeOf(x) === 'PGB005'));
    assert.ok(d.some((x) => codeOf(x) === 'PGB030'));
    const hba = vscode.Uri.joinPath(folder.uri, 'pg_hba.conf');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(hba));
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(pgdbaDiagnostics(hba).map(codeOf), [], 'the workspace pg_hba.conf is clean');
  });

  test('a pg_hba.conf is checked against the postgresql.conf beside it, unsaved edits included', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const dir = vscode.Uri.joinPath(folder.uri, 'neighbours');
    const conf = vscode.Uri.joinPath(dir, 'postgresql.conf');
    const hba = vscode.Uri.joinPath(dir, 'pg_hba.conf');
    await vscode.workspace.fs.writeFile(conf, new TextEncoder().encode('ssl = off\n'));
    await vscode.workspace.fs.writeFile(hba, new TextEncoder().encode('hostssl all all 10.0.0.0/8 scram-sha-256\n'));
    const codes = async () => ((await vscode.commands.executeCommand<{ code: string }[]>('pgdba.lintFile', hba)) ?? []).map((f) => f.code);
    assert.deepEqual(await codes(), ['HBA015'], 'ssl = off on disk beside it: the hostssl line cannot match');
    const confDoc = await vscode.workspace.openTextDocument(conf);
    const setSsl = async (value: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(conf, confDoc.lineAt(0).range, `ssl = ${value}`);
      assert.ok(await vscode.workspace.applyEdit(edit));
    };
    await setSsl('on');
    assert.ok(confDoc.isDirty);
    assert.deepEqual(await codes(), [], 'the open postgresql.conf, unsaved, says ssl = on');
    // Back as on disk, so that no dirty document is left for the suites after this one.
    await setSsl('off');
    assert.ok(await confDoc.save());
  });

  test("include and include_if_exists are links to the file they pull in, resolved against the including file's directory", async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const dir = vscode.Uri.joinPath(folder.uri, 'includes', 'main');
    const conf = vscode.Uri.joinPath(dir, 'postgresql.conf');
    const tuning = vscode.Uri.joinPath(folder.uri, 'includes', 'tuning.conf');
    await vscode.workspace.fs.writeFile(tuning, new TextEncoder().encode('work_mem = 16MB\n'));
    await vscode.workspace.fs.writeFile(
      conf,
      new TextEncoder().encode("shared_buffers = 1GB\ninclude '../tuning.conf'\ninclude_if_exists = 'local.conf'\ninclude_dir 'conf.d'\n"),
    );
    const doc = await vscode.workspace.openTextDocument(conf);
    const links = (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', conf)) ?? [];
    const ours = links.filter((l) => l.target?.path.endsWith('.conf'));
    assert.deepEqual(
      ours.map((l) => [doc.getText(l.range), l.target?.path]),
      [
        ["'../tuning.conf'", tuning.path],
        ["'local.conf'", vscode.Uri.joinPath(dir, 'local.conf').path],
      ],
    );
    const opened = await vscode.workspace.openTextDocument(ours[0]!.target!);
    assert.equal(opened.getText(), 'work_mem = 16MB\n');
  });

  test('files named or shaped otherwise get the pgdba languages and diagnostics, with no language set (screenshot)', async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const dir = vscode.Uri.joinPath(folder.uri, 'named');
    const files: [string, string, string, string][] = [
      // name, content, the language it must get, a code its diagnostics must hold
      ['postgresql.prod.conf', 'work_mem = 4XB\n', 'postgresql-conf', 'PGC021'],
      ['pg_hba-replica.conf', 'hots all all 10.0.0.0/8 md5\n', 'pg-hba-conf', 'HBA001'],
      ['conf.d/memory.conf', 'work_mem = 4XB\n', 'postgresql-conf', 'PGC021'],
      // the patterns miss these: the content decides
      ['tuning.conf', '# tuned for prod\nshared_buffers = 4GB\nwork_mem = 4XB\n', 'postgresql-conf', 'PGC021'],
      ['replica-access.conf', 'local all all peer\nhost all all 10.0.0.0/33 md5\n', 'pg-hba-conf', 'HBA005'],
    ];
    for (const [name, text, language, code] of files) {
      const uri = vscode.Uri.joinPath(dir, name);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      // a content-classified document is re-opened under its new language: read it by its URI
      const lang = await waitFor(`the language of ${name}`, () => {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        return doc?.languageId === language ? language : undefined;
      });
      assert.equal(lang, language, name);
      await waitFor(`${code} on ${name}`, () => (pgdbaDiagnostics(uri).some((d) => codeOf(d) === code) ? true : undefined));
    }
    // a .conf that says nothing stays Properties
    const plain = vscode.Uri.joinPath(dir, 'notes.conf');
    await vscode.workspace.fs.writeFile(plain, new TextEncoder().encode('[server]\nport = 80\n'));
    const plainDoc = await vscode.workspace.openTextDocument(plain);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(vscode.workspace.textDocuments.find((d) => d.uri.toString() === plain.toString())?.languageId ?? plainDoc.languageId, 'properties');
    if (!canScreenshot()) return;
    // the content-classified hba file in front, its language in the status bar, the problems below
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(dir, 'replica-access.conf')));
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const shot = await screenshot('e2e-lint-by-content', { waitForText: 'PostgreSQL client authentication', within: '[id="workbench.parts.statusbar"]' });
    assert.ok(existsSync(shot.file), `no screenshot at ${shot.file}`);
    assert.ok(shot.found, `the status bar did not show the pg_hba.conf language (${shot.error ?? ''}); see ${shot.file}`);
  });
});
