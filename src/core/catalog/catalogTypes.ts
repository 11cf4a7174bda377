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

export interface CatalogFile {
  major: number;
  /** Old names this major still accepts for a renamed parameter. */
  aliases: string[];
  params: CatalogParam[];
}
