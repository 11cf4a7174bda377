// `pgdba lint FILE...`: reads the files, lints them together through the core, prints the
// findings, and returns 0 (nothing at or above --fail-on), 1 (something is) or 2 (usage or I/O).
import { PGDBA_VERSION } from '../core/version';
import { terminalText } from '../core/terminalText';
import { SEVERITY_RANK, type Finding } from '../core/lint/finding';
import { lintFileSet, type LintTarget } from '../core/lint/lintFileSet';
import { fileTypeOf } from '../core/lint/lintLanguages';
import { classifyConfText } from '../core/lint/confClassifier';
import { lintFilesOf } from '../core/lint/lintFiles';
import { resolveHardware } from '../core/lint/hardwareInput';
import { nodeConfFileSystem as nodeFileSystem, readConfFile } from '../core/conf/nodeConfFileSystem';
import { LINT_USAGE, UsageError, parseLintArgs, type LintRequest } from './lintArgs';
import { formatJson, formatSarif, formatText } from './lintOutput';

export async function lintCommand(args: string[]): Promise<number> {
  let req: LintRequest;
  try {
    req = parseLintArgs(args);
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message);
    throw e;
  }
  if (req.help) {
    process.stdout.write(LINT_USAGE);
    return 0;
  }
  const targets: LintTarget[] = [];
  const texts = new Map<string, string>();
  for (const path of req.files) {
    // The one guarded read: /dev/zero, a FIFO, a directory or a file over 10 MB is refused, never read.
    const read = readConfFile(path);
    if ('error' in read) return fail(`cannot read ${path}: ${read.error}`);
    const text = read.text;
    // --type, else the name, else what the first lines hold
    const type = req.type ?? fileTypeOf(path) ?? classifyConfText(text);
    if (!type) {
      return fail(
        `cannot tell what ${path} is: neither its name nor its first lines say; name it postgresql*.conf, pg_hba*.conf or pgbouncer*.ini, or pass --type conf|hba|pgbouncer`,
      );
    }
    targets.push({ path, type });
    texts.set(path, text);
  }
  // The files given are linted together; none is looked for beside them.
  const byFile = lintFileSet(targets, lintFilesOf(texts, nodeFileSystem), {
    major: req.pgVersion,
    hardware: resolveHardware(
      { ramBytes: req.ramBytes, cpus: req.cpus, storage: req.storage, workload: req.workload, maxConnections: req.connections, pgVersion: req.pgVersion },
      false,
    ),
    connections: req.connections !== undefined ? { count: req.connections, source: '--connections' } : undefined,
  });
  const findings = [...byFile.values()].flat().sort(byPosition(req.files));
  const out = req.format === 'json' ? formatJson(findings) : req.format === 'sarif' ? formatSarif(findings, PGDBA_VERSION) : formatText(findings);
  await write(out);
  const threshold = SEVERITY_RANK[req.failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

function byPosition(order: readonly string[]): (a: Finding, b: Finding) => number {
  const rank = (f: Finding) => {
    const i = order.indexOf(f.file);
    return i < 0 ? order.length : i;
  };
  return (a, b) => rank(a) - rank(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column;
}

function fail(message: string): number {
  process.stderr.write(`pgdba lint: ${terminalText(message)}\n`);
  return 2;
}

function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}
