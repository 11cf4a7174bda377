// Where a profile's password comes from, in libpq's order (service file, PGPASSWORD, ~/.pgpass),
// with the editor's secret store first. Core sees the secret store only through this port.
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionProfile } from './profile';
import { lookupPgpass, parsePgpass } from './pgpass';
import { lookupService } from './pgService';

export interface SecretStorePort {
  get(key: string): PromiseLike<string | undefined>;
}

export function secretKeyFor(profile: ConnectionProfile): string {
  return `pgdba.password.${profile.name}`;
}

export type PasswordOrigin = 'secret-storage' | 'pg_service.conf' | 'pgpass' | 'environment' | 'none';

export interface ResolvedPassword {
  password?: string;
  origin: PasswordOrigin;
}

export async function resolvePassword(
  profile: ConnectionProfile,
  secrets: SecretStorePort | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedPassword> {
  const fromStore = secrets ? await secrets.get(secretKeyFor(profile)) : undefined;
  if (fromStore) return { password: fromStore, origin: 'secret-storage' };
  // libpq's order: a service's settings come before the PG* environment variables.
  const service = profile.service ?? env.PGSERVICE;
  if (service) {
    const entry = await lookupService(service, env);
    if (entry?.password) return { password: entry.password, origin: 'pg_service.conf' };
  }
  if (env.PGPASSWORD) return { password: env.PGPASSWORD, origin: 'environment' };
  const file = env.PGPASSFILE ?? join(homedir(), '.pgpass');
  try {
    const st = await stat(file);
    // libpq ignores a .pgpass readable by group or others; so do we.
    if ((st.mode & 0o077) === 0) {
      const pw = lookupPgpass(parsePgpass(await readFile(file, 'utf8')), profile);
      if (pw !== undefined) return { password: pw, origin: 'pgpass' };
    }
  } catch {
    /* no .pgpass: not an error */
  }
  return { origin: 'none' };
}
