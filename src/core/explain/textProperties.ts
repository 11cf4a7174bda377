// One property line of a text plan → FORMAT JSON's keys and values (explain.c's show_* functions).

const num = (s: string): number => Number(s.replace(/kB$/, ''));

/** "shared hit=1 read=2, local hit=3, temp read=4 written=5" → Shared Hit Blocks … */
function parseBuffers(rest: string, into: Record<string, unknown>): void {
  for (const part of rest.split(/,\s*/)) {
    const m = /^(shared|local|temp)\s+(.*)$/.exec(part.trim());
    if (!m) continue;
    const kind = m[1]![0]!.toUpperCase() + m[1]!.slice(1);
    for (const kv of m[2]!.matchAll(/(hit|read|dirtied|written)=(\d+)/g)) {
      const what = kv[1] === 'hit' ? 'Hit' : kv[1] === 'read' ? 'Read' : kv[1] === 'dirtied' ? 'Dirtied' : 'Written';
      into[`${kind} ${what} Blocks`] = Number(kv[2]);
    }
  }
}

/** 13–14: "read=1.2 write=0.3"; 15: "shared/local read=…, temp read=…"; 16+: "shared read=…, local …, temp …". */
function parseIoTimings(rest: string, into: Record<string, unknown>): void {
  for (const part of rest.split(/,\s*/)) {
    const m = /^(?:(shared\/local|shared|local|temp)\s+)?(.*)$/.exec(part.trim());
    const prefix = m?.[1] === 'temp' ? 'Temp ' : m?.[1] === 'local' ? 'Local ' : m?.[1] === 'shared' ? 'Shared ' : '';
    for (const kv of (m?.[2] ?? '').matchAll(/(read|write)=([\d.]+)/g)) {
      into[`${prefix}I/O ${kv[1] === 'read' ? 'Read' : 'Write'} Time`] = Number(kv[2]);
    }
  }
}

/** Space-separated "Key: value" pairs on one line ("Buckets: 1024  Batches: 1  Memory Usage: 9kB"). */
function pairs(text: string): [string, string][] {
  return text.split(/\s{2,}/).flatMap((chunk) => {
    const i = chunk.indexOf(': ');
    return i > 0 ? [[chunk.slice(0, i), chunk.slice(i + 2)] as [string, string]] : [];
  });
}

export function parsePropertyLine(text: string, into: Record<string, unknown>): void {
  const colon = text.indexOf(': ');
  const bare = text.endsWith(':') ? text.slice(0, -1) : undefined;
  if (colon < 0) {
    if (bare !== undefined) into[bare] = true;
    else ((into._lines ??= []) as string[]).push(text);
    return;
  }
  const key = text.slice(0, colon);
  const rest = text.slice(colon + 2);
  let m: RegExpExecArray | null;
  switch (key) {
    case 'Buffers':
      return parseBuffers(rest, into);
    case 'I/O Timings':
      return parseIoTimings(rest, into);
    case 'WAL':
      for (const kv of rest.matchAll(/(records|fpi|bytes|buffers full)=(\d+)/g)) {
        const k = kv[1] === 'fpi' ? 'FPI' : kv[1] === 'buffers full' ? 'Buffers Full' : kv[1]![0]!.toUpperCase() + kv[1]!.slice(1);
        into[`WAL ${k}`] = Number(kv[2]);
      }
      return;
    case 'Heap Blocks':
      for (const kv of rest.matchAll(/(exact|lossy)=(\d+)/g)) into[kv[1] === 'exact' ? 'Exact Heap Blocks' : 'Lossy Heap Blocks'] = Number(kv[2]);
      return;
    case 'Sort Method':
      // "external merge  Disk: 1234kB" / "quicksort  Memory: 25kB"
      if ((m = /^(.+?)\s{2,}(Disk|Memory): (\d+)kB$/.exec(rest))) {
        into['Sort Method'] = m[1];
        into['Sort Space Type'] = m[2];
        into['Sort Space Used'] = Number(m[3]);
      } else into['Sort Method'] = rest;
      return;
    case 'Output':
    case 'Sort Key':
    case 'Group Key':
    case 'Presorted Key':
      into[key] = rest.split(/, (?![^(]*\))/);
      return;
  }
  if (key === 'Buckets' || key === 'Batches' || key === 'Planned Partitions') {
    // Hash: "Buckets: 65536 (originally 1024)  Batches: 4 (originally 1)  Memory Usage: 4000kB"
    // HashAggregate: "Batches: 5  Memory Usage: 4145kB  Disk Usage: 8000kB"
    const hashAgg = !text.includes('Buckets:');
    for (const [k, v] of pairs(text)) {
      const orig = /^(\d+) \(originally (\d+)\)$/.exec(v);
      const value = orig ? Number(orig[1]) : num(v);
      if (k === 'Buckets') {
        into['Hash Buckets'] = value;
        into['Original Hash Buckets'] = orig ? Number(orig[2]) : value;
      } else if (k === 'Batches' && hashAgg) into['HashAgg Batches'] = value;
      else if (k === 'Batches') {
        into['Hash Batches'] = value;
        into['Original Hash Batches'] = orig ? Number(orig[2]) : value;
      } else if (k === 'Memory Usage') into['Peak Memory Usage'] = value;
      else into[k] = value;
    }
    return;
  }
  if (key === 'Storage') {
    // 18: "Storage: Memory  Maximum Storage: 17kB" (Materialize, CTE Scan, WindowAgg …)
    for (const [k, v] of pairs(text)) into[k] = k === 'Storage' ? v : num(v);
    return;
  }
  if (rest === 'true' || rest === 'false') {
    into[key] = rest === 'true'; // 18's "Disabled: true", as JSON has it
    return;
  }
  if (/^(Full-sort|Pre-sorted) Groups$/.test(key) || key === 'Hits') {
    into[key] = rest;
    return;
  }
  into[key] = /^-?\d+(\.\d+)?$/.test(rest) ? Number(rest) : rest;
}

const MS = /^([\d.]+) ms$/;

/** A top-level line; returns the section it opens ("Planning", "JIT") or undefined. */
export function parseTopLine(text: string, top: Record<string, unknown>, section?: string): string | undefined {
  if (section === 'Planning') {
    const p = (top.Planning ??= {}) as Record<string, unknown>;
    if (text.startsWith('Buffers: ')) parseBuffers(text.slice(9), p);
    else if (text.startsWith('I/O Timings: ')) parseIoTimings(text.slice(13), p);
    else parsePropertyLine(text, p);
    return section;
  }
  if (section === 'JIT') {
    const j = (top.JIT ??= {}) as Record<string, unknown>;
    const i = text.indexOf(': ');
    if (text.startsWith('Timing: ')) {
      const timing: Record<string, number> = {};
      for (const kv of text.slice(8).matchAll(/(\w+) ([\d.]+) ms/g)) timing[kv[1]!] = Number(kv[2]);
      j.Timing = timing;
    } else if (i > 0) j[text.slice(0, i)] = /^\d+$/.test(text.slice(i + 2)) ? Number(text.slice(i + 2)) : text.slice(i + 2);
    return section;
  }
  if (text === 'Planning:' || text === 'JIT:') {
    if (text === 'JIT:') top.JIT = {};
    return text.slice(0, -1);
  }
  let m: RegExpExecArray | null;
  // "Planning time" / "Execution time" before 13; "Total runtime" (JSON: "Total Runtime") before 9.4.
  if ((m = /^(Planning|Execution) [Tt]ime: (.+)$/.exec(text))) {
    top[`${m[1]} Time`] = Number(MS.exec(m[2]!)?.[1]);
    return undefined;
  }
  if ((m = /^Total runtime: (.+)$/.exec(text))) {
    top['Total Runtime'] = Number(MS.exec(m[1]!)?.[1]);
    return undefined;
  }
  // "Trigger RI_ConstraintTrigger_a_1 on t: time=0.123 calls=10" / "Trigger for constraint fk: time=…"
  if ((m = /^Trigger (.+?)(?: on (\S+))?: time=([\d.]+) calls=(\d+)$/.exec(text))) {
    const triggers = (top.Triggers ??= []) as Record<string, unknown>[];
    triggers.push({ 'Trigger Name': m[1], ...(m[2] ? { Relation: m[2] } : {}), Time: Number(m[3]), Calls: Number(m[4]) });
    return undefined;
  }
  if (text.startsWith('Settings: ')) {
    const settings: Record<string, string> = {};
    for (const kv of text.slice(10).matchAll(/(\w+) = '((?:[^']|'')*)'/g)) settings[kv[1]!] = kv[2]!.replace(/''/g, "'");
    top.Settings = settings;
    return undefined;
  }
  parsePropertyLine(text, top);
  return undefined;
}
