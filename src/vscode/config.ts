// The one typed reader of pgdba.* settings. Re-read on onDidChangeConfiguration (see ctx.ts).
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseProfile, type ConnectionProfile } from '../core/db/profile';
import type { PartialThresholds } from '../core/stats/thresholds';

export interface PgdbaConfig {
  connections: ConnectionProfile[];
  /** Problems found while reading pgdba.connections, in words. */
  connectionErrors: string[];
  queryTimeoutMs: number;
  pgVersion: number | undefined;
  pgBinDir: string | undefined;
  /** pgdba.hardware.*: the profile config files are linted against; unset fields are detected. */
  hardware: HardwareSettings;
  /** Alert thresholds over the seed's defaults (validated in core). */
  thresholds: PartialThresholds;
  /** Explorer refresh interval; 0 = only on demand. */
  refreshSeconds: number;
  /** statement_timeout of EXPLAIN ANALYZE runs (pgdba.explain.timeoutMs). */
  explainTimeoutMs: number;
  /** Dashboard sampling interval, seconds (pgdba.dashboard.intervalSeconds). */
  dashboardIntervalSeconds: number;
  /** pgdba.loadTest.keepDatabase: keep the scratch database after a load test (default: dropped). */
  loadTestKeepDatabase: boolean;
  /** pgdba.backup.*: where backups live, how many to keep, Google Drive, checks. */
  backup: BackupSettings;
}

export interface BackupSettings {
  /** Absolute; pgdba.backup.directory, else ~/pgdba-backups. */
  directory: string;
  /** pgdba.backup.group: a group that may read the backups (0640); else the owner's alone (0600). */
  group?: string;
  keepLocal: number;
  /** 0: keep all on Drive (the seed). */
  keepDrive: number;
  driveFolderId?: string;
  /** A path to a key file; the secret itself never sits in settings. */
  driveCredentialsFile?: string;
  verifyAfterBackup: 'none' | 'quick' | 'full';
  staleAfterHours: number;
}

export interface HardwareSettings {
  ramGB?: number;
  cpus?: number;
  storage?: 'ssd' | 'hdd' | 'san';
  workload?: 'web' | 'oltp' | 'dw' | 'desktop' | 'mixed';
  maxConnections?: number;
}

export function readConfig(): PgdbaConfig {
  const c = vscode.workspace.getConfiguration('pgdba');
  const connections: ConnectionProfile[] = [];
  const connectionErrors: string[] = [];
  const seen = new Set<string>();
  for (const raw of c.get<unknown[]>('connections', [])) {
    const { profile, error } = parseProfile(raw);
    if (error) connectionErrors.push(error);
    else if (profile && seen.has(profile.name)) connectionErrors.push(`two connection profiles are named "${profile.name}"; the second is ignored`);
    else if (profile) {
      seen.add(profile.name);
      connections.push(profile);
    }
  }
  const pgVersion = c.get<number | null>('pgVersion', null);
  const pgBinDir = c.get<string>('pgBinDir', '').trim();
  return {
    connections,
    connectionErrors,
    queryTimeoutMs: c.get<number>('queryTimeoutMs', 15000),
    pgVersion: pgVersion ?? undefined,
    pgBinDir: pgBinDir || undefined,
    hardware: readHardware(c),
    thresholds: c.get<PartialThresholds>('alerts.thresholds', {}),
    refreshSeconds: Math.max(0, c.get<number>('explorer.refreshSeconds', 60)),
    explainTimeoutMs: Math.max(100, c.get<number>('explain.timeoutMs', 60_000)),
    dashboardIntervalSeconds: Math.min(3600, Math.max(0.5, c.get<number>('dashboard.intervalSeconds', 2))),
    loadTestKeepDatabase: c.get<boolean>('loadTest.keepDatabase', false) === true,
    backup: readBackup(c),
  };
}

function readBackup(c: vscode.WorkspaceConfiguration): BackupSettings {
  const str = (key: string) => c.get<string>(key, '').trim() || undefined;
  const dir = str('backup.directory')?.replace(/^~(?=$|\/)/, homedir());
  const verify = c.get<string>('backup.verifyAfterBackup', 'quick');
  return {
    directory: resolve(dir ?? join(homedir(), 'pgdba-backups')),
    group: str('backup.group'),
    keepLocal: Math.max(1, Math.floor(c.get<number>('backup.keepLocal', 7))),
    keepDrive: Math.max(0, Math.floor(c.get<number>('backup.keepDrive', 0))),
    driveFolderId: str('backup.driveFolderId'),
    driveCredentialsFile: str('backup.driveCredentialsFile')?.replace(/^~(?=$|\/)/, homedir()),
    verifyAfterBackup: verify === 'none' || verify === 'full' ? verify : 'quick',
    staleAfterHours: Math.max(1, c.get<number>('backup.alertAfterHours', 26)),
  };
}

function readHardware(c: vscode.WorkspaceConfiguration): HardwareSettings {
  const num = (key: string) => {
    const v = c.get<number | null>(key, null);
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
  };
  const oneOf = <T extends string>(key: string, values: readonly T[]) => values.find((v) => v === c.get<string | null>(key, null));
  return {
    ramGB: num('hardware.ramGB'),
    cpus: num('hardware.cpus'),
    storage: oneOf('hardware.storage', ['ssd', 'hdd', 'san'] as const),
    workload: oneOf('hardware.workload', ['web', 'oltp', 'dw', 'desktop', 'mixed'] as const),
    maxConnections: num('hardware.maxConnections'),
  };
}

/** The profiles a settings change removed or changed: what was kept for them (pools, SSH holds, the slow log's window) is stale. */
export function changedProfiles(before: PgdbaConfig, after: PgdbaConfig): string[] {
  const now = new Map(after.connections.map((p) => [p.name, JSON.stringify(p)]));
  return before.connections.filter((p) => now.get(p.name) !== JSON.stringify(p)).map((p) => p.name);
}
