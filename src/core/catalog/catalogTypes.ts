// The shape of src/core/catalog/pg<major>.json, written by scripts/genCatalogs.ts from a real
// server's pg_settings. Values stay the server's own text (min/max/boot in the base unit).

export type VarType = 'bool' | 'integer' | 'real' | 'string' | 'enum';

export interface CatalogParam {
  name: string;
  type: VarType;
  /** pg_settings.unit: the base unit of min/max/boot ("8kB", "kB", "B", "MB", "ms", "s", "min"). */
  unit?: string;
  min?: string;
  max?: string;
  /** Values pg_settings lists. */
  enum?: string[];
  /** Further spellings the server accepts for this enum (legacy names, boolean words). */
  enumHidden?: string[];
  /** internal, postmaster, sighup, superuser-backend, backend, superuser, user */
  context: string;
  category: string;
  desc: string;
  boot?: string;
}

/** A loaded catalog. */
export interface CatalogFile {
  major: number;
  /** Old names this major still accepts for a renamed parameter. */
  aliases: string[];
  params: CatalogParam[];
}

/**
 * One parameter as stored in the JSON, positionally to keep the bundle small:
 * [name, type, context, category index, desc, unit, min, max, enum, enumHidden, boot];
 * trailing nulls are left out.
 */
export type CatalogRow = [
  name: string,
  type: VarType,
  context: string,
  category: number,
  desc: string,
  unit?: string | null,
  min?: string | null,
  max?: string | null,
  enumValues?: string[] | null,
  enumHidden?: string[] | null,
  boot?: string | null,
];

/** The JSON of src/core/catalog/pg<major>.json. */
export interface CatalogJson {
  major: number;
  aliases: string[];
  categories: string[];
  params: CatalogRow[];
}

export function paramFromRow(row: CatalogRow, categories: readonly string[]): CatalogParam {
  const [name, type, context, category, desc, unit, min, max, enumValues, enumHidden, boot] = row;
  const p: CatalogParam = { name, type, context, category: categories[category] ?? '', desc };
  if (unit != null) p.unit = unit;
  if (min != null) p.min = min;
  if (max != null) p.max = max;
  if (enumValues != null) p.enum = enumValues;
  if (enumHidden != null) p.enumHidden = enumHidden;
  if (boot != null) p.boot = boot;
  return p;
}

export function rowFromParam(p: CatalogParam, categories: string[]): CatalogRow {
  let cat = categories.indexOf(p.category);
  if (cat < 0) cat = categories.push(p.category) - 1;
  const row: CatalogRow = [
    p.name,
    p.type,
    p.context,
    cat,
    p.desc,
    p.unit ?? null,
    p.min ?? null,
    p.max ?? null,
    p.enum ?? null,
    p.enumHidden ?? null,
    p.boot ?? null,
  ];
  while (row.length > 5 && row[row.length - 1] === null) row.pop();
  return row;
}
