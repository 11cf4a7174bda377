// The one list of lint languages (src/core/lint/lintLanguages.ts) is what package.json declares:
// the same ids and file name patterns in contributes.languages. Opening such a file starts the
// linter through the onLanguage event VS Code (>= 1.74) derives from contributes.languages, so
// the manifest lists no activation event VS Code derives (engines.vscode is ^1.100); it lists
// only the two languages VS Code gives a .conf or .ini file the patterns miss, whose content
// decides (src/vscode/lint/contentLanguage.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LINT_LANGUAGES, fileTypeOf, languageOfType, typeOfLanguage } from '../../../../src/core/lint/lintLanguages';
import { CONTENT_CLASSIFIED_LANGUAGES } from '../../../../src/core/lint/confClassifier';

interface Manifest {
  activationEvents: string[];
  contributes: { languages: { id: string; filenamePatterns?: string[] }[]; commands: { command: string }[]; views: Record<string, { id: string }[]> };
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

void test('package.json contributes exactly the lint languages, with their file name patterns', () => {
  assert.deepEqual(
    manifest.contributes.languages.map((l) => ({ id: l.id, filenamePatterns: l.filenamePatterns })),
    LINT_LANGUAGES.map((l) => ({ id: l.id, filenamePatterns: [...l.filenamePatterns] })),
  );
});

void test('no activation event that VS Code derives from the contributions (onLanguage, onCommand, onView)', () => {
  const derived = new Set([
    ...manifest.contributes.languages.map((l) => `onLanguage:${l.id}`),
    ...manifest.contributes.commands.map((c) => `onCommand:${c.command}`),
    ...Object.values(manifest.contributes.views)
      .flat()
      .map((v) => `onView:${v.id}`),
  ]);
  assert.deepEqual(
    manifest.activationEvents.filter((e) => /^on(Language|Command|View):/.test(e) && derived.has(e)),
    [],
  );
  // the only ones: the languages whose files the content classifier may claim
  assert.deepEqual(
    manifest.activationEvents,
    CONTENT_CLASSIFIED_LANGUAGES.map((id) => `onLanguage:${id}`),
  );
});

void test('ids, kinds and names agree: a file named as the language says is of its kind', () => {
  for (const l of LINT_LANGUAGES) {
    assert.equal(typeOfLanguage(l.id), l.type);
    assert.equal(languageOfType(l.type), l);
    assert.equal(fileTypeOf(`/etc/x/${l.fileName}`), l.type);
    assert.equal(fileTypeOf(`/etc/x/${l.fileName.toUpperCase()}`), l.type, 'names match in any case');
  }
  assert.equal(typeOfLanguage('ini'), undefined);
  assert.equal(fileTypeOf('pgbouncer.conf'), undefined);
});

void test('names people give these files: by pattern, base name or folder', () => {
  const cases: [string, string | undefined][] = [
    ['/etc/postgresql/16/main/postgresql.conf', 'conf'],
    ['prod.postgresql.conf', 'conf'],
    ['postgresql.prod.conf', 'conf'],
    ['/srv/pg/postgresql.auto.conf', 'conf'],
    ['/etc/postgresql/16/main/conf.d/10-memory.conf', 'conf'],
    ['C:\\pg\\conf.d\\tuning.conf', 'conf'],
    ['conf.d/tuning.conf', 'conf'],
    ['/etc/conf.d/sub/x.conf', undefined],
    ['/etc/myconf.d/x.conf', undefined],
    ['pg_hba-replica.conf', 'hba'],
    ['pg_hba.conf', 'hba'],
    ['/etc/postgresql/conf.d/pg_hba-old.conf', 'hba'],
    ['prod.pg_hba.conf', 'hba'],
    ['pgbouncer-prod.ini', 'pgbouncer'],
    ['eu.pgbouncer.ini', 'pgbouncer'],
    ['PGBOUNCER.INI', 'pgbouncer'],
    ['settings.conf', undefined],
    ['pgbouncer.conf', undefined],
    ['postgresql.conf.bak', undefined],
  ];
  for (const [path, type] of cases) assert.equal(fileTypeOf(path), type, path);
});
