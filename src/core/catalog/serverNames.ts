// The names a server's check hooks look up in what PostgreSQL ships (its tzdata zones, the
// timezone_abbreviations sets, built-in text search configurations, table access methods and
// tablespaces), per major, from serverNames.json (generated: scripts/genCatalogs.ts names). Read
// from disk on first use, like the parameter catalogs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogDir, clampMajor } from './catalog';
import { decodeNameSet, type ServerNameKind, type ServerNamesJson } from './serverNamesTypes';

export type { ServerNameKind } from './serverNamesTypes';

let json: ServerNamesJson | undefined;
const sets = new Map<string, ReadonlyMap<string, string>>();

/** Lower-cased name → the name as the server spells it, for one kind and major. */
export function serverNames(kind: ServerNameKind, major: number): ReadonlyMap<string, string> {
  const m = clampMajor(major);
  const key = `${kind} ${m}`;
  let set = sets.get(key);
  if (!set) {
    json ??= JSON.parse(readFileSync(join(catalogDir(), 'serverNames.json'), 'utf8')) as ServerNamesJson;
    set = new Map(decodeNameSet(json[kind], m).map((n) => [n.toLowerCase(), n]));
    sets.set(key, set);
  }
  return set;
}
