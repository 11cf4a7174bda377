// PGC301–PGC304 (information): for every setting whose value differs from the running one (when
// given) or the default, what applying it costs, by the parameter's context.
import type { Finding } from './finding';
import type { ConfModel } from './confModel';
import { formatValue } from './confModel';
import { checkDefault, checkValue } from '../conf/confValue';

const COST: Record<string, { code: string; text: string }> = {
  postmaster: { code: 'PGC301', text: 'applying it needs a server restart' },
  sighup: { code: 'PGC302', text: 'applying it needs a reload (pg_ctl reload or SELECT pg_reload_conf())' },
  backend: { code: 'PGC303', text: 'a reload applies it to new sessions only' },
  'superuser-backend': { code: 'PGC303', text: 'a reload applies it to new sessions only' },
  superuser: { code: 'PGC304', text: 'a reload applies it; superusers can also set it per session' },
  user: { code: 'PGC304', text: 'a reload applies it; any session can also set it per session' },
};

export function changeCostFindings(model: ConfModel, runningValues?: Readonly<Record<string, string>>): Finding[] {
  const out: Finding[] = [];
  for (const [key, cs] of model.last) {
    const p = cs.param;
    const v = cs.checked;
    if (!p || !v?.ok) continue;
    const cost = COST[p.context];
    if (!cost) continue;
    const running = runningValues?.[key] ?? runningValues?.[p.name];
    const base = running === undefined ? checkDefault(p) : checkValue(p, running);
    if (!base.ok) continue;
    const same = base.type === 'string' && v.type === 'string' ? base.value.toLowerCase() === v.value.toLowerCase() : base.value === v.value;
    if (same) continue;
    const was = base.type === 'number' ? formatValue(p, base.value) : base.type === 'bool' ? (base.value ? 'on' : 'off') : `'${base.value}'`;
    out.push({
      file: cs.file,
      ...cs.setting.nameRange,
      endColumn: cs.setting.valueRange.endColumn,
      severity: 'info',
      code: cost.code,
      message: `${p.name} = ${cs.setting.raw} differs from the ${running !== undefined ? 'running value' : 'default'} ${was} (context ${p.context}): ${cost.text}`,
    });
  }
  return out;
}
