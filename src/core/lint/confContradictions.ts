// PGC101–PGC109: settings that contradict each other or the RAM. Judged on the values the server
// would use (explicit lines, else running or default values), but only reported when at least
// one of the parameters involved is set in the files: the defaults never contradict themselves.
import type { Finding } from './finding';
import type { ConfModel } from './confModel';
import { formatBytes, humanBytes } from './confModel';
import { recommend, type HardwareProfile } from './hardware';
import { parseBool } from '../conf/confValue';

type Loc = Pick<Finding, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>;

/** The line of the first of `names` that the files set, name through value. */
function anchor(model: ConfModel, ...names: string[]): Loc | undefined {
  for (const n of names) {
    const cs = model.last.get(n);
    if (cs?.checked?.ok) return { file: cs.file, ...cs.setting.nameRange, endColumn: cs.setting.valueRange.endColumn };
  }
  return undefined;
}

function shown(model: ConfModel, name: string): string {
  const cs = model.last.get(name);
  if (cs?.checked?.ok) return `${name} = ${cs.setting.value}`;
  const e = model.get(name);
  const v = e ? (e.value.type === 'number' && e.param.unit ? formatWithUnit(model, name) : String(e.value.value)) : '?';
  return `${name} = ${v} (default)`;
}

function formatWithUnit(model: ConfModel, name: string): string {
  const b = model.bytes(name);
  return b !== undefined && b >= 0 ? formatBytes(b) : String(model.num(name));
}

function isOn(v: string | boolean | undefined): boolean {
  if (typeof v === 'boolean') return v;
  if (v === undefined) return false;
  return v === 'always' || parseBool(v) === true;
}

export function contradictionFindings(model: ConfModel, hw?: HardwareProfile): Finding[] {
  const out: Finding[] = [];
  const push = (loc: Loc | undefined, severity: Finding['severity'], code: string, message: string) => {
    if (loc) out.push({ ...loc, severity, code, message });
  };

  if (model.str('wal_level') === 'minimal') {
    if (isOn(model.str('archive_mode'))) {
      push(
        anchor(model, 'wal_level', 'archive_mode'),
        'error',
        'PGC101',
        `wal_level = minimal cannot go with ${shown(model, 'archive_mode')}: PostgreSQL refuses to start (WAL archival needs wal_level replica or logical)`,
      );
    }
    const senders = model.num('max_wal_senders') ?? 0;
    if (senders > 0) {
      push(
        anchor(model, 'wal_level', 'max_wal_senders'),
        'error',
        'PGC101',
        `wal_level = minimal cannot go with ${shown(model, 'max_wal_senders')}: PostgreSQL refuses to start (WAL streaming needs wal_level replica or logical); set max_wal_senders = 0 or raise wal_level`,
      );
    }
  }

  const minWal = model.num('min_wal_size');
  const maxWal = model.num('max_wal_size');
  if (minWal !== undefined && maxWal !== undefined && minWal > maxWal) {
    push(
      anchor(model, 'min_wal_size', 'max_wal_size'),
      'warning',
      'PGC102',
      `${shown(model, 'min_wal_size')} is above ${shown(model, 'max_wal_size')}: WAL is recycled up to min_wal_size while checkpoints are forced at max_wal_size`,
    );
  }

  const maxConn = model.num('max_connections') ?? 100;
  // The server's check hooks cap all backends together at MAX_BACKENDS, which is max_connections' own maximum.
  const limit = Number(model.get('max_connections')?.param.max ?? Infinity);
  const workerSlots = model.num('autovacuum_worker_slots') ?? model.num('autovacuum_max_workers') ?? 0;
  const backends = maxConn + workerSlots + 1 + (model.num('max_worker_processes') ?? 0) + (model.num('max_wal_senders') ?? 0);
  if (backends > limit) {
    push(
      anchor(model, 'max_connections', 'autovacuum_max_workers', 'autovacuum_worker_slots', 'max_worker_processes', 'max_wal_senders'),
      'error',
      'PGC025',
      `max_connections + autovacuum workers + 1 + max_worker_processes + max_wal_senders = ${backends}, more than the ${limit} backends PostgreSQL supports: the server rejects it`,
    );
  }
  const reserved = (model.num('superuser_reserved_connections') ?? 0) + (model.num('reserved_connections') ?? 0);
  if (reserved >= maxConn) {
    push(
      anchor(model, 'superuser_reserved_connections', 'reserved_connections', 'max_connections'),
      'error',
      'PGC106',
      `reserved connections (${reserved}) must be fewer than max_connections (${maxConn}): PostgreSQL refuses to start`,
    );
  }

  if (isOn(model.str('archive_mode')) && (model.str('archive_command') ?? '') === '' && (model.str('archive_library') ?? '') === '') {
    push(
      anchor(model, 'archive_mode', 'archive_command'),
      'warning',
      'PGC107',
      'archive_mode is on but neither archive_command nor archive_library is set: WAL piles up in pg_wal until one is',
    );
  }

  const mwp = model.num('max_worker_processes');
  const mpw = model.num('max_parallel_workers');
  if (mwp !== undefined && mpw !== undefined && mpw > mwp) {
    push(
      anchor(model, 'max_parallel_workers', 'max_worker_processes'),
      'warning',
      'PGC108',
      `${shown(model, 'max_parallel_workers')} is above ${shown(model, 'max_worker_processes')}: parallel workers come out of the worker processes, so only ${mwp} can ever run`,
    );
  }

  if (model.bool('autovacuum') === true && model.bool('track_counts') === false) {
    push(
      anchor(model, 'track_counts', 'autovacuum'),
      'warning',
      'PGC109',
      'track_counts = off leaves autovacuum blind: it needs those statistics to know what to vacuum, so tables bloat',
    );
  }

  if (hw) {
    const ram = hw.ramBytes;
    const recs = recommend(hw, hw.maxConnections ?? maxConn);
    // With the recommended value as the fix, replacing only the value token.
    const pushFixed = (name: string, code: string, message: string) => {
      const cs = model.last.get(name);
      const rec = recs.find((r) => r.name === name);
      const loc = anchor(model, name);
      if (!cs || !rec || !loc) return;
      out.push({ ...loc, severity: 'warning', code, message, fix: { title: `Set ${name} = ${rec.text}`, range: cs.setting.valueRange, newText: rec.text } });
    };
    const sb = model.bytes('shared_buffers');
    if (sb !== undefined && sb > 0.4 * ram) {
      pushFixed(
        'shared_buffers',
        'PGC103',
        `shared_buffers = ${formatBytes(sb)} is over 40% of the ${humanBytes(ram)} RAM: the OS page cache and connections are starved, and data is cached twice`,
      );
    }
    const ecs = model.bytes('effective_cache_size');
    if (ecs !== undefined && ecs > ram) {
      pushFixed(
        'effective_cache_size',
        'PGC104',
        `effective_cache_size = ${formatBytes(ecs)} is more than the ${humanBytes(ram)} RAM: the planner counts on cache that cannot exist and favours index scans wrongly`,
      );
    }
    const wm = model.bytes('work_mem');
    if (wm !== undefined && wm * maxConn > ram) {
      push(
        anchor(model, 'work_mem', 'max_connections'),
        'warning',
        'PGC105',
        `work_mem = ${formatBytes(wm)} × max_connections = ${maxConn} is ${humanBytes(wm * maxConn)}, beyond the ${humanBytes(ram)} RAM, and one query may use several work_mem: risk of running out of memory`,
      );
    }
  }
  return out;
}
