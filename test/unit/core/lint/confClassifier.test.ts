import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSIFY_MAX_LINES, classifyConfText } from '../../../../src/core/lint/confClassifier';

const SHARE = join(__dirname, '..', '..', '..', '..', 'node_modules', 'pg-bin-16', 'native', 'share', 'postgresql');

test('a postgresql.conf by its parameters, quoted or not, with or without =', () => {
  assert.equal(classifyConfText("shared_buffers = 4GB\nwork_mem '64MB'\n# comment\nlisten_addresses = '*'  # all\n"), 'conf');
  assert.equal(classifyConfText('max_connections 200\n'), 'conf');
  assert.equal(classifyConfText('pg_stat_statements.max = 10000\nshared_preload_libraries = pg_stat_statements\n'), 'conf');
  // the initdb sample with its settings turned on
  const sample = readFileSync(join(SHARE, 'postgresql.conf.sample'), 'utf8').replace(/^#([a-z_]+ = )/gm, '$1');
  assert.equal(classifyConfText(sample), 'conf');
});

test('a pg_hba.conf by its records: a connection type and at least three fields', () => {
  assert.equal(classifyConfText('# TYPE DATABASE USER ADDRESS METHOD\nlocal all postgres peer\nhost all all 10.0.0.0/8 scram-sha-256\n'), 'hba');
  assert.equal(classifyConfText('hostssl replication repl 192.168.1.10/32 cert clientcert=verify-full\n'), 'hba');
  assert.equal(classifyConfText(readFileSync(join(SHARE, 'pg_hba.conf.sample'), 'utf8')), 'hba');
  assert.equal(classifyConfText('host = db.example.com\n'), undefined, 'a key named host is no record');
});

test('a pgbouncer.ini by its sections and settings', () => {
  assert.equal(classifyConfText('[databases]\nappdb = host=10.0.0.5 dbname=app\n\n[pgbouncer]\nlisten_port = 6432\npool_mode = transaction\n'), 'pgbouncer');
  assert.equal(classifyConfText('; a comment\nlisten_addr = *\nauth_type = scram-sha-256\n'), 'pgbouncer');
  assert.equal(classifyConfText('[pgbouncer]\nunix_socket_group = postgres\n'), 'pgbouncer', 'a name both have does not outvote the section');
});

test('nothing to go on: undefined, never a guess', () => {
  assert.equal(classifyConfText(''), undefined);
  assert.equal(classifyConfText('# only comments\n# here\n'), undefined);
  assert.equal(classifyConfText('[server]\nport = 80\nname = x\n'), undefined, 'an unrelated ini');
  assert.equal(classifyConfText('include_dir = conf.d\n'), undefined, 'include lines exist in all three');
  assert.equal(classifyConfText('work_mem = 4MB\nlocal all all peer\n'), undefined, 'a tie');
  assert.equal(classifyConfText('constructor = 1\ntoString = 2\n'), undefined, 'object keys are not settings');
});

test('bounded: only the first lines count, and a huge line or file is cut', () => {
  const filler = '# filler\n'.repeat(CLASSIFY_MAX_LINES);
  assert.equal(classifyConfText(filler + 'work_mem = 4MB\n'), undefined, 'past the first lines');
  assert.equal(classifyConfText('work_mem = 4MB\n' + 'x'.repeat(10_000_000)), 'conf');
  assert.equal(classifyConfText('local all all peer\n' + 'host all all ::1/128 trust\n'.repeat(200_000)), 'hba');
});
