// What a tree node hands to the commands of its context menu (and to a command in its item):
// one tagged object per kind of node. Commands read it with nodeData(arg, kind), never by
// guessing at fields of the node.
import type { DriveFile } from '../../core/backup/driveClient';
import type { LocalBackup } from '../../core/backup/listing';
import type { SettingRow } from '../../core/stats/settings';

export type NodeData =
  | { kind: 'server'; profileName: string }
  | { kind: 'database'; profileName: string; database: string }
  | { kind: 'setting'; profileName: string; setting: SettingRow }
  | { kind: 'backend'; profileName: string; pid: number; query: string | null; user: string | null }
  | { kind: 'loadMore'; profileName: string; schemaNodeId: string; database: string; schema: string }
  | { kind: 'statementsFix'; profileName: string; fixSql: string; needsRestart: boolean }
  | { kind: 'backups'; profileName: string }
  | { kind: 'backup'; profileName: string; local: LocalBackup }
  | { kind: 'driveBackup'; profileName: string; drive: DriveFile & { folderId: string } }
  | { kind: 'bouncer'; profileName: string }
  | { kind: 'bouncerDatabase'; profileName: string; database: string };

export type NodeKind = NodeData['kind'];
export type DataOf<K extends NodeKind> = Extract<NodeData, { kind: K }>;

const KINDS: ReadonlySet<string> = new Set<NodeKind>([
  'server',
  'database',
  'setting',
  'backend',
  'loadMore',
  'statementsFix',
  'backups',
  'backup',
  'driveBackup',
  'bouncer',
  'bouncerDatabase',
]);

function isData(x: unknown): x is NodeData {
  return (
    typeof x === 'object' && x !== null && KINDS.has(String((x as { kind?: unknown }).kind)) && typeof (x as { profileName?: unknown }).profileName === 'string'
  );
}

/**
 * The data of a command's argument: a tree node (its `data`) or the data itself (a TreeItem's
 * command arguments); of one kind, of any of several, or of any kind at all.
 */
export function nodeData<K extends NodeKind>(arg: unknown, ...kinds: K[]): DataOf<K> | undefined {
  const d = typeof arg === 'object' && arg !== null && 'data' in arg ? arg.data : arg;
  if (!isData(d)) return undefined;
  return kinds.length === 0 || (kinds as NodeKind[]).includes(d.kind) ? (d as DataOf<K>) : undefined;
}
