// Host facts in words: one line for the tree's Server node, and the `pgdba host` text report
// with the reason beside every fact that is not known.
import { formatBytes, formatDuration } from '../format';
import type { DirectoryFacts, FactName, HostFacts } from './facts';

const SOURCE_WORDS: Record<HostFacts['source'], string> = { local: 'this machine', ssh: 'SSH', sql: 'SQL (pg_read_file)' };

function disk(r: boolean | null): string | undefined {
  return r === null ? undefined : r ? 'HDD' : 'SSD';
}

/** "2 CPUs, 7.8 GB RAM, SSD, 61.2 GB free" — only what is known. */
export function describeHostFacts(f: HostFacts): string {
  const parts = [
    f.cpus !== null ? `${f.cpus} CPU${f.cpus === 1 ? '' : 's'}` : undefined,
    f.ramBytes !== null ? `${formatBytes(f.ramBytes)} RAM` : undefined,
    disk(f.rotational),
    f.dataDirectory.freeBytes !== null ? `${formatBytes(f.dataDirectory.freeBytes)} free` : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join(', ') : 'host facts not known';
}

function dirLine(d: DirectoryFacts, why: string | undefined): string {
  const sizes =
    d.freeBytes !== null && d.totalBytes !== null ? `${formatBytes(d.freeBytes)} free of ${formatBytes(d.totalBytes)}` : `sizes not known: ${why ?? '?'}`;
  return `${d.path ?? `not known: ${why ?? '?'}`}${d.path !== null ? ` (${sizes})` : ''}`;
}

export function renderHostFactsText(f: HostFacts): string {
  const u = (n: FactName) => `not known: ${f.unknown[n] ?? '?'}`;
  const rows: [string, string][] = [
    ['source', `${f.source} — ${f.host === SOURCE_WORDS[f.source] ? f.host : `${f.host}, ${SOURCE_WORDS[f.source]}`}`],
    ['CPUs', f.cpus !== null ? String(f.cpus) : u('cpus')],
    ['RAM', f.ramBytes !== null ? `${formatBytes(f.ramBytes)} (${f.ramBytes} bytes)` : u('ramBytes')],
    ['data disk', f.rotational !== null ? (f.rotational ? 'rotational (HDD)' : 'not rotational (SSD)') : u('rotational')],
    ['OS', f.os ?? u('os')],
    ['kernel', f.kernel ?? u('kernel')],
    ['uptime', f.uptimeSeconds !== null ? formatDuration(f.uptimeSeconds) : u('uptimeSeconds')],
    ['data directory', dirLine(f.dataDirectory, f.unknown.dataDirectory)],
  ];
  if (f.backupDirectory) rows.push(['backup directory', dirLine(f.backupDirectory, f.unknown.backupDirectory)]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n';
}
