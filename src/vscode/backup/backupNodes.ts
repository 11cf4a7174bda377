// The "Backups" branch of a server: the backups of pgdba.backup.directory made from this server
// (and files made elsewhere, such as the seed's .dump.gz), then the Drive folder's when one is
// configured. The branch's own line carries the alert of a missed nightly run.
import * as vscode from 'vscode';
import type { DriveFile } from '../../core/backup/driveClient';
import { listLocalBackups, type LocalBackup } from '../../core/backup/listing';
import { describeDriveBackup, describeLocalBackup, summarizeBackups, type BackupLine } from '../../core/backup/overview';
import type { ConnectionProfile } from '../../core/db/profile';
import type { BackupSettings } from '../config';
import { emptyNode, errorNode, group, leaf, type ExplorerNode } from '../explorer/node';

/** What a backup node hands to the commands of its context menu. */
export interface BackupNodeData {
  profileName: string;
  local?: LocalBackup;
  drive?: DriveFile & { folderId: string };
}

/** Drive listings already read, so the alert counts Drive backups once the folder was listed. */
export class DriveListings {
  private readonly byFolder = new Map<string, DriveFile[]>();
  get(folderId: string): DriveFile[] | undefined {
    return this.byFolder.get(folderId);
  }
  set(folderId: string, files: DriveFile[]): void {
    this.byFolder.set(folderId, files);
  }
}

const ICONS: Record<BackupLine['state'], vscode.ThemeIcon> = {
  verified: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  unverified: new vscode.ThemeIcon('archive'),
  running: new vscode.ThemeIcon('sync~spin'),
  drive: new vscode.ThemeIcon('cloud'),
  corrupt: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
};

/** Ours when made from this server; files without dump facts (the seed's) belong to every server. */
export function belongsTo(b: LocalBackup, p: ConnectionProfile): boolean {
  const s = b.manifest?.dump?.server;
  return !s || (s.host === p.host && s.port === p.port);
}

function backupNode(id: string, line: BackupLine, data: BackupNodeData, contextValue: string): ExplorerNode {
  const node = leaf(id, line.label, { description: line.description, tooltip: line.tooltip, icon: ICONS[line.state], contextValue });
  return Object.assign(node, data);
}

export interface BackupsBranchDeps {
  settings: BackupSettings;
  listings: DriveListings;
  listDrive: (folderId: string) => Promise<DriveFile[]>;
}

export async function backupsBranch(profile: ConnectionProfile, serverId: string, deps: BackupsBranchDeps): Promise<ExplorerNode> {
  const id = `${serverId}/backups`;
  const { settings } = deps;
  let local: LocalBackup[] = [];
  let readError: string | undefined;
  try {
    local = (await listLocalBackups(settings.directory)).filter((b) => belongsTo(b, profile));
  } catch (e) {
    readError = `cannot read ${settings.directory}: ${e instanceof Error ? e.message : String(e)}`;
  }
  const folder = settings.driveFolderId;
  const summary = summarizeBackups(local, folder ? deps.listings.get(folder) : [], { staleAfterHours: settings.staleAfterHours });
  const now = Date.now();
  const children = (): Promise<ExplorerNode[]> => {
    if (readError) return Promise.resolve([errorNode(id, readError)]);
    const nodes: ExplorerNode[] = [];
    if (summary.alert && summary.count > 0) {
      nodes.push(leaf(`${id}#alert`, summary.alert, { icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')), tooltip: `pgdba.backup.alertAfterHours: ${settings.staleAfterHours}` }));
    }
    if (local.length === 0) {
      nodes.push(leaf(`${id}#empty`, `no backup yet in ${settings.directory}`, {
        icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
        tooltip: 'Back up a database from its context menu, or set pgdba.backup.directory to where your backups are.',
      }));
    }
    for (const b of local) nodes.push(backupNode(`${id}/local/${b.file}`, describeLocalBackup(b, now), { profileName: profile.name, local: b }, 'pgdba.backup.local'));
    if (folder) nodes.push(driveGroup(`${id}/drive`, profile.name, folder, deps));
    return Promise.resolve(nodes);
  };
  const node = group(id, 'Backups', children, {
    description: readError ? 'unreadable' : summary.description,
    tooltip: `${settings.directory}${folder ? `\nGoogle Drive folder ${folder}` : ''}${summary.alert ? `\n\n⚠ ${summary.alert}` : ''}`,
    icon: summary.alert || readError ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon('archive'),
    contextValue: 'pgdba.backups',
  });
  return Object.assign(node, { profileName: profile.name });
}

function driveGroup(id: string, profileName: string, folderId: string, deps: BackupsBranchDeps): ExplorerNode {
  return group(
    id,
    'Google Drive',
    async () => {
      try {
        const files = await deps.listDrive(folderId);
        deps.listings.set(folderId, files);
        if (files.length === 0) return [emptyNode(id, 'no files in the Drive folder')];
        const now = Date.now();
        return files.map((f) => backupNode(`${id}/${f.id}`, describeDriveBackup(f, now), { profileName, drive: { ...f, folderId } }, 'pgdba.backup.drive'));
      } catch (e) {
        return [errorNode(id, `Google Drive: ${e instanceof Error ? e.message : String(e)}`)];
      }
    },
    { icon: new vscode.ThemeIcon('cloud'), description: folderId, tooltip: `Drive folder ${folderId} (pgdba.backup.driveFolderId)` },
  );
}
