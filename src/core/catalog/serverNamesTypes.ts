// The shape of src/core/catalog/serverNames.json (written by `npx tsx scripts/genCatalogs.ts names`):
// per kind, the names every supported major has as one space-separated sorted string, and the
// names only some majors have with those majors. Compact (one copy of ~600 zone names for six
// majors) and diffable.

export type ServerNameKind =
  | 'zones'
  | 'abbreviationSets'
  | 'textSearchConfigs'
  | 'tableAccessMethods'
  | 'tablespaces'
  /** The spellings pg_char_to_encoding knows (its table's: lower case, letters and digits only). */
  | 'encodings'
  /** Those a UTF8 database has no conversion for, so a UTF8 server refuses them as client_encoding. */
  | 'encodingsWithoutUtf8';

export const SERVER_NAME_KINDS: readonly ServerNameKind[] = [
  'zones',
  'abbreviationSets',
  'textSearchConfigs',
  'tableAccessMethods',
  'tablespaces',
  'encodings',
  'encodingsWithoutUtf8',
];

export interface NameSetJson {
  /** Names of every major, sorted, separated by one space. */
  all: string;
  /** Names of some majors only → those majors. */
  only: Record<string, number[]>;
}

export type ServerNamesJson = Record<ServerNameKind, NameSetJson>;

export function encodeNameSets(perMajor: ReadonlyMap<number, Readonly<Record<ServerNameKind, readonly string[]>>>): ServerNamesJson {
  const majors = [...perMajor.keys()];
  const out = {} as ServerNamesJson;
  for (const kind of SERVER_NAME_KINDS) {
    const having = new Map<string, number[]>();
    for (const m of majors) for (const n of perMajor.get(m)?.[kind] ?? []) having.set(n, [...(having.get(n) ?? []), m]);
    const names = [...having.keys()].sort();
    const only: Record<string, number[]> = {};
    for (const n of names) if ((having.get(n) ?? []).length < majors.length) only[n] = having.get(n) ?? [];
    out[kind] = { all: names.filter((n) => !(n in only)).join(' '), only };
  }
  return out;
}

/** The names of one kind a major has. */
export function decodeNameSet(set: NameSetJson, major: number): string[] {
  const names = set.all ? set.all.split(' ') : [];
  for (const [n, majors] of Object.entries(set.only)) if (majors.includes(major)) names.push(n);
  return names;
}
