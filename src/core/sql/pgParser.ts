// PostgreSQL's own parser (libpg-query, WASM), loaded once per process for everything that
// reads SQL: the index advisor's parse trees, the log reports' fingerprints and normalized text.
// Imported on first use: activation does not evaluate the parser's glue code.
//
// The module is compiled with V8's baseline compiler only (--liftoff-only, set around the compile
// and reset after it, so no other WebAssembly in the process is touched): optimizing the 1.7 MB
// module in the background costs ~100 MB of native memory that the allocator keeps (measured: a
// log read's peak RSS 170 → 70 MB for 30,000 fingerprints), and callers cache what they ask, so
// the optimized code would not pay for itself.
import { setFlagsFromString } from 'node:v8';

export type PgParser = Pick<typeof import('libpg-query'), 'parseSync' | 'fingerprintSync' | 'normalizeSync'>;

/** Longer text is not given to the parser: its WASM heap grows to the largest input and never shrinks. */
export const MAX_PARSE_CHARS = 100_000;

let loading: Promise<PgParser> | undefined;

export function loadPgParser(): Promise<PgParser> {
  loading ??= (async () => {
    // Before the import: the glue starts compiling the module as it is evaluated.
    setFlagsFromString('--liftoff-only');
    try {
      const m = await import('libpg-query');
      await m.loadModule();
      return { parseSync: m.parseSync, fingerprintSync: m.fingerprintSync, normalizeSync: m.normalizeSync };
    } finally {
      setFlagsFromString('--no-liftoff-only');
    }
  })();
  return loading;
}
