// Small text reads on the host through its exec (procfs and sysfs files report size 0 to stat,
// so they are read by a command, the same way here and over SSH): several files in one
// command, and one command's output as text.
import type { HostAccess } from './hostAccess';
import { splitHeadOutput } from './procParsers';

/** No file these reads take is larger: /proc/diskstats of a machine with many devices stays below. */
const FILE_BYTES = 1024 * 1024;

/** Several files in one exec (`head -v`): the text of each that could be read; missing ones are absent. */
export async function readHostFiles(host: HostAccess, paths: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<Map<string, string>> {
  // -v prints the header for a single file too; exit 1 only says one file could not be opened.
  const r = await host.exec(['head', '-v', '-c', String(FILE_BYTES), '--', ...paths], {
    timeoutMs,
    maxBytes: FILE_BYTES * paths.length + 64 * 1024,
    ...(signal ? { signal } : {}),
  });
  if (r.code > 1) throw new Error(`head on ${host.label}: ${commandError('head', r.stderr) || `exit ${r.code}`}`);
  return splitHeadOutput(r.stdout.toString('utf8'), paths);
}

/** One command's standard output; a non-zero exit throws with the command's own first line of stderr. */
export async function hostOutput(host: HostAccess, argv: readonly string[], timeoutMs: number): Promise<string> {
  const r = await host.exec(argv, { timeoutMs, maxBytes: 256 * 1024 });
  if (r.code !== 0) throw new Error(`${argv[0]} on ${host.label}: ${commandError(argv[0]!, r.stderr) || `exit ${r.code}`}`);
  return r.stdout.toString('utf8');
}

/**
 * What a failed command said: its own first line ("find: '/x': Permission denied", as the GNU
 * tools name themselves), not a line of the SSH server's before it (sshd's "Could not chdir to
 * home directory" for a user without a home); else the first line.
 */
export function commandError(command: string, stderr: string): string {
  const name = command.slice(command.lastIndexOf('/') + 1);
  const own = stderr.split('\n').find((l) => l.startsWith(`${name}: `));
  return own?.trim() ?? firstLine(stderr);
}

export function firstLine(s: string): string {
  return (s.trim().split('\n')[0] ?? '').trim();
}
