// Writes test/fixtures/logs/auto_explain-pgNN.log: a real server's log with auto_explain plans in
// text and JSON formats (test/support/autoExplainLog.ts), for the unit tests of the plans' reader.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAJOR } from './lib/pgServer';
import { makeAutoExplainLog } from '../test/support/autoExplainLog';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-logfix-'));
  try {
    const log = await makeAutoExplainLog(DEFAULT_MAJOR, dir);
    const out = join('test', 'fixtures', 'logs', `auto_explain-pg${log.major}.log`);
    writeFileSync(out, log.text);
    console.log(`wrote ${out} (${log.text.length} bytes)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
