// Includes and existence checks against hostile trees (issue #12, items 10 and 11): loops, fan-out,
// include_dir '.', devices, FIFOs, directories and oversize files, on a real disk where the bug
// lived there. Each case would hang, run out of memory or overflow the stack before the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_INCLUDED_FILES, resolveConfTree, type ConfFileSystem } from '../../../../src/core/conf/confIncludes';
import { nodeConfFileSystem, readConfFile } from '../../../../src/core/conf/nodeConfFileSystem';
import { lintFileSet } from '../../../../src/core/lint/lintFileSet';
import { lintFilesOf } from '../../../../src/core/lint/lintFiles';
import { tempDir } from '../../../support/tempDir';

/** An in-memory port that counts reads. */
function memFs(files: Record<string, string>): ConfFileSystem & { reads: number } {
  const fs = {
    reads: 0,
    readFile: (p: string) => {
      if (files[p] !== undefined) fs.reads++;
      return files[p];
    },
    listDir: () => undefined,
    stat: (p: string) => (files[p] !== undefined ? { kind: 'file' as const, size: files[p].length } : undefined),
  };
  return fs;
}

const codesAt = (problems: { code: string; range: { line: number } }[]) => problems.map((p) => `${p.code}@${p.range.line}`);

test('a postgresql.conf that includes itself five times: five loop findings, one read (was 53 s, 4.4 GB, then OOM)', () => {
  const dir = tempDir('inc-self');
  const main = join(dir, 'postgresql.conf');
  const text = "include 'postgresql.conf'\n".repeat(5);
  writeFileSync(main, text);
  const tree = resolveConfTree(main, text, nodeConfFileSystem);
  assert.deepEqual(codesAt(tree.problems), ['PGC004@1', 'PGC004@2', 'PGC004@3', 'PGC004@4', 'PGC004@5']);
  assert.match(tree.problems[0]?.message ?? '', /include loop \(postgresql\.conf → postgresql\.conf\).*maximum nesting depth exceeded/);
  assert.deepEqual(tree.read, { files: 1, chars: text.length });
});

test("conf.d/ of four files each with include_dir '.': loops reported, bounded reads (was a stack overflow)", () => {
  const dir = tempDir('inc-dir');
  mkdirSync(join(dir, 'conf.d'));
  for (const n of ['a', 'b', 'c', 'd']) writeFileSync(join(dir, 'conf.d', `${n}.conf`), "include_dir '.'\nwork_mem = 4MB\n");
  const main = join(dir, 'postgresql.conf');
  const text = "include_dir 'conf.d'\n";
  writeFileSync(main, text);
  const tree = resolveConfTree(main, text, nodeConfFileSystem);
  assert.ok(tree.problems.length > 0 && tree.problems.every((p) => p.code === 'PGC004'), codesAt(tree.problems).join(' '));
  // Every chain is a permutation of distinct files: 4 + 4·3 + 4·3·2 + 4! = 64 reads, plus the main file.
  assert.equal(tree.read.files, 65);
});

test('fan-out without a loop stops at the read budget with one PGC006 at an include line', () => {
  // f0 includes f1 five times, f1 includes f2 five times … ten levels: 5^10 reads unbounded.
  const files: Record<string, string> = {};
  for (let i = 0; i < 10; i++) files[`/c/f${i}.conf`] = `include 'f${i + 1}.conf'\n`.repeat(5);
  files['/c/f10.conf'] = 'work_mem = 4MB\n';
  const fs = memFs(files);
  const tree = resolveConfTree('/c/f0.conf', files['/c/f0.conf'] as string, fs);
  const spent = tree.problems.filter((p) => p.code === 'PGC006');
  assert.equal(spent.length, 1);
  assert.match(spent[0]?.message ?? '', /stopped following includes after 1000 files/);
  assert.equal(tree.read.files, MAX_INCLUDED_FILES);
  assert.equal(fs.reads, MAX_INCLUDED_FILES - 1, 'the main file came in as text');
});

test('a chain of ten distinct files is followed; the eleventh level is PGC004', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 11; i++) files[`/c/f${i}.conf`] = `include 'f${i + 1}.conf'\n`;
  files['/c/f11.conf'] = 'work_mem = 4MB\n';
  const tree = resolveConfTree('/c/f0.conf', files['/c/f0.conf'] as string, memFs(files));
  assert.deepEqual(
    tree.problems.map((p) => [p.code, p.file]),
    [['PGC004', '/c/f10.conf']],
  );
  assert.equal(tree.files.length, 11);
});

test('readConfFile refuses /dev/zero, a FIFO, a directory and an 11 MB file without reading them', (t) => {
  const dir = tempDir('inc-read', t);
  const fifo = join(dir, 'pipe.conf');
  try {
    execFileSync('mkfifo', ['--', fifo]);
  } catch {
    t.diagnostic('mkfifo not found: the FIFO case is skipped');
  }
  writeFileSync(join(dir, 'big.conf'), Buffer.alloc(11 * 1024 * 1024, 0x23)); // '#' lines: a valid file, only too large
  mkdirSync(join(dir, 'sub.conf'));
  const err = (p: string) => {
    const r = readConfFile(p);
    return 'error' in r ? r.error : 'read';
  };
  assert.equal(err('/dev/zero'), 'is a character device, not a regular file');
  if (nodeConfFileSystem.stat(fifo)) assert.equal(err(fifo), 'is a FIFO, not a regular file', 'a FIFO without a writer never blocks');
  assert.equal(err(join(dir, 'sub.conf')), 'is a directory');
  assert.match(err(join(dir, 'big.conf')), /^is larger than 10 MB \(11534336 bytes\)/);
  assert.equal(err(join(dir, 'none.conf')), 'no such file');
  writeFileSync(join(dir, 'ok.conf'), 'work_mem = 4MB\n');
  assert.deepEqual(readConfFile(join(dir, 'ok.conf')), { text: 'work_mem = 4MB\n' });
});

test('include, include_if_exists, @file and %include of /dev/zero, a FIFO or 11 MB are findings, never reads', (t) => {
  const dir = tempDir('inc-dev', t);
  const fifo = join(dir, 'pipe');
  let haveFifo = true;
  try {
    execFileSync('mkfifo', ['--', fifo]);
  } catch {
    haveFifo = false;
    t.diagnostic('mkfifo not found: the FIFO lines are skipped');
  }
  writeFileSync(join(dir, 'big.conf'), Buffer.alloc(11 * 1024 * 1024, 0x23));
  const conf = join(dir, 'postgresql.conf');
  const hba = join(dir, 'pg_hba.conf');
  const ini = join(dir, 'pgbouncer.ini');
  const texts = new Map([
    [conf, `include '/dev/zero'\ninclude_if_exists '/dev/zero'\ninclude 'big.conf'\n${haveFifo ? "include 'pipe'\n" : ''}`],
    [hba, `include /dev/zero\nlocal all @/dev/zero peer\n${haveFifo ? 'include_dir pipe\n' : ''}`],
    [ini, `%include /dev/zero\n[pgbouncer]\nlisten_port = 6432\n`],
  ]);
  const byFile = lintFileSet(
    [
      { path: conf, type: 'conf' },
      { path: hba, type: 'hba' },
      { path: ini, type: 'pgbouncer' },
    ],
    lintFilesOf(texts, nodeConfFileSystem),
    { major: 16 },
  );
  const codes = (p: string, code: string) => (byFile.get(p) ?? []).filter((f) => f.code === code).map((f) => f.line);
  assert.deepEqual(codes(conf, 'PGC007'), haveFifo ? [1, 2, 3, 4] : [1, 2, 3]);
  assert.match((byFile.get(conf) ?? []).find((f) => f.code === 'PGC007')?.message ?? '', /\/dev\/zero is a character device, not a regular file/);
  assert.deepEqual(codes(hba, 'HBA011'), haveFifo ? [1, 2, 3] : [1, 2]);
  assert.deepEqual(codes(ini, 'PGB013'), [1]);
});
