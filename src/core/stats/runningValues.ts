// The server's running values (pg_settings.setting by name), for the linter: its info rules
// (PGC301–304) say what applying a line costs against the value the server runs with, not the
// built-in default. One round trip, read once per connection.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { sql, type Queryable } from './sql';

export interface RunningValueRow {
  name: string;
  setting: string | null;
}

export const runningValuesQuery = defineQuery<VersionArgs, RunningValueRow>({
  id: 'settings.running',
  title: 'Running values (pg_settings)',
  build: () => sql('SELECT name AS "name", setting AS "setting" FROM pg_settings'),
  columns: { name: 'string', setting: 'string?' },
});

/** name (lower-cased, as the linter keys them) → setting; hidden values (NULL) are left out. */
export async function readRunningValues(q: Queryable, args: VersionArgs): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of await runQuery(q, runningValuesQuery, args)) if (r.setting !== null) out[r.name.toLowerCase()] = r.setting;
  return out;
}
