// psql's node line ("Parallel Index Only Scan Backward using i on public.t x") ↔ FORMAT JSON's
// properties (Node Type, Parallel Aware, Scan Direction, Index Name, Relation Name, Alias …),
// after ExplainNode() in src/backend/commands/explain.c.

const JOIN_TYPES = ['Left', 'Right', 'Full', 'Semi', 'Anti', 'Right Anti', 'Right Semi'];

/** Text label → JSON-style properties. */
export function parseNodeLabel(label: string): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  let s = label;
  if (s.startsWith('Parallel ')) {
    p['Parallel Aware'] = true;
    s = s.slice(9);
  }
  if (s.startsWith('Async ')) {
    p['Async Capable'] = true;
    s = s.slice(6);
  }
  let m: RegExpExecArray | null;
  if ((m = /^(Insert|Update|Delete|Merge) on (\S+)(?: (\S+))?$/.exec(s))) {
    p['Node Type'] = 'ModifyTable';
    p.Operation = m[1];
    setRelation(p, m[2]!, m[3]);
    return p;
  }
  if ((m = /^(Partial |Finalize )?(Hash|Group|Mixed)?Aggregate$/.exec(s))) {
    p['Node Type'] = 'Aggregate';
    p.Strategy = m[2] === 'Hash' ? 'Hashed' : m[2] === 'Group' ? 'Sorted' : m[2] === 'Mixed' ? 'Mixed' : 'Plain';
    p['Partial Mode'] = m[1] ? m[1].trim() : 'Simple';
    return p;
  }
  if ((m = /^(Hash)?SetOp (\w+)( All)?$/.exec(s)) || (m = /^(Hash)?SetOp$/.exec(s))) {
    p['Node Type'] = 'SetOp';
    p.Strategy = m[1] ? 'Hashed' : 'Sorted';
    return p;
  }
  if ((m = /^(Nested Loop|Hash|Merge)(?: (.+))? Join$/.exec(s)) || (m = /^(Nested Loop)(?: (.+) Join)?$/.exec(s))) {
    p['Node Type'] = m[1] === 'Nested Loop' ? 'Nested Loop' : `${m[1]} Join`;
    p['Join Type'] = m[2] && JOIN_TYPES.includes(m[2]) ? m[2] : 'Inner';
    return p;
  }
  if ((m = /^Custom Scan \((.+?)\)(?: on (\S+)(?: (\S+))?)?$/.exec(s))) {
    p['Node Type'] = 'Custom Scan';
    p['Custom Plan Provider'] = m[1];
    if (m[2]) setRelation(p, m[2], m[3]);
    return p;
  }
  // "<Type>[ Backward][ using <index>][ on <relation>[ <alias>]]"
  m = /^(.+?)(?: (Backward))?(?: using (\S+|"(?:[^"]|"")+"))?(?: on (\S+|"(?:[^"]|"")+")(?: (\S+))?)?$/.exec(s);
  const type = m?.[1] ?? s;
  p['Node Type'] = type;
  if (m?.[2]) p['Scan Direction'] = 'Backward';
  if (m?.[3]) p['Index Name'] = m[3];
  if (m?.[4]) {
    if (type === 'Bitmap Index Scan') p['Index Name'] = m[4];
    else if (/^(CTE|WorkTable|Named Tuplestore) Scan$/.test(type)) p['CTE Name'] = m[4];
    else if (type === 'Function Scan') p['Function Name'] = m[4];
    else if (type === 'Subquery Scan' || type === 'Values Scan') p.Alias = m[4];
    else setRelation(p, m[4], m[5]);
    if (m[5] && p.Alias === undefined) p.Alias = m[5];
  }
  return p;
}

function setRelation(p: Record<string, unknown>, qualified: string, alias?: string): void {
  const dot = qualified.indexOf('.');
  if (dot > 0 && !qualified.startsWith('"')) {
    p.Schema = qualified.slice(0, dot);
    p['Relation Name'] = qualified.slice(dot + 1);
  } else p['Relation Name'] = qualified;
  if (alias) p.Alias = alias;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** JSON properties → the line psql would print, for the tree. */
export function labelOf(p: Record<string, unknown>): string {
  const given = str(p._label);
  if (given) return given;
  let type = str(p['Node Type']) ?? '?';
  const join = str(p['Join Type']);
  if (type === 'Aggregate') {
    const strategy = str(p.Strategy);
    const mode = str(p['Partial Mode']);
    type = `${mode && mode !== 'Simple' ? `${mode} ` : ''}${strategy === 'Hashed' ? 'Hash' : strategy === 'Sorted' ? 'Group' : strategy === 'Mixed' ? 'Mixed' : ''}Aggregate`;
  } else if (type === 'SetOp' && str(p.Strategy) === 'Hashed') type = 'HashSetOp';
  else if (type === 'ModifyTable' && str(p.Operation)) type = `${str(p.Operation)}`;
  else if (join && join !== 'Inner') type = type === 'Nested Loop' ? `Nested Loop ${join} Join` : type.replace(/ Join$/, ` ${join} Join`);
  const parts = [p['Parallel Aware'] === true ? `Parallel ${type}` : type];
  if (str(p['Scan Direction']) === 'Backward') parts.push('Backward');
  const index = str(p['Index Name']);
  const rel = str(p['Relation Name']);
  const target = rel ? (str(p.Schema) ? `${str(p.Schema)}.${rel}` : rel) : (str(p['CTE Name']) ?? str(p['Function Name']));
  if (index && type === 'Bitmap Index Scan') parts.push(`on ${index}`);
  else if (index) parts.push(`using ${index}`);
  if (target) parts.push(`on ${target}`);
  const alias = str(p.Alias);
  if (alias && (alias !== rel || !target)) parts.push(target ? alias : `on ${alias}`);
  return parts.join(' ');
}
