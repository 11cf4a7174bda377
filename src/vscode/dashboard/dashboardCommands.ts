// pgdba.openDashboard: from the palette (the connection picked as elsewhere) or a server node.
import type { CommandFactory } from '../ctx';
import { pickProfile } from '../pickProfile';

/** Returns the panel (the e2e test reads its points and alerts). */
export const openDashboard: CommandFactory = (ctx) => async (arg?: unknown) => {
  const profile = await pickProfile(ctx, arg);
  return profile ? ctx.dashboards.show(profile) : undefined;
};
