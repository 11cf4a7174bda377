// The "Backups" branch of a server: the backups of pgdba.backup.directory made from this server
// (and files made elsewhere, such as the seed's .dump.gz), then the Drive folder's when one is
// configured, and each database's last run (its status record; the timer where systemd runs).
// The branch's own line carries the alert of a missed nightly run. One node per
// server, kept across tree reads: the store's change event re-reads it alone.
import * as vscode from 'vscode';
import type { LocalBackup } from '../../core/backup/listing';
import { describeDriveBackup, describeLastRun, describeLocalBackup, summarizeBackups, type BackupLine } from '../../core/backup/overview';
import type { BackupRunStatus } from '../../core/backup/runStatus';
import { readNightlyTimer, type NightlyTimerState } from '../../core/backup/nightlyTimer';
import { isLocalHost } from '../../core/host/facts';
import type { ConnectionProfile } from '../../core/db/profile';
import { emptyNode, errorNode, group, leaf, type ExplorerNode } from '../explorer/node';
import type { NodeData } from '../explorer/nodeData';
import type { BackupStore } from './backupStore';

const ICONS: Record<BackupLine['state'], vscode.ThemeIcon> = {
  verified: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  unverified: new vscode.ThemeIcon('archive'),
  running: new vscode.ThemeIcon('sync~spin'),
  drive: new vscode.ThemeIcon('cloud'),
  corrupt: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
};
const WARNING = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));

/** Ours when made from this server; files without dump facts (the seed's) belong to every server. */
function belongsTo(b: LocalBackup, p: ConnectionProfile): boolean {
  const s = b.manifest?.dump?.server;
  return !s || (s.host === p.host && s.port === p.port);
}

function backupNode(id: string, line: BackupLine, data: NodeData, contextValue: string): ExplorerNode {
  return leaf(id, line.label, { description: line.description, tooltip: line.tooltip, icon: ICONS[line.state], contextValue, data });
}

function timerText(t: NightlyTimerState): string {
  if (!t.systemd) return t.note;
  return [`${t.unit}: next ${t.nextRun ?? 'not scheduled'}, last ${t.lastRun ?? 'never'}`, ...(t.note ? [t.note] : []), ...t.journal.slice(-5)].join('\n');
}

export class BackupsNode implements ExplorerNode {
  readonly id: string;
  private local: LocalBackup[] = [];
  private runs: BackupRunStatus[] = [];
  private timerNote?: string;
  private readError?: string;

  constructor(
    serverId: string,
    private profile: ConnectionProfile,
    private readonly store: BackupStore,
  ) {
    this.id = `${serverId}/backups`;
  }

  get data(): NodeData {
    return { kind: 'backups', profileName: this.profile.name };
  }

  /** Reads the directory (never a server); profile: the server's profile as the tree read it now. */
  async load(profile = this.profile): Promise<this> {
    this.profile = profile;
    try {
      this.local = (await this.store.local()).filter((b) => belongsTo(b, profile));
      this.runs = (await this.store.lastRuns()).filter((r) => r.server.host === profile.host && r.server.port === profile.port);
      // The timer is the server machine's: read on this one for a local server, through the profile's hop for one behind SSH.
      const machine = profile.ssh || isLocalHost(profile.host) ? this.store.machine(profile) : undefined;
      this.timerNote = machine ? await readNightlyTimer(machine).then(timerText, (e: Error) => e.message) : undefined;
      this.readError = undefined;
    } catch (e) {
      this.local = [];
      this.readError = `cannot read ${this.store.directory}: ${e instanceof Error ? e.message : String(e)}`;
    }
    return this;
  }

  private summary() {
    const s = this.store.settings;
    return summarizeBackups(this.local, s.driveFolderId ? this.store.knownDrive(s.driveFolderId) : [], { staleAfterHours: s.staleAfterHours });
  }

  item(): vscode.TreeItem {
    const s = this.store.settings;
    const summary = this.summary();
    const it = new vscode.TreeItem('Backups', vscode.TreeItemCollapsibleState.Collapsed);
    it.id = this.id;
    it.description = this.readError ? 'unreadable' : summary.description;
    it.tooltip = `${s.directory}${s.driveFolderId ? `\nGoogle Drive folder ${s.driveFolderId}` : ''}${summary.alert ? `\n\n⚠ ${summary.alert}` : ''}`;
    it.iconPath = summary.alert || this.readError ? WARNING : new vscode.ThemeIcon('archive');
    it.contextValue = 'pgdba.backups';
    return it;
  }

  children(): Promise<ExplorerNode[]> {
    const { id, profile } = this;
    const s = this.store.settings;
    if (this.readError) return Promise.resolve([errorNode(id, this.readError)]);
    const summary = this.summary();
    const nodes: ExplorerNode[] = [];
    if (summary.alert && summary.count > 0) {
      nodes.push(leaf(`${id}#alert`, summary.alert, { icon: WARNING, tooltip: `pgdba.backup.alertAfterHours: ${s.staleAfterHours}` }));
    }
    if (this.local.length === 0) {
      nodes.push(
        leaf(`${id}#empty`, `no backup yet in ${s.directory}`, {
          icon: WARNING,
          tooltip: 'Back up a database from its context menu, or set pgdba.backup.directory to where your backups are.',
        }),
      );
    }
    const now = Date.now();
    for (const r of this.runs) {
      const line = describeLastRun(r, now);
      nodes.push(
        leaf(`${id}/run/${r.database}`, line.label, {
          description: line.description,
          tooltip: this.timerNote ? `${line.tooltip}\n\n${this.timerNote}` : line.tooltip,
          icon: ICONS[line.state],
        }),
      );
    }
    for (const b of this.local)
      nodes.push(
        backupNode(`${id}/local/${b.file}`, describeLocalBackup(b, now), { kind: 'backup', profileName: profile.name, local: b }, 'pgdba.backup.local'),
      );
    if (s.driveFolderId) nodes.push(this.driveGroup(`${id}/drive`, s.driveFolderId));
    return Promise.resolve(nodes);
  }

  private driveGroup(id: string, folderId: string): ExplorerNode {
    const profileName = this.profile.name;
    return group(
      id,
      'Google Drive',
      async () => {
        try {
          const files = await this.store.listDrive();
          if (files.length === 0) return [emptyNode(id, 'no files in the Drive folder')];
          const now = Date.now();
          return files.map((f) =>
            backupNode(`${id}/${f.id}`, describeDriveBackup(f, now), { kind: 'driveBackup', profileName, drive: { ...f, folderId } }, 'pgdba.backup.drive'),
          );
        } catch (e) {
          return [errorNode(id, `Google Drive: ${e instanceof Error ? e.message : String(e)}`)];
        }
      },
      { icon: new vscode.ThemeIcon('cloud'), description: folderId, tooltip: `Drive folder ${folderId} (pgdba.backup.driveFolderId)` },
    );
  }
}
