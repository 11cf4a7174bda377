// The client tools as a machine has them, found through HostAccess (this machine, or the SSH hop's):
// where the machine's shell finds each (`command -v`, its PATH, as a service's would) and the
// version it prints. `pgdba version` asks this machine, `pgdba doctor` the server's.
import type { HostAccess } from '../host/hostAccess';
import { parseToolVersion } from './tools';

export type HostToolName = 'pg_dump' | 'pg_restore' | 'pgbench' | 'psql' | 'zstd' | 'node';

export interface HostTool {
  name: HostToolName;
  /** Absent when the machine has no such program; `problem` says so. */
  path?: string;
  /** "15.18", "1.5.4", "20.19.0" */
  version?: string;
  /** The PostgreSQL tools' and Node's major. */
  major?: number;
  problem?: string;
}

const TIMEOUT_MS = 10_000;

/** zstd's "*** Zstandard CLI (64-bit) v1.5.4, by Yann Collet ***", node's "v20.19.0". */
function otherVersion(name: HostToolName, out: string): { version: string; major?: number } | undefined {
  const m = /\bv(\d+)\.(\d+)\.(\d+)\b/.exec(out);
  if (!m) return undefined;
  return { version: `${m[1]}.${m[2]}.${m[3]}`, ...(name === 'node' ? { major: Number(m[1]) } : {}) };
}

/**
 * One program: `sh -c 'command -v "$1" && "$1" --version' sh NAME` — the name is an argument of the
 * script, never part of it. With a bin directory, the path in it is tried (pgdba.pgBinDir, --pg-bin-dir).
 */
export async function probeHostTool(host: HostAccess, name: HostToolName, binDir?: string): Promise<HostTool> {
  const program = binDir && name !== 'zstd' && name !== 'node' ? `${binDir.replace(/\/+$/, '')}/${name}` : name;
  let r;
  try {
    r = await host.exec(['sh', '-c', 'command -v "$1" && exec "$1" --version', 'sh', program], { timeoutMs: TIMEOUT_MS, maxBytes: 64 * 1024 });
  } catch (e) {
    return { name, problem: `${name} could not be looked for on ${host.label}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const [pathLine = '', ...rest] = r.stdout.toString('utf8').split('\n');
  if (r.code !== 0 && pathLine.trim() === '') return { name, problem: `${host.label} has no ${program}${binDir ? '' : ' on its PATH'}` };
  const text = rest.join('\n') + r.stderr;
  const v = name === 'zstd' || name === 'node' ? otherVersion(name, text) : parseToolVersion(text);
  if (!v) return { name, path: pathLine.trim(), problem: `${pathLine.trim()} --version printed no version${r.code !== 0 ? ` (exit ${r.code})` : ''}` };
  return { name, path: pathLine.trim(), ...('text' in v ? { version: v.text, major: v.major } : v) };
}

/** One after the other: an SSH server opens only so many channels at once (sshd's MaxSessions, 10). */
export async function probeHostTools(host: HostAccess, names: readonly HostToolName[], binDir?: string): Promise<HostTool[]> {
  const out: HostTool[] = [];
  for (const n of names) out.push(await probeHostTool(host, n, binDir));
  return out;
}
