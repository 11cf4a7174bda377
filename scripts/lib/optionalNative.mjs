// ssh2's optional native parts (its crypto binding, cpu-features): it requires them inside
// try/catch and falls back to Node's own crypto, so the bundles leave them out rather than fail.
export const optionalNative = ['cpu-features', '*.node'];
