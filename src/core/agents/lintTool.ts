// lint_config: pgdba's linter on a postgresql.conf, pg_hba.conf or pgbouncer.ini, by path (read
// with the CLI's one guarded read) or as text, through the one lintFileSet of the CLI and editor.
import { isAbsolute } from 'node:path';
import { z } from './zod';
import { nodeConfFileSystem, readConfFile } from '../conf/nodeConfFileSystem';
import { classifyConfText } from '../lint/confClassifier';
import { lintFileSet } from '../lint/lintFileSet';
import { lintFilesOf } from '../lint/lintFiles';
import { CONF_FILE_TYPES, fileTypeOf, type ConfFileType } from '../lint/lintLanguages';
import { SEVERITY_RANK } from '../lint/finding';
import { DEFAULT_PG_MAJOR, SUPPORTED_PG_MAJORS } from '../pgMajor';
import { defineTool } from './agentTool';

/** What a text given inline is called in the findings. */
const TEXT_NAME: Record<ConfFileType, string> = { conf: 'postgresql.conf', hba: 'pg_hba.conf', pgbouncer: 'pgbouncer.ini' };

const schema = z
  .object({
    path: z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path').optional().describe('An absolute path of the file on this machine'),
    text: z
      .string()
      .max(10 * 1024 * 1024)
      .optional()
      .describe("The file's text (instead of path)"),
    type: z
      .enum(CONF_FILE_TYPES as [ConfFileType, ...ConfFileType[]])
      .optional()
      .describe('conf (postgresql.conf), hba (pg_hba.conf) or pgbouncer (pgbouncer.ini); default: from the name, else the first lines'),
    pgVersion: z
      .number()
      .int()
      .min(SUPPORTED_PG_MAJORS[0])
      .max(SUPPORTED_PG_MAJORS[SUPPORTED_PG_MAJORS.length - 1]!)
      .optional()
      .describe(`The PostgreSQL major the file is for (default ${DEFAULT_PG_MAJOR})`),
  })
  .strict()
  .refine((i) => (i.path === undefined) !== (i.text === undefined), 'give either path or text, one of them');

export const lintTool = defineTool({
  name: 'pgdba_lint_config',
  displayName: 'Lint a PostgreSQL config file',
  summary: 'Lint a postgresql.conf, pg_hba.conf or pgbouncer.ini against PostgreSQL 13–18.',
  description:
    "Lints a postgresql.conf, pg_hba.conf or pgbouncer.ini (by absolute path, or its text) with pgdba's rules for PostgreSQL 13–18: unknown or misspelt parameters, values out of range or in the wrong unit, contradictions, memory settings against the hardware, insecure pg_hba.conf lines (trust, md5, open to the world, shadowed lines), PgBouncer pool arithmetic. Returns each finding with its line, code, severity, message and the fix. Runs on this machine only: nothing is sent to a server.",
  schema,
  needsServer: false,
  confirm: (input) => (input.path !== undefined ? { title: 'Lint a config file?', message: `Reads and lints \`${input.path}\` on this machine.` } : undefined),
  run: (input) => {
    let name: string;
    let text: string;
    if (input.path !== undefined) {
      const read = readConfFile(input.path);
      if ('error' in read) return Promise.resolve({ text: `Cannot read ${input.path}: ${read.error}`, isError: true });
      name = input.path;
      text = read.text;
    } else text = input.text!;
    const type = input.type ?? (input.path !== undefined ? fileTypeOf(input.path) : undefined) ?? classifyConfText(text);
    if (!type)
      return Promise.resolve({
        text: 'Cannot tell what this file is: neither its name nor its first lines say. Give type: conf, hba or pgbouncer.',
        isError: true,
      });
    name = input.path ?? TEXT_NAME[type];
    // A text has no disk behind it: its includes are neither followed nor reported missing.
    const files = lintFilesOf(new Map([[name, text]]), input.path !== undefined ? nodeConfFileSystem : undefined);
    const found = [...lintFileSet([{ path: name, type }], files, { major: input.pgVersion ?? DEFAULT_PG_MAJOR }).values()]
      .flat()
      .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.line - b.line);
    const head = `${name} (${TEXT_NAME[type]}, PostgreSQL ${input.pgVersion ?? DEFAULT_PG_MAJOR}): ${found.length} finding${found.length === 1 ? '' : 's'}`;
    const counts = (['error', 'warning', 'info'] as const).map((s) => `${found.filter((f) => f.severity === s).length} ${s}`).join(', ');
    const lines = found.map((f) => {
      const where = f.file === name ? `line ${f.line}` : `${f.file}:${f.line}`;
      return `- ${f.severity.toUpperCase()} ${f.code} (${where}): ${f.message}${f.fix ? ` — fix: ${f.fix.title}${f.fix.newText ? `: \`${f.fix.newText.trim()}\`` : ''}` : ''}`;
    });
    return Promise.resolve({ text: found.length ? `${head} (${counts}):\n\n${lines.join('\n')}` : `${head}: nothing to change.`, isError: false });
  },
});
