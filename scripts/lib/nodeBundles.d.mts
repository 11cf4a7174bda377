import type { BuildOptions } from 'esbuild';
/** The node bundles' one esbuild setup (nodeBundles.mjs). */
export function nodeBundleOptions(release: boolean): BuildOptions;
export const CLI_ENTRIES: Record<'cli' | 'drive' | 'ssh2' | 'zod', string>;
export const APART_PACKAGES: RegExp;
export function copyRuntimeData(outdir: string): void;
export const LIBPG_QUERY_WASM: string;
