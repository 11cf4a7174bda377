// The one typed reader of pgdba.* settings. Re-read on onDidChangeConfiguration (see ctx.ts).
import * as vscode from 'vscode';
import { parseProfile, type ConnectionProfile } from '../core/db/profile';

export interface PgdbaConfig {
  connections: ConnectionProfile[];
  /** Problems found while reading pgdba.connections, in words. */
  connectionErrors: string[];
  queryTimeoutMs: number;
  pgVersion: number | undefined;
  pgBinDir: string | undefined;
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
  };
}
