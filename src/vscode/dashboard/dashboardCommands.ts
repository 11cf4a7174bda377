// pgdba.openDashboard: from the palette (the connection picked as elsewhere) or a server node.
import type { CommandFactory } from '../ctx';
import { pickProfile } from '../pickProfile';
import { DashboardPanel } from './dashboardPanel';

/** Returns the panel (the e2e test reads its points and alerts). */
export const openDashboard: CommandFactory = (ctx) => async (arg?: unknown) => {
  const profile = await pickProfile(ctx, arg);
  return profile ? DashboardPanel.show(ctx, profile) : undefined;
};
