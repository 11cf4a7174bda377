// zod, in a bundle of its own (dist/zod.js): the agents' tools take it through ./zod.ts, which
// loads it on their first use, so that the extension's activation never parses it (zod is a
// quarter of what extension.js would be).
export { z } from 'zod/v4';
