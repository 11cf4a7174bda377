// Which statements EXPLAIN may run, and how. Everything EXPLAIN ANALYZE runs goes inside
// BEGIN … ROLLBACK (the cost is nil, and a guess that a SELECT is harmless could be wrong); the
// person is told when the statement writes or might. Refused: what EXPLAIN cannot show, what
// cannot run in a transaction block, transaction control, and calls whose effect ROLLBACK cannot undo.
import { splitStatements, type Token } from './sqlLexer';

export type Effect = 'read' | 'locks' | 'writes' | 'may-write';

export type Safety = { ok: true; sql: string; effect: Effect; reason?: string; notes: string[] } | { ok: false; reason: string };

const NO_TRANSACTION: Record<string, string> = {
  VACUUM: 'VACUUM cannot run inside a transaction block, and EXPLAIN cannot show it',
  'CREATE DATABASE': 'CREATE DATABASE cannot run inside a transaction block, so it could not be rolled back',
  'DROP DATABASE': 'DROP DATABASE cannot run inside a transaction block, so it could not be rolled back',
  'ALTER SYSTEM': 'ALTER SYSTEM writes postgresql.auto.conf outside any transaction, so it could not be rolled back',
  'CREATE TABLESPACE': 'CREATE TABLESPACE cannot run inside a transaction block',
  'DROP TABLESPACE': 'DROP TABLESPACE cannot run inside a transaction block',
  CHECKPOINT: 'CHECKPOINT cannot be explained or rolled back',
};
const TX_CONTROL = new Set(['BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT', 'RELEASE', 'PREPARE']);
/** Functions with effects outside the transaction. */
const UNDOABLE = new Set([
  'PG_TERMINATE_BACKEND',
  'PG_CANCEL_BACKEND',
  'PG_RELOAD_CONF',
  'PG_ROTATE_LOGFILE',
  'PG_SWITCH_WAL',
  'PG_CREATE_RESTORE_POINT',
  'PG_PROMOTE',
  'PG_ADVISORY_LOCK',
  'PG_ADVISORY_LOCK_SHARED',
  'PG_TRY_ADVISORY_LOCK',
  'DBLINK',
  'DBLINK_EXEC',
  'LO_EXPORT',
  'LO_IMPORT',
  'PG_FILE_WRITE',
  'PG_CREATE_PHYSICAL_REPLICATION_SLOT',
  'PG_CREATE_LOGICAL_REPLICATION_SLOT',
  'PG_DROP_REPLICATION_SLOT',
]);
/** Built-ins that read only; any other function call may write (conservative). */
const SAFE_FUNCTIONS = new Set(
  (
    'COUNT SUM AVG MIN MAX LOWER UPPER COALESCE NULLIF GREATEST LEAST NOW CURRENT_DATE DATE_TRUNC DATE_PART EXTRACT ' +
    'LENGTH SUBSTRING SUBSTR TRIM LTRIM RTRIM REPLACE CONCAT CONCAT_WS LEFT RIGHT POSITION STRPOS ROUND FLOOR CEIL CEILING ABS ' +
    'MOD POWER SQRT RANDOM TO_CHAR TO_DATE TO_TIMESTAMP TO_NUMBER AGE MAKE_DATE MAKE_INTERVAL GENERATE_SERIES UNNEST ARRAY_AGG ' +
    'STRING_AGG JSON_AGG JSONB_AGG JSON_BUILD_OBJECT JSONB_BUILD_OBJECT ROW_NUMBER RANK DENSE_RANK LAG LEAD FIRST_VALUE LAST_VALUE ' +
    'NTILE PERCENTILE_CONT PERCENTILE_DISC BOOL_AND BOOL_OR EVERY STDDEV VARIANCE ARRAY_LENGTH CARDINALITY MD5 HASHTEXT ' +
    'PG_SIZE_PRETTY PG_RELATION_SIZE PG_TOTAL_RELATION_SIZE PG_BACKEND_PID CURRENT_SETTING VERSION EXISTS IN ANY ALL ' +
    'CAST ROW ARRAY VALUES NUMERIC DECIMAL VARCHAR CHAR CHARACTER TIMESTAMP TIME INTERVAL BIT FILTER OVER WITHIN ' +
    'AS ON USING FROM JOIN WHERE AND OR NOT SELECT INTO LATERAL'
  ).split(' '),
);
const NEXTVAL = new Set(['NEXTVAL', 'SETVAL']);

const EXPLAINABLE = 'EXPLAIN shows SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, TABLE, EXECUTE, DECLARE, CREATE TABLE AS and CREATE MATERIALIZED VIEW';

const words = (tokens: Token[], n: number) =>
  tokens
    .slice(0, n)
    .filter((t) => t.kind === 'word')
    .map((t) => t.value)
    .join(' ');

export function checkStatement(text: string): Safety {
  const statements = splitStatements(text);
  if (statements.length === 0) return { ok: false, reason: 'there is no SQL statement to explain' };
  if (statements.length > 1) return { ok: false, reason: `there are ${statements.length} statements: select the one to explain` };
  const st = statements[0]!;
  const t = st.tokens;
  const first = t[0]?.value ?? '';
  const two = words(t, 2);
  const three = words(t, 3);
  if (first === 'EXPLAIN') return { ok: false, reason: 'the statement is already an EXPLAIN: select the query inside it' };
  if (TX_CONTROL.has(first))
    return { ok: false, reason: `${first} is transaction control: it would end the transaction that keeps the run safe, and EXPLAIN cannot show it` };
  if (first === 'VACUUM') return { ok: false, reason: NO_TRANSACTION.VACUUM! };
  if (NO_TRANSACTION[two]) return { ok: false, reason: NO_TRANSACTION[two] };
  if (first === 'CHECKPOINT') return { ok: false, reason: NO_TRANSACTION.CHECKPOINT! };
  if (t.some((x) => x.value === 'CONCURRENTLY'))
    return {
      ok: false,
      reason: `${three.replace(/ CONCURRENTLY.*/, '')} CONCURRENTLY cannot run inside a transaction block, so it could not be rolled back, and EXPLAIN cannot show it`,
    };

  let effect: Effect = 'read';
  let reason: string | undefined;
  const notes: string[] = [];
  const raise = (e: Effect, why: string) => {
    const rank: Record<Effect, number> = { read: 0, locks: 1, 'may-write': 2, writes: 3 };
    if (rank[e] > rank[effect]) {
      effect = e;
      reason = why;
    }
  };
  if (first === 'CREATE') {
    const createsTable = /^CREATE (?:(?:GLOBAL|LOCAL) )?(?:(?:TEMP|TEMPORARY|UNLOGGED) )?TABLE\b/.test(words(t, 6)) && t.some((x) => x.value === 'AS');
    if (!createsTable && !/^CREATE MATERIALIZED VIEW/.test(three)) return { ok: false, reason: EXPLAINABLE };
    raise('writes', 'it creates a table');
  } else if (['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(first)) raise('writes', `it is ${/^[AEIOU]/.test(first) ? 'an' : 'a'} ${first}`);
  else if (first === 'EXECUTE') raise('may-write', 'a prepared statement may write');
  else if (first === 'DECLARE') raise('may-write', 'a cursor may call functions that write');
  else if (!['SELECT', 'WITH', 'VALUES', 'TABLE', '('].includes(first)) return { ok: false, reason: EXPLAINABLE };

  for (let i = 0; i < t.length; i++) {
    const x = t[i]!;
    if (x.kind !== 'word') continue;
    const prev = t[i - 1]?.value;
    if (['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(x.value) && prev !== 'FOR' && prev !== 'NO' && prev !== 'KEY' && i > 0) {
      raise('writes', `it holds a data-modifying ${x.value}`);
    }
    if (x.value === 'INTO' && first === 'SELECT') raise('writes', 'SELECT INTO creates a table');
    if ((x.value === 'UPDATE' || x.value === 'SHARE') && (prev === 'FOR' || prev === 'KEY' || prev === 'NO'))
      raise('locks', 'it locks rows (FOR UPDATE/SHARE)');
    if (t[i + 1]?.kind === 'lparen' && prev !== ':') {
      if (UNDOABLE.has(x.value)) return { ok: false, reason: `it calls ${x.value.toLowerCase()}(), whose effect ROLLBACK cannot undo` };
      if (NEXTVAL.has(x.value)) notes.push(`${x.value.toLowerCase()}() advances the sequence for good: ROLLBACK does not undo it`);
      else if (!SAFE_FUNCTIONS.has(x.value)) raise('may-write', `it calls ${x.value.toLowerCase()}(), which may write`);
    }
  }
  return { ok: true, sql: st.text, effect, reason, notes };
}
