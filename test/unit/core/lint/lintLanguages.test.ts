// The one list of lint languages (src/core/lint/lintLanguages.ts) is what package.json declares:
// the same ids and file name patterns in contributes.languages. Opening such a file starts the
// linter through the onLanguage event VS Code (>= 1.74) derives from contributes.languages, so
// the manifest lists no activation event of its own (engines.vscode is ^1.100).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LINT_LANGUAGES, fileTypeOf, languageOfType, typeOfLanguage } from '../../../../src/core/lint/lintLanguages';

interface Manifest {
  activationEvents: string[];
  contributes: { languages: { id: string; filenamePatterns?: string[] }[] };
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

void test('package.json contributes exactly the lint languages, with their file name patterns', () => {
  assert.deepEqual(
    manifest.contributes.languages.map((l) => ({ id: l.id, filenamePatterns: l.filenamePatterns })),
    LINT_LANGUAGES.map((l) => ({ id: l.id, filenamePatterns: [...l.filenamePatterns] })),
  );
});

void test('no activation event that VS Code derives from the contributions (onLanguage, onCommand, onView)', () => {
  assert.deepEqual(
    manifest.activationEvents.filter((e) => /^on(Language|Command|View):/.test(e)),
    [],
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
