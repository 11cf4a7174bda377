// Check hooks whose verdict needs nothing from the server: the list syntax (splitIdentifierList)
// and the key words each hook knows, per major; DateStyle's words; recovery_target*'s forms (the
// time's: src/core/conf/recoveryTime.ts);
// synchronous_standby_names' grammar; slot names. Written from each hook's behaviour. Codes as in
// confHookRules.ts: PGC026 every server refuses it, PGC027 only an extension could make it valid,
// PGC028 it depends on the server machine.
import { splitIdentifierList } from '../conf/identifierList';
import { recoveryTimeVerdict } from '../conf/recoveryTime';
import type { HookVerdict } from './confHookRules';

/** The key words of each keyword-list hook (compared case-insensitively), by major. */
function keywords(name: string, major: number): readonly string[] | undefined {
  switch (name) {
    case 'log_destination':
      return major >= 15 ? ['stderr', 'csvlog', 'jsonlog', 'syslog'] : ['stderr', 'csvlog', 'syslog'];
    case 'createrole_self_grant':
      return ['set', 'inherit'];
    case 'restrict_nonsystem_relation_kind':
      return ['view', 'foreign-table'];
    case 'debug_io_direct':
      return ['data', 'wal', 'wal_init'];
    default:
      return undefined;
  }
}

/** Resource managers that can mask pages, the only ones wal_consistency_checking takes (13–18). */
const MASKED_RMGRS = ['heap', 'heap2', 'btree', 'hash', 'gin', 'gist', 'sequence', 'spgist', 'brin', 'generic'];

/** The verdict on `value` of `name` (lower-cased); undefined when fine or not a parameter of this file. */
export function listHookVerdict(name: string, value: string, major: number): HookVerdict | undefined {
  if (name === 'primary_slot_name') return slotName(value);
  if (name === 'search_path') return splitIdentifierList(value) ? undefined : syntax(name, value, `"$user", public`);
  if (name === 'wal_consistency_checking') return walConsistency(value, major);
  if (name === 'datestyle') return dateStyle(value);
  if (name.startsWith('recovery_target')) return recoveryTarget(name, value);
  if (name === 'synchronous_standby_names') return syncStandbys(value);
  const words = keywords(name, major);
  if (!words) return undefined;
  const items = splitIdentifierList(value);
  if (!items) return syntax(name, value, words.join(', '));
  for (const item of items) {
    const low = item.toLowerCase();
    if (words.includes(low)) continue;
    if (name === 'log_destination' && low === 'eventlog') {
      return {
        code: 'PGC028',
        message: `log_destination "eventlog" exists only on Windows servers; elsewhere the server refuses this line: use ${words.join(', ')}`,
      };
    }
    const later = name === 'log_destination' && low === 'jsonlog' ? ' (jsonlog is new in PostgreSQL 15)' : '';
    return {
      code: 'PGC026',
      message: `${name} does not know "${item}"${later}; the server refuses this line: write a comma-separated list of ${words.join(', ')}${name === 'log_destination' ? '' : ", or '' for none"}`,
    };
  }
  return undefined;
}

function syntax(name: string, value: string, example: string): HookVerdict {
  return {
    code: 'PGC026',
    message: `${name} = "${value}" is not a valid list (an empty item, an unclosed " or two names without a comma); the server refuses this line: write a comma-separated list such as ${example}`,
  };
}

function walConsistency(value: string, major: number): HookVerdict | undefined {
  const items = splitIdentifierList(value);
  if (!items) return syntax('wal_consistency_checking', value, 'all, or heap, btree');
  const bad = items.find((i) => i.toLowerCase() !== 'all' && !MASKED_RMGRS.includes(i.toLowerCase()));
  if (bad === undefined) return undefined;
  const what = `wal_consistency_checking does not know the resource manager "${bad}"; write all, or some of ${MASKED_RMGRS.join(', ')}`;
  // From 15 an extension in shared_preload_libraries may add a resource manager of its own.
  return major >= 15
    ? { code: 'PGC027', message: `${what}; the server refuses this line unless an extension in shared_preload_libraries defines it` }
    : { code: 'PGC026', message: `${what}; the server refuses this line` };
}

/** ReplicationSlotValidateName: 1–63 of a–z, 0–9 and _; '' means no slot. */
function slotName(value: string): HookVerdict | undefined {
  if (value === '' || /^[a-z0-9_]{1,63}$/.test(value)) return undefined;
  const why = value.length > 63 ? 'is longer than 63 characters' : 'may hold only lower-case letters, digits and _';
  return {
    code: 'PGC026',
    message: `primary_slot_name "${value}" ${why}; the server refuses this line: write the slot's name as pg_replication_slots shows it on the primary (e.g. ${
      value
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, '_')
        .slice(0, 63) || 'standby1'
    })`,
  };
}

/** DateStyle's key words: an output style, an input order, or both (prefixes as the hook reads them). */
function dateStyleWord(word: string): { style?: string; order?: string } | 'default' | undefined {
  if (word === 'iso' || word === 'sql') return { style: word };
  if (word.startsWith('postgres')) return { style: 'postgres' };
  if (word === 'german') return { style: 'german' };
  if (word === 'ymd') return { order: 'ymd' };
  if (word === 'dmy' || word.startsWith('euro')) return { order: 'dmy' };
  if (word === 'mdy' || word === 'us' || word.startsWith('noneuro')) return { order: 'mdy' };
  return word === 'default' ? 'default' : undefined;
}

/** At most one output style and one input order: ISO, SQL, Postgres or German; YMD, DMY or MDY. */
function dateStyle(value: string): HookVerdict | undefined {
  const write = "write one style (ISO, SQL, Postgres, German) and one order (MDY, DMY, YMD), e.g. 'ISO, MDY'";
  const items = splitIdentifierList(value);
  if (!items) return syntax('DateStyle', value, "'ISO, MDY'");
  let style: string | undefined;
  let order: string | undefined;
  for (const item of items) {
    const w = dateStyleWord(item.toLowerCase());
    if (w === 'default') continue;
    if (!w) return { code: 'PGC026', message: `DateStyle does not know "${item}"; the server refuses this line: ${write}` };
    const clash = (w.style && style && w.style !== style) || (w.order && order && w.order !== order);
    if (clash) return { code: 'PGC026', message: `DateStyle = "${value}" names two ${w.style ? 'styles' : 'orders'}; the server refuses this line: ${write}` };
    style = w.style ?? style;
    order = w.order ?? order;
  }
  return undefined;
}

/** 2^64 - 1: strtoull's range; beyond it the xid and timeline hooks see ERANGE. */
const U64_MAX = (1n << 64n) - 1n;

/**
 * Whether strtoull(value, _, 0) overflows: blanks, a sign, then 0x… hex, 0… octal or decimal digits,
 * read up to the first other character (the hooks look at nothing after it, so '12abc' passes).
 */
function overflowsU64(value: string): boolean {
  const m = /^[ \t\n\v\f\r]*[+-]?(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))?/.exec(value);
  const [, hex, oct, dec] = m ?? [];
  const radix = hex !== undefined ? 16 : oct !== undefined ? 8 : 10;
  const digits = (hex ?? oct ?? dec ?? '').replace(/^0+/, '');
  // 2^64 has 17 hex, 22 octal, 20 decimal digits: a longer string overflows without BigInt's cost
  if (digits.length > 22) return true;
  return digits !== '' && BigInt((radix === 16 ? '0x' : radix === 8 ? '0o' : '') + digits) > U64_MAX;
}

function recoveryTarget(name: string, value: string): HookVerdict | undefined {
  if (value === '') return undefined;
  const refused = (why: string): HookVerdict => ({ code: 'PGC026', message: `${name} = "${value}" ${why}` });
  switch (name) {
    case 'recovery_target':
      return value === 'immediate'
        ? undefined
        : refused(
            "is refused: it takes only 'immediate' (lower case) or ''; to stop at a time, a transaction, an LSN or a restore point set recovery_target_time, _xid, _lsn or _name instead",
          );
    case 'recovery_target_lsn':
      return /^[0-9a-fA-F]{1,8}\/[0-9a-fA-F]{1,8}$/.test(value)
        ? undefined
        : refused(
            'is not an LSN; the server refuses this line: write two hexadecimal numbers of 1–8 digits, as pg_current_wal_lsn() shows them, e.g. 16/B374D848',
          );
    case 'recovery_target_xid':
    case 'recovery_target_timeline':
      return overflowsU64(value)
        ? refused(
            `is beyond 2^64-1; the server refuses this line: write ${name === 'recovery_target_xid' ? 'the transaction id (pg_current_xact_id())' : "the timeline's number, current or latest"}`,
          )
        : undefined;
    case 'recovery_target_time': {
      // What pgdba cannot decide without the server's DateStyle and zone tables gets no word.
      const v = recoveryTimeVerdict(value);
      return v === 'undecided' || v.ok
        ? undefined
        : refused(
            `${v.why}; the server refuses this line: write a timestamp such as '2024-05-01 12:00:00+00' (ISO 8601 with its offset, read alike whatever DateStyle is)`,
          );
    }
    case 'recovery_target_name': {
      const bytes = new TextEncoder().encode(value).length;
      return bytes > 63
        ? refused(`is ${bytes} bytes; a restore point's name has at most 63 (pg_create_restore_point), so the server refuses this line`)
        : undefined;
    }
    default:
      return undefined;
  }
}

/** A number, or a name: a letter, _ or non-ASCII, then those, digits and $. */
const SYNC_WORD = /[0-9]+|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;

type SyncToken = { kind: 'name' | 'num' | 'any' | 'first' | ',' | '(' | ')'; text: string };

/** The tokens of synchronous_standby_names: names (letters, digits, _, $, non-ASCII; or "quoted"), numbers, * and punctuation. */
function syncTokens(value: string): SyncToken[] | undefined {
  const out: SyncToken[] = [];
  let i = 0;
  while (i < value.length) {
    const c = value[i] ?? '';
    if (' \t\n\r\f\v'.includes(c)) {
      i++;
    } else if (c === ',' || c === '(' || c === ')') {
      out.push({ kind: c, text: c });
      i++;
    } else if (c === '*') {
      out.push({ kind: 'name', text: c });
      i++;
    } else if (c === '"') {
      let text = '';
      for (i++; ; i++) {
        if (i >= value.length) return undefined;
        if (value[i] === '"') {
          if (value[i + 1] !== '"') break;
          i++;
        }
        text += value[i];
      }
      i++;
      out.push({ kind: 'name', text });
    } else {
      SYNC_WORD.lastIndex = i;
      const m = SYNC_WORD.exec(value);
      if (!m) return undefined;
      const text = m[0];
      const low = text.toLowerCase();
      out.push({ kind: /^[0-9]/.test(text) ? 'num' : low === 'any' || low === 'first' ? low : 'name', text });
      i += text.length;
    }
  }
  return out;
}

/** `name, …`, `N (name, …)`, `FIRST N (…)` or `ANY N (…)`, N at least 1; '' means no synchronous standby. */
function syncStandbys(value: string): HookVerdict | undefined {
  if (value === '') return undefined;
  const write = "write standby names (their application_name) separated by commas, or FIRST n (names) / ANY n (names), e.g. 'ANY 1 (s1, s2)'";
  const bad: HookVerdict = { code: 'PGC026', message: `synchronous_standby_names = "${value}" is not valid syntax; the server refuses this line: ${write}` };
  const t = syncTokens(value);
  if (!t || t.length === 0) return bad;
  let i = 0;
  let count: string | undefined;
  if (t[0]?.kind === 'any' || t[0]?.kind === 'first') i++;
  if (t[i]?.kind === 'num' && t[i + 1]?.kind === '(') {
    count = t[i]?.text;
    i += 2;
  } else if (i > 0) return bad;
  const isName = (k: SyncToken | undefined) => k?.kind === 'name' || k?.kind === 'num';
  if (!isName(t[i++])) return bad;
  while (t[i]?.kind === ',') {
    i++;
    if (!isName(t[i++])) return bad;
  }
  if (count !== undefined && t[i++]?.kind !== ')') return bad;
  if (i !== t.length) return bad;
  if (count !== undefined && Number(count) === 0) {
    return {
      code: 'PGC026',
      message: `synchronous_standby_names = "${value}" asks for 0 synchronous standbys; the server refuses this line: ask for 1 or more, or write '' for none`,
    };
  }
  return undefined;
}
