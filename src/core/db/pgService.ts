// pg_service.conf, as libpq reads it: INI sections named after services, `key=value` lines, '#'
// comments. The per-user file (PGSERVICEFILE, else ~/.pg_service.conf) is searched first, then the
// system one (PGSYSCONFDIR/pg_service.conf); the first file that has the service wins.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type ServiceEntries = Map<string, Record<string, string>>;

export function parseServiceFile(text: string): ServiceEntries {
  const services: ServiceEntries = new Map();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = {};
      services.set(section[1]!.trim(), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || !current) continue; // libpq rejects such a file; we just skip the line
    current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return services;
}

/** The files libpq would search for a service, in order. */
function serviceFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const user = env.PGSERVICEFILE ?? join(homedir(), '.pg_service.conf');
  const sysDir = env.PGSYSCONFDIR ?? '/etc/postgresql-common';
  return [user, join(sysDir, 'pg_service.conf')];
}

/** The service's settings from the first file that defines it, or undefined. */
export async function lookupService(name: string, env: NodeJS.ProcessEnv = process.env): Promise<Record<string, string> | undefined> {
  for (const file of serviceFiles(env)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    const entry = parseServiceFile(text).get(name);
    if (entry) return entry;
  }
  return undefined;
}
