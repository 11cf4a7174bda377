// The health report's slow query log kept per profile for the window's session, so a second
// report reads only what the server's log gained (src/core/health/slowLogMemory.ts). One window
// per profile, dropped when the profile is removed or changed.
import { SlowLogMemory } from '../../core/health';
import { changedProfiles, type PgdbaConfig } from '../config';

export class SlowLogMemories {
  private readonly byProfile = new Map<string, SlowLogMemory>();

  of(profile: string): SlowLogMemory {
    let m = this.byProfile.get(profile);
    if (!m) this.byProfile.set(profile, (m = new SlowLogMemory()));
    return m;
  }

  settingsChanged(before: PgdbaConfig, after: PgdbaConfig): void {
    for (const name of changedProfiles(before, after)) this.byProfile.delete(name);
  }

  /** Profiles with a memory (tests). */
  get size(): number {
    return this.byProfile.size;
  }
}
