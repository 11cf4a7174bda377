/** ssh2's optional native parts, left out of the bundles (optionalNative.mjs). */
export const optionalNative: string[];
