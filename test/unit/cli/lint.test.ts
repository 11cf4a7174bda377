// `pgdba lint` as a person runs it: real processes, real files, exit codes, the three formats.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildCliBundle } from '../../support/cliBundle';
import { SEED_HBA, SEED_PGBOUNCER, SEED_POSTGRESQL_CONF } from '../core/lint/lintSeeds';
import { tempDir } from '../../support/tempDir';

// The CLI is bundled once with esbuild (as `npm run build` does for dist/cli.js) into a temp
// folder, then run as `node cli.js lint …` from the folder holding the files, so that findings
// show the names as given; starting tsx for each of the ~30 processes would take minutes.

const CATALOG_SRC = join(__dirname, '..', '..', '..', 'src', 'core', 'catalog');
const dir = tempDir('cli');
const CLI = join(dir, '.bin', 'cli.js');
before(() => buildCliBundle(CLI));
// The parameter catalogs sit beside the bundle, as esbuild.mjs puts them in dist/catalog.
mkdirSync(join(dir, '.bin', 'catalog'), { recursive: true });
for (const f of readdirSync(CATALOG_SRC)) if (f.endsWith('.json')) copyFileSync(join(CATALOG_SRC, f), join(dir, '.bin', 'catalog', f));
writeFileSync(join(dir, 'pg_hba.conf'), SEED_HBA);
writeFileSync(join(dir, 'pgbouncer.ini'), SEED_PGBOUNCER);
writeFileSync(join(dir, 'postgresql.conf'), SEED_POSTGRESQL_CONF);
writeFileSync(join(dir, 'access.rules'), 'host all all 0.0.0.0/0 md5\n');
writeFileSync(join(dir, 'pg_hba_broken.conf'), 'host all all 10.0.0.0/33 md5\nlocal all all peer\n');
mkdirSync(join(dir, 'pg_hba_dir.conf'));
writeFileSync(join(dir, 'notes.txt'), 'Things to do on the database server:\n- rotate the logs\n');
// Named so that only the content tells what they are.
writeFileSync(join(dir, 'prod-tuning.txt'), '# tuned 2024\nshared_buffers = 4GB\nwork_mem = 64 MB\n');
writeFileSync(join(dir, 'access-rules'), 'local all all peer\nhost all all 0.0.0.0/0 trust\n');
writeFileSync(join(dir, 'bouncer.cfg'), '[databases]\n* = host=127.0.0.1\n[pgbouncer]\nauth_type = md5\n');
mkdirSync(join(dir, 'conf.d'));
writeFileSync(join(dir, 'conf.d', 'memory.conf'), 'work_mem = 64 MB\n');
writeFileSync(join(dir, 'postgresql.prod.conf'), 'work_mem = 64 MB\n');
writeFileSync(join(dir, 'pg_hba-replica.conf'), 'host all all 0.0.0.0/0 trust\n');

function pgdba(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, 'lint', ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 }, (error, out, err) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, out, err });
    });
  });
}

// Each case is its own process; they run side by side to keep the suite quick.
void describe('pgdba lint (real processes)', { concurrency: true }, () => {
  void test('exit 0 when nothing reaches --fail-on: the seed pg_hba.conf is clean', async () => {
    const r = await pgdba('pg_hba.conf');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.equal(r.err, '');
  });

  void test('exit 1 with text lines file:line:col: severity CODE message; cross-file inputs flow', async () => {
    const r = await pgdba('pg_hba.conf', 'postgresql.conf', 'pgbouncer.ini');
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trimEnd().split('\n');
    for (const l of lines) assert.match(l, /^[\w.]+:\d+:\d+: (error|warning|info) [A-Z]{3}\d{3} .+/);
    // postgresql.conf's max_connections 100 reached pgbouncer's arithmetic.
    assert.ok(
      lines.some((l) => /^pgbouncer\.ini:2:1: info PGB023 .*97 PostgreSQL accepts \(max_connections 100 .* from postgresql\.conf\)/.test(l)),
      r.out,
    );
    assert.ok(
      lines.some((l) => l.startsWith('pgbouncer.ini:7:13: warning PGB030 auth_type md5')),
      r.out,
    );
    // files come out in the order given
    const files = lines.map((l) => l.split(':')[0]);
    assert.deepEqual(
      files,
      [...files].sort(
        (a, b) => ['pg_hba.conf', 'postgresql.conf', 'pgbouncer.ini'].indexOf(a ?? '') - ['pg_hba.conf', 'postgresql.conf', 'pgbouncer.ini'].indexOf(b ?? ''),
      ),
    );
  });

  void test('--fail-on moves the threshold', async () => {
    assert.equal((await pgdba('pgbouncer.ini', '--fail-on', 'error')).code, 0);
    assert.equal((await pgdba('pgbouncer.ini', '--fail-on=warning')).code, 1);
    assert.equal((await pgdba('pg_hba.conf', '--fail-on', 'info')).code, 0);
    assert.equal((await pgdba('pg_hba_broken.conf', '--fail-on', 'error')).code, 1);
  });

  void test('pg_hba open lines feed the listen_addresses rule (PGC401)', async () => {
    writeFileSync(join(dir, 'pg_hba_open.conf'), 'host all all 0.0.0.0/0 scram-sha-256\n');
    const r = await pgdba('pg_hba_open.conf', 'postgresql.conf');
    assert.match(r.out, /postgresql\.conf:9:1: warning PGC401 .*pg_hba_open\.conf:1 \(host all all 0\.0\.0\.0\/0 scram-sha-256\)/);
    assert.doesNotMatch((await pgdba('postgresql.conf')).out, /PGC401/);
  });

  void test('--type lints a file named otherwise', async () => {
    const r = await pgdba('--type', 'hba', 'access.rules');
    assert.equal(r.code, 1);
    assert.match(r.out, /^access\.rules:1:14: warning HBA023 /m);
    assert.match(r.out, /^access\.rules:1:24: warning HBA022 /m);
  });

  void test('--format json is an array of findings', async () => {
    const r = await pgdba('pgbouncer.ini', '--format', 'json', '--pg-version', '16');
    assert.equal(r.code, 1);
    const arr = JSON.parse(r.out) as Record<string, unknown>[];
    assert.ok(Array.isArray(arr));
    const f = arr.find((x) => x.code === 'PGB030');
    assert.ok(f);
    assert.deepEqual(Object.keys(f).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'fix', 'line', 'message', 'severity']);
    assert.equal(f.file, 'pgbouncer.ini');
    assert.deepEqual(JSON.parse((await pgdba('pg_hba.conf', '--format=json')).out), []);
  });

  void test('--format sarif is SARIF 2.1.0 with rules, results, locations and levels', async () => {
    const r = await pgdba('pgbouncer.ini', 'pg_hba_broken.conf', '--format', 'sarif');
    assert.equal(r.code, 1);
    interface Region {
      startLine: number;
      startColumn: number;
      endLine: number;
      endColumn: number;
    }
    interface Result {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: Region } }[];
      fixes?: unknown[];
    }
    const sarif = JSON.parse(r.out) as {
      version: string;
      $schema: string;
      runs: { tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; help: { text: string } }[] } }; results: Result[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    const run = sarif.runs[0];
    assert.ok(run);
    assert.equal(run.tool.driver.name, 'pgdba');
    const ids = run.tool.driver.rules.map((x) => x.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.ok(ids.includes('PGB030') && ids.includes('HBA005'));
    assert.ok(run.tool.driver.rules.every((x) => x.shortDescription.text && x.help.text));
    const levels = new Set(run.results.map((x) => x.level));
    assert.ok(levels.has('error') && levels.has('warning') && levels.has('note'));
    for (const res of run.results) {
      assert.equal(ids[res.ruleIndex], res.ruleId);
      const loc = res.locations[0]?.physicalLocation;
      assert.ok(loc && loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    }
    const hba = run.results.find((x) => x.ruleId === 'HBA005');
    assert.deepEqual(hba?.locations[0]?.physicalLocation, {
      artifactLocation: { uri: 'pg_hba_broken.conf' },
      region: { startLine: 1, startColumn: 14, endLine: 1, endColumn: 25 },
    });
    assert.ok(run.results.find((x) => x.ruleId === 'PGB030')?.fixes);
  });

  void test('without --type: the name (prod.postgresql.conf, conf.d/, pg_hba-*.conf) or else the content decides', async () => {
    const cases: [string, RegExp][] = [
      ['postgresql.prod.conf', /^postgresql\.prod\.conf:1:\d+: error PGC002 /m],
      ['conf.d/memory.conf', /^conf\.d\/memory\.conf:1:\d+: error PGC002 /m],
      ['pg_hba-replica.conf', /^pg_hba-replica\.conf:1:\d+: \w+ HBA\d{3} .*trust/m],
      ['prod-tuning.txt', /^prod-tuning\.txt:3:\d+: error PGC002 /m],
      ['access-rules', /^access-rules:2:\d+: \w+ HBA\d{3} .*trust/m],
      ['bouncer.cfg', /^bouncer\.cfg:4:\d+: warning PGB030 /m],
    ];
    const runs = await Promise.all(cases.map(([file]) => pgdba(file)));
    for (const [i, [file, re]] of cases.entries()) {
      const r = runs[i];
      assert.ok(r);
      assert.equal(r.code, 1, `${file}: ${r.err}`);
      assert.match(r.out, re, file);
    }
  });

  void test('terminal escapes in a value are printed escaped in text; JSON and SARIF keep the exact text', async () => {
    const hostile = '\u001b]0;PWNED\u0007\u001b[2J\u202e\u009b';
    writeFileSync(join(dir, 'postgresql_hostile.conf'), `cluster_name = '${hostile}'\nno_such_param${hostile.slice(0, 1)} = 1\nwork_mem = 1\nwork_mem = 2\n`);
    writeFileSync(join(dir, 'postgresql_hostile2.conf'), `work_mem = '${hostile}'\n`);
    const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;
    const text = await pgdba('postgresql_hostile2.conf', 'postgresql_hostile.conf');
    assert.ok(text.out.length > 0, text.err);
    assert.doesNotMatch(text.out, raw);
    assert.match(text.out, /\\x1b\]0;PWNED\\x07\\x1b\[2J\\u202e\\x9b/);
    for (const format of ['json', 'sarif']) {
      const r = await pgdba('postgresql_hostile2.conf', '--format', format);
      assert.doesNotMatch(r.out, raw, format);
      assert.ok(r.out.includes(JSON.stringify(hostile).slice(1, -1).replace('\u202e', '\\u202e').replace('\u009b', '\\u009b')), `${format}: ${r.out}`);
      JSON.parse(r.out);
    }
  });

  void test('exit 2 with one clear line on stderr for usage and I/O errors', async () => {
    const cases: [string[], RegExp][] = [
      [[], /no file given/],
      [['missing.conf', '--type', 'conf'], /cannot read missing\.conf: no such file/],
      [['pg_hba_dir.conf'], /cannot read pg_hba_dir\.conf: is a directory/],
      // Issue #12 item 11: a device is refused from fstat, never read (this read 16.8 GB and aborted).
      [['--type', 'conf', '/dev/zero'], /cannot read \/dev\/zero: is a character device, not a regular file/],
      [['notes.txt'], /cannot tell what notes\.txt is/],
      [['pg_hba.conf', '--format', 'xml'], /--format must be one of text, json, sarif/],
      [['pg_hba.conf', '--fail-on', 'fatal'], /--fail-on must be one of error, warning, info/],
      [['pg_hba.conf', '--pg-version', '12'], /--pg-version must be between 13 and 18/],
      [['pg_hba.conf', '--ram', 'lots'], /--ram must be a size/],
      [['pg_hba.conf', '--colour'], /unknown option --colour/],
      [['pg_hba.conf', '--cpus'], /--cpus needs a value/],
    ];
    const runs = await Promise.all(cases.map(([args]) => pgdba(...args)));
    for (const [i, [args, re]] of cases.entries()) {
      const r = runs[i];
      assert.ok(r);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.equal(r.out, '');
      assert.match(r.err, re);
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
      assert.match(r.err, /^pgdba lint: /);
    }
  });

  void test('hardware flags turn on recommendations that state the profile', async () => {
    const r = await pgdba('postgresql.conf', '--ram', '16GB', '--cpus', '4', '--storage', 'ssd', '--workload', 'web');
    assert.match(r.out, /PGC200 shared_buffers .*for 16 GB RAM, 4 CPUs, SSD, web/);
    assert.doesNotMatch((await pgdba('postgresql.conf')).out, /PGC200/);
  });

  void test('--help prints the usage and exits 0', async () => {
    const r = await pgdba('--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /usage: pgdba lint FILE\.\.\./);
  });
});
