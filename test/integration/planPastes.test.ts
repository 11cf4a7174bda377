// The paste corpus against PEV2, in the same run: pgdba must read every plan PEV2 reads, to the
// same node count and execution time. The corpus is regenerated here from real servers 13–18
// (scripts/lib/pasteCorpus.ts) into a temp dir and read beside the committed one: EXPLAIN
// ANALYZE's timings differ on every run, so the bytes cannot be compared; the regenerated corpus
// must hold the same files, each reading to the same tree as its committed twin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM, launchBrowser } from '../../scripts/lib/browser';
import { PSQL, writeDerived, writeMajor } from '../../scripts/lib/pasteCorpus';
import { openPev2Reader, type Pev2Reader, type Pev2Reading } from '../../scripts/lib/pev2Reader';
import { SUPPORTED_MAJORS } from '../../scripts/lib/pgServer';
import { parsePaste, parsePlan } from '../../src/core/explain/parsePlan';
import type { Plan } from '../../src/core/explain/planTypes';
import { tempDir } from '../support/tempDir';

const COMMITTED = join(__dirname, '..', 'fixtures', 'pastes');
const skip = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is missing: run scripts/setup-system.sh`
  : !existsSync(PSQL)
    ? `${PSQL} is missing (Debian's postgresql-client)`
    : false;

/**
 * Where PEV2 and pgdba read a paste differently, and why (file name → reason). The test fails
 * when a listed file reads the same after all (the list stays true) and when one not listed differs.
 */
const DIFFERENT: Record<string, { why: string; pev2: (pgdba: Plan, text: string) => Pev2Reading }> = {
  'psql-wrapped-ascii-border0.txt': {
    why: "psql's \\pset format wrapped: PEV2 does not join a line psql wrapped (its '.' mark), so it finds no plan; pgdba joins it",
    pev2: () => ({ ok: false, nodes: 0 }),
  },
  'psql-wrapped-ascii-border1.txt': {
    why: "psql's \\pset format wrapped, the '.' marks in both margins: as above",
    pev2: () => ({ ok: false, nodes: 0 }),
  },
  'psql-wrapped-unicode-border2.txt': {
    why: "psql's \\pset format wrapped, unicode '…' marks: as above",
    pev2: () => ({ ok: false, nodes: 0 }),
  },
  ...Object.fromEntries(
    [
      'ascii-border0',
      'ascii-border1',
      'ascii-border2',
      'unicode-border1',
      'unicode-border2',
      'unicode-double-border2',
      'old-ascii-border1',
      'old-ascii-border2',
      'wrapped-ascii-border1',
      'json-ascii-border1',
      'json-unicode-border2',
      'json-old-ascii-border1',
      'json-old-ascii-border2',
    ].map((style) => [
      `psql-expanded-${style}.txt`,
      {
        why: "psql's expanded output (\\x): PEV2 does not take the record headers and the QUERY PLAN label off, so it finds no plan; pgdba reads the records as the table's lines",
        pev2: () => ({ ok: false, nodes: 0 }),
      },
    ]),
  ),
  'auto_explain-text.log': {
    why: "a log with two auto_explain messages (text): PEV2 reads all its lines as one plan and ends with the last message's nodes; pgdba reads the first plan (the one the log starts with), and the second when asked ({ plan: 1 }), which is PEV2's tree",
    pev2: (_pgdba, text) => {
      const second = parsePaste(text, { plan: 1 }).plan;
      return { ok: true, nodes: second.nodes.length, executionMs: second.summary.executionMs };
    },
  },
};

let browser: Browser;
let pev2: Pev2Reader;
// Made at the file's level: a folder made in a hook goes with the hook.
const fresh = skip ? '' : tempDir('pastes');
const pev2Dir = skip ? '' : tempDir('pev2');

before(async () => {
  if (skip) return;
  for (const major of SUPPORTED_MAJORS) await writeMajor(fresh, major);
  writeDerived(fresh);
  browser = await launchBrowser();
  pev2 = await openPev2Reader(browser, pev2Dir);
});
after(async () => browser?.close());

const files = (root: string) =>
  readdirSync(root)
    .flatMap((d) => readdirSync(join(root, d)).map((f) => `${d}/${f}`))
    .filter((f) => !f.endsWith('README.md'))
    .sort();

test("the regenerated corpus has the committed one's files, each reading to the same tree", { skip, timeout: 300_000 }, () => {
  assert.deepEqual(files(fresh), files(COMMITTED));
  const shape = (p: Plan) => p.nodes.map((n) => `${n.parentId} ${n.nodeType} ${n.relation ?? ''}`);
  for (const f of files(COMMITTED)) {
    assert.deepEqual(shape(parsePlan(readFileSync(join(fresh, f), 'utf8'))), shape(parsePlan(readFileSync(join(COMMITTED, f), 'utf8'))), f);
  }
});

for (const [name, root] of [
  ['committed', () => COMMITTED],
  ['regenerated', () => fresh],
] as const) {
  test(`PEV2 ${name} corpus: pgdba reads every plan PEV2 reads, to the same node count and execution time`, { skip, timeout: 300_000 }, async () => {
    const seen = new Set<string>();
    let same = 0;
    for (const f of files(root())) {
      const text = readFileSync(join(root(), f), 'utf8');
      const ours = parsePlan(text);
      const theirs = await pev2.read(text);
      const base = f.slice(f.indexOf('/') + 1);
      const listed = DIFFERENT[base];
      const mine: Pev2Reading = { ok: true, nodes: ours.nodes.length, executionMs: ours.summary.executionMs };
      if (listed) {
        seen.add(base);
        assert.deepEqual(theirs, listed.pev2(ours, text), `${f}: PEV2 reads it as listed (${listed.why})`);
        assert.notDeepEqual(theirs, mine, `${f} is listed as read differently, but PEV2 reads it as pgdba does: take it off the list`);
      } else {
        assert.deepEqual(mine, theirs, `${f}: pgdba and PEV2 ${pev2.version} read it alike`);
        same++;
      }
    }
    assert.deepEqual([...seen].sort(), Object.keys(DIFFERENT).sort(), 'every listed difference is in the corpus');
    assert.ok(same >= 100, `${same} pastes read alike`);
  });
}
