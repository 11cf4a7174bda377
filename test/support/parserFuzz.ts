// The parsers' fuzz harness (issue #12 "Also"), shared by the unit test (a small count, in `npm
// test`) and scripts/fuzz.ts (`npm run fuzz`, a large one). Each parser gets random text, the
// real fixtures truncated and mutated, and adversarial shapes (deep nesting, long lines, control
// characters, long continuation chains). The contract checked: the parser (and its lint, for the
// config files) returns, or throws its own typed parse error (PlanParseError) — never a
// RangeError/TypeError — and its heap growth stays under a linear bound of the input's length.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseConf } from '../../src/core/conf/confParser';
import { parseHba } from '../../src/core/conf/hbaParser';
import { parsePgbouncerIni } from '../../src/core/conf/pgbouncerParser';
import { lintPostgresqlConf } from '../../src/core/lint/postgresqlConf';
import { lintHba } from '../../src/core/lint/hbaRules';
import { lintPgbouncer } from '../../src/core/lint/pgbouncerRules';
import { parsePlan } from '../../src/core/explain/parsePlan';
import { planInsights } from '../../src/core/explain/insights';
import { PlanParseError } from '../../src/core/explain/planTypes';
import { RAW_LINES, caseLine, valueCases } from './confCases';
import { SEED_HBA, SEED_PGBOUNCER, SEED_POSTGRESQL_CONF } from '../unit/core/lint/lintSeeds';
import { LOG_FUZZ_TARGETS, logAdversarial, logSeeds, runLogTarget, type LogFuzzTarget } from './logFuzz';

export type FuzzTarget = 'conf' | 'hba' | 'pgbouncer' | 'textPlan' | 'jsonPlan' | LogFuzzTarget;
export const FUZZ_TARGETS: readonly FuzzTarget[] = ['conf', 'hba', 'pgbouncer', 'textPlan', 'jsonPlan', ...LOG_FUZZ_TARGETS];
const isLogTarget = (t: FuzzTarget): t is LogFuzzTarget => (LOG_FUZZ_TARGETS as readonly string[]).includes(t);

/** Heap a parse may keep per input character, plus a constant: what the measured parsers need
 *  with a wide margin (a token, its range and the finding it yields per few characters). */
export const HEAP_BYTES_PER_CHAR = 400;
export const HEAP_SLACK_BYTES = 24 * 1024 * 1024;

/** A small deterministic PRNG (LCG): a failing case is replayed from its seed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PLANS = join(__dirname, '..', 'fixtures', 'plans');
let fixtures: { text: string[]; json: string[] } | undefined;
function planFixtures(): { text: string[]; json: string[] } {
  if (!fixtures) {
    fixtures = { text: [], json: [] };
    for (const major of readdirSync(PLANS))
      for (const f of readdirSync(join(PLANS, major))) {
        const body = readFileSync(join(PLANS, major, f), 'utf8');
        if (f.endsWith('.json')) fixtures.json.push(body);
        else if (f.endsWith('.txt')) fixtures.text.push(body);
      }
  }
  return fixtures;
}

const CONTROL = '\u0000\u0007\u0008\u001b\u007f\u009b\u202e\r\t\ufeff\ud800';
const ALPHABET = `abcxyz_ABC0129 .,;:=#'"\\/\n[]{}()->+*@%$${CONTROL}éλ`;

function randomText(rnd: () => number, len: number, alphabet = ALPHABET): string {
  let s = '';
  for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

/** Truncation, then a few splices of random characters or of a copy of the text itself. */
function mutate(rnd: () => number, text: string): string {
  let s = rnd() < 0.3 ? text.slice(0, Math.floor(rnd() * text.length)) : text;
  const edits = 1 + Math.floor(rnd() * 6);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const del = Math.floor(rnd() * 4);
    const ins = rnd() < 0.15 ? s.slice(at, at + Math.floor(rnd() * 200)) : randomText(rnd, Math.floor(rnd() * 4));
    s = s.slice(0, at) + ins + s.slice(at + del);
  }
  return s;
}

function seedsOf(target: FuzzTarget): string[] {
  if (isLogTarget(target)) return logSeeds(target);
  switch (target) {
    case 'conf':
      return [SEED_POSTGRESQL_CONF, RAW_LINES.join('\n'), valueCases(16).slice(0, 400).map(caseLine).join('\n')];
    case 'hba':
      return [SEED_HBA, 'host "all" +admins,@users.txt 10.0.0.0 255.0.0.0 ldap ldapserver=x ldapbasedn="dc=x"\nlocal /^a.*$ all peer \\\n  map=m\n'];
    case 'pgbouncer':
      return [SEED_PGBOUNCER];
    case 'textPlan':
      return planFixtures().text;
    case 'jsonPlan':
      return planFixtures().json;
  }
}

/** Shapes that broke parsers before: deep, long, repeated; `scale` grows them (the long fuzz). */
function adversarial(target: FuzzTarget, rnd: () => number, scale: number): string {
  const n = Math.floor((500 + rnd() * 2000) * scale);
  const pick = Math.floor(rnd() * 4);
  if (isLogTarget(target)) return logAdversarial(target, pick, n);
  switch (target) {
    case 'conf':
      return [`include 'x.conf'\n`.repeat(n), `a = '${'\\'.repeat(n * 10)}`, `${'x'.repeat(n * 50)} = 1\n`, `${CONTROL}\n`.repeat(n)][pick]!;
    case 'hba':
      return [
        'host all all 10.0.0.0/8 md5 \\\n'.repeat(n),
        `${'"'.repeat(n * 5)}\n`,
        `host all all ${'1.'.repeat(n)}/32 md5\n`,
        `local ${Array.from({ length: n }, (_, i) => `db${i}`).join(',')} all peer\n`,
      ][pick]!;
    case 'pgbouncer':
      return ['[databases]\n' + 'x = host=h\n'.repeat(n * 5), `[${'['.repeat(n * 10)}\n`, `%include ${'a'.repeat(n * 20)}\n`, `"${'""'.repeat(n * 5)}\n`][
        pick
      ]!;
    case 'textPlan': {
      const node = 'Limit  (cost=0.00..1.00 rows=1 width=4)';
      if (pick === 0) return [node, ...Array.from({ length: n }, (_, i) => `${' '.repeat(2 + 6 * Math.min(i, 400))}->  ${node}`)].join('\n');
      if (pick === 1) return `${node}\n${'  Filter: '.padEnd(n * 20, '(')}`;
      if (pick === 2) return `${node}\n${`${' '.repeat(n)}x\n`.repeat(50)}`;
      return `${node}\n${'  ->  Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n'.repeat(n)}`;
    }
    case 'jsonPlan': {
      const head = '{"Node Type":"Limit","Plans":[';
      if (pick === 0) return `[{"Plan":${head.repeat(n * 8)}{"Node Type":"Seq Scan"}${']}'.repeat(n * 8)}}]`;
      if (pick === 1) return `[{"Plan":${head.repeat(n)}`; // truncated
      if (pick === 2) return `${'['.repeat(n * 5)}${']'.repeat(n * 5)}`;
      return `[{"Plan":{"Node Type":"Append","Plans":[${Array.from({ length: n }, () => '{"Node Type":"Result","Plans":7}').join(',')}]}}]`;
    }
  }
}

/** Runs one input through the target: the parser and what walks its output (lint, insights, the log report). */
export async function runTarget(target: FuzzTarget, text: string, adversarial = false): Promise<unknown> {
  if (isLogTarget(target)) return runLogTarget(target, text, adversarial);
  switch (target) {
    case 'conf':
      parseConf(text);
      return lintPostgresqlConf(text, { file: 'postgresql.conf', major: 16 }).filter((f) => f.code === 'PGC000');
    case 'hba':
      return lintHba(text, { file: 'pg_hba.conf', major: 16, parsed: parseHba(text, { major: 16 }) });
    case 'pgbouncer':
      return lintPgbouncer(text, { file: 'pgbouncer.ini', parsed: parsePgbouncerIni(text) });
    case 'textPlan':
    case 'jsonPlan':
      try {
        const plan = parsePlan(text);
        return planInsights(plan);
      } catch (e) {
        if (e instanceof PlanParseError) return e;
        throw e;
      }
  }
}

let gcFn: (() => void) | undefined;
function gc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
}

export interface FuzzFailure {
  target: FuzzTarget;
  seed: number;
  index: number;
  kind: 'random' | 'mutation' | 'adversarial';
  inputLength: number;
  problem: string;
}

export interface FuzzReport {
  cases: number;
  chars: number;
  /** The largest heap growth per character over the adversarial inputs of 100k characters or more. */
  maxHeapPerChar: number;
  failures: FuzzFailure[];
}

/**
 * `count` cases per target from `seed`: random text, mutations of the fixtures, adversarial
 * shapes (every fifth case; `scale` grows them). The heap is measured around the adversarial ones.
 */
export async function fuzzParsers(opts: { seed: number; count: number; scale?: number; targets?: readonly FuzzTarget[] }): Promise<FuzzReport> {
  const report: FuzzReport = { cases: 0, chars: 0, maxHeapPerChar: 0, failures: [] };
  for (const target of opts.targets ?? FUZZ_TARGETS) {
    const rnd = prng(opts.seed ^ FUZZ_TARGETS.indexOf(target));
    const seeds = seedsOf(target);
    for (let i = 0; i < opts.count; i++) {
      const kind = i % 5 === 4 ? 'adversarial' : i % 2 === 0 ? 'random' : 'mutation';
      const text =
        kind === 'adversarial'
          ? adversarial(target, rnd, opts.scale ?? 1)
          : kind === 'random'
            ? randomText(rnd, Math.floor(rnd() * 400))
            : mutate(rnd, seeds[Math.floor(rnd() * seeds.length)] ?? '');
      report.cases++;
      report.chars += text.length;
      const fail = (problem: string) => report.failures.push({ target, seed: opts.seed, index: i, kind, inputLength: text.length, problem });
      let before = 0;
      if (kind === 'adversarial') {
        gc();
        before = process.memoryUsage().heapUsed;
      }
      let kept: unknown;
      try {
        kept = await runTarget(target, text, kind === 'adversarial');
        if (target === 'conf' && Array.isArray(kept) && kept.length > 0) fail(`internal lint error: ${JSON.stringify(kept[0])}`);
      } catch (e) {
        fail(`${e instanceof Error ? e.name : typeof e}: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (kind === 'adversarial') {
        gc();
        const grown = process.memoryUsage().heapUsed - before;
        const bound = HEAP_BYTES_PER_CHAR * text.length + HEAP_SLACK_BYTES;
        if (text.length >= 100_000) report.maxHeapPerChar = Math.max(report.maxHeapPerChar, grown / text.length);
        if (grown > bound) fail(`heap grew ${grown} bytes for ${text.length} characters (bound ${bound})`);
      }
      kept = undefined;
    }
  }
  return report;
}
