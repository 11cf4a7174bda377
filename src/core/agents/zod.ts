// The one way the agents' tools reach zod's functions: zodModule.ts, bundled apart as dist/zod.js
// and loaded when a tool module is first evaluated (extension.js imports the tools on the first
// call). Types may come from 'zod/v4' itself: a type import bundles nothing.
import { requireBundled } from '../bundledPart';

type ZodModule = typeof import('./zodModule');

export const z: ZodModule['z'] = requireBundled<ZodModule>('zod', './agents/zodModule').z;
