// ctx.dashboards: the open dashboards, one per connection.
import type { ConnectionProfile } from '../../core/db/profile';
import type { Ctx } from '../ctx';
import { DashboardPanel } from './dashboardPanel';
import { walkthroughDone } from '../walkthrough';

export class Dashboards {
  private readonly open = new Map<string, DashboardPanel>();

  constructor(private readonly ctx: Ctx) {}

  /** Opens (or reveals) the dashboard of a connection. */
  show(profile: ConnectionProfile): DashboardPanel {
    const existing = this.open.get(profile.name);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const d = new DashboardPanel(this.ctx, profile);
    walkthroughDone('dashboardOpened');
    this.open.set(profile.name, d);
    d.onClose(() => this.open.delete(profile.name));
    return d;
  }
}
