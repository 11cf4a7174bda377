// What a saved change needs before the server uses it, per parameter, from the catalog's context
// of the server's major: sighup, superuser, user, backend and superuser-backend settings are read
// on reload (backend ones by new sessions only), postmaster ones on a restart; internal ones
// cannot be set at all. pg_hba.conf and pg_ident.conf are read on reload, as a whole.
import { parseConf } from '../conf/confParser';
import { lookup } from '../catalog/catalog';
import type { ConfFileType } from '../lint/lintLanguages';

export type ChangeNeed = 'reload' | 'restart' | 'new sessions' | 'nothing' | 'unknown';

export interface SettingChange {
  name: string;
  before?: string;
  after?: string;
  need: ChangeNeed;
  /** In words, for the person: "restart: shared_buffers is read at server start". */
  note: string;
}

export interface ChangeReport {
  changes: SettingChange[];
  /** What the save as a whole needs: restart over reload over nothing. */
  need: 'restart' | 'reload' | 'nothing';
}

/** The last value of each setting in one file (the server's rule: the last one wins). */
function settingsOf(text: string): Map<string, { name: string; value: string }> {
  const out = new Map<string, { name: string; value: string }>();
  for (const item of parseConf(text).items) if (item.kind === 'setting') out.set(item.key, { name: item.name, value: item.value });
  return out;
}

function needOf(name: string, major: number): { need: ChangeNeed; note: string } {
  const p = lookup(name, major);
  if (!p) return { need: 'unknown', note: `${name} is not a parameter of PostgreSQL ${major}: the server ignores it with a warning in its log` };
  switch (p.context) {
    case 'postmaster':
      return { need: 'restart', note: `${p.name} is read at server start: it takes effect after a restart` };
    case 'internal':
      return { need: 'nothing', note: `${p.name} is fixed when PostgreSQL is built or initdb runs: no file changes it` };
    case 'backend':
    case 'superuser-backend':
      return { need: 'new sessions', note: `${p.name} is read on reload by sessions that start after it` };
    default:
      return { need: 'reload', note: `${p.name} takes effect on reload (pg_reload_conf())` };
  }
}

export function describeChanges(type: ConfFileType, before: string, after: string, major: number): ChangeReport {
  if (before === after) return { changes: [], need: 'nothing' };
  if (type !== 'conf') {
    const what = type === 'hba' ? 'pg_hba.conf is read again on reload (new connections use it)' : 'pgbouncer.ini is read again on RELOAD in its admin console';
    return { changes: [{ name: type === 'hba' ? 'pg_hba.conf' : 'pgbouncer.ini', need: 'reload', note: what }], need: 'reload' };
  }
  const a = settingsOf(before);
  const b = settingsOf(after);
  const changes: SettingChange[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const was = a.get(key);
    const now = b.get(key);
    if (was?.value === now?.value) continue;
    const name = now?.name ?? was?.name ?? key;
    const { need, note } = needOf(name, major);
    changes.push({
      name,
      ...(was ? { before: was.value } : {}),
      ...(now ? { after: now.value } : {}),
      need,
      note: now ? note : `${note}; removed from the file, it goes back to its default or the value set elsewhere`,
    });
  }
  const need = changes.some((c) => c.need === 'restart') ? 'restart' : changes.some((c) => c.need !== 'nothing') ? 'reload' : 'nothing';
  return { changes, need };
}
