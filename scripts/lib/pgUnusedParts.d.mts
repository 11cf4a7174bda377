// Types of pgUnusedParts.mjs (the esbuild plugin shared by esbuild.mjs and the tests' CLI bundle).
import type { Plugin } from 'esbuild';

export declare const pgUnusedParts: Plugin;
