// The PostgreSQL majors pgdba knows, and the one it assumes when nothing says which (the seed's
// server runs 16): the one default for every linter, parser and query chooser.
export const SUPPORTED_PG_MAJORS = [13, 14, 15, 16, 17, 18] as const;
export const DEFAULT_PG_MAJOR = 16;
/** server_version_num of the default major, for query choosers keyed by version number. */
export const DEFAULT_PG_VERSION_NUM = DEFAULT_PG_MAJOR * 10000;
