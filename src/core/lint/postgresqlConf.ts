// The postgresql.conf linter, the one entry point the CLI and the VS Code adapter call:
//
//   lintPostgresqlConf(text, { file, major?, hardware?, runningValues?, fs?, hbaOpenToWorld?, tree? }): Finding[]
//
//   file            path of the text (findings carry it; includes resolve against its directory)
//   major           PostgreSQL major to check against (13–18; default 16)
//   hardware        profile for the PGC200 recommendations and the RAM contradictions; none, none
//   runningValues   pg_settings.setting by name, from a connected server: PGC30x compare with it
//   fs              file-system port: include / include_if_exists / include_dir are followed
//                   (and missing ones reported) only when given
//   hbaOpenToWorld  pg_hba.conf lines open to 0.0.0.0/0 or ::/0 (from the hba linter), for PGC401
//   tree            the text already parsed with its includes resolved (lintFileSet's parse
//                   cache, which resolves a file once for all that need it); else done here
//
// Never throws: a broken file yields findings. Codes are documented in docs/lint-rules.md.
import type { Finding } from './finding';
import { clampMajor } from '../catalog/catalog';
import { resolveConfTree, type ConfFileSystem, type ConfTree } from '../conf/confIncludes';
import { ConfModel } from './confModel';
import { duplicateFindings, valueFindings } from './confValueRules';
import { contradictionFindings } from './confContradictions';
import { changeCostFindings } from './confChangeCost';
import { securityFindings, type HbaOpenLine } from './confSecurityRules';
import { hardwareFindings } from './confHardwareRules';
import type { HardwareProfile } from './hardware';

export interface PostgresqlConfLintOptions {
  file: string;
  major?: number;
  hardware?: HardwareProfile;
  runningValues?: Readonly<Record<string, string>>;
  fs?: ConfFileSystem;
  hbaOpenToWorld?: readonly HbaOpenLine[];
  tree?: ConfTree;
}

export function lintPostgresqlConf(text: string, options: PostgresqlConfLintOptions): Finding[] {
  try {
    return lint(text, options);
  } catch (e) {
    // A bug of ours must not cost the person the other findings' host (editor, CI): say it once.
    return [
      {
        file: options.file,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        severity: 'error',
        code: 'PGC000',
        message: `pgdba could not lint this file: ${e instanceof Error ? e.message : String(e)}`,
      },
    ];
  }
}

function lint(text: string, options: PostgresqlConfLintOptions): Finding[] {
  const major = clampMajor(options.major);
  const tree = options.tree ?? resolveConfTree(options.file, text, options.fs);
  const parsed = tree.files[0]?.parsed; // the main file, always first
  if (!parsed) throw new Error('the include tree has no main file');
  const findings: Finding[] = [];
  for (const unit of tree.files) {
    for (const e of unit.parsed.errors) findings.push({ file: unit.path, ...e.range, severity: 'error', code: e.code, message: e.message });
  }
  for (const p of tree.problems) findings.push({ file: p.file, ...p.range, severity: 'error', code: p.code, message: p.message });

  const model = new ConfModel(tree, major, options.runningValues);
  // Appended one by one: push(...list) passes each finding as an argument, and a file of 300k
  // unknown names overflowed the stack.
  const append = (list: readonly Finding[]) => {
    for (const f of list) findings.push(f);
  };
  append(valueFindings(model));
  append(duplicateFindings(model));
  append(contradictionFindings(model, options.hardware));
  append(securityFindings(model, options.hbaOpenToWorld));
  if (options.hardware) append(hardwareFindings(model, options.hardware, { file: options.file, text, parsed }));
  append(changeCostFindings(model, options.runningValues));
  return findings.sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.column - b.column : a.file === options.file ? -1 : b.file === options.file ? 1 : a.file < b.file ? -1 : 1,
  );
}

export type { HardwareProfile } from './hardware';
export type { ConfFileSystem } from '../conf/confIncludes';
