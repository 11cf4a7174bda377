// The agents' tools are defined once (src/core/agents/): package.json's languageModelTools must be
// what the core generates, every input is checked with words naming the field, and what needs no
// server (lint) runs here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AGENT_TOOLS, agentTool, languageModelToolEntry, toolJsonSchema } from '../../../../src/core/agents/tools';
import { ToolInputError } from '../../../../src/core/agents/agentTool';
import { tempDir } from '../../../support/tempDir';

const ROOT = resolve(__dirname, '..', '..', '..', '..');

test('package.json lists exactly the core tools, with their generated schemas (npx tsx scripts/genAgentTools.ts)', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { languageModelTools?: unknown[] } };
  assert.deepEqual(pkg.contributes.languageModelTools, AGENT_TOOLS.map(languageModelToolEntry));
});

test('names are unique, valid tool names; a server tool gets the server argument in VS Code only', () => {
  assert.equal(new Set(AGENT_TOOLS.map((t) => t.name)).size, AGENT_TOOLS.length);
  for (const t of AGENT_TOOLS) {
    assert.match(t.name, /^pgdba_[a-z_]+$/);
    const vs = toolJsonSchema(t, { serverArgument: true }).properties as Record<string, unknown>;
    const mcp = toolJsonSchema(t, { serverArgument: false }).properties as Record<string, unknown>;
    assert.equal('server' in vs, t.needsServer, t.name);
    assert.equal('server' in mcp, false, t.name);
  }
});

test('bad input: a ToolInputError naming the field, before anything runs', () => {
  const explain = agentTool('pgdba_explain')!;
  assert.throws(
    () => explain.prepare({}),
    (e: Error) => e instanceof ToolInputError && /sql/.test(e.message) && /expected string/.test(e.message),
  );
  assert.throws(() => explain.prepare({ sql: 'SELECT 1', analyse: true }), /Unrecognized key: "analyse"/);
  assert.throws(() => agentTool('pgdba_top_statements')!.prepare({ limit: 0 }), /limit/);
  assert.throws(() => agentTool('pgdba_health_report')!.prepare({ checks: ['hourly'] }), /checks/);
  assert.throws(() => agentTool('pgdba_lint_config')!.prepare({}), /either path or text/);
  assert.doesNotThrow(() => explain.prepare({ sql: 'SELECT 1' }));
});

test('confirmations say what runs where; a statement that writes is said to be rolled back', () => {
  const c = agentTool('pgdba_explain')!.prepare({ sql: "UPDATE t SET a = 'x'" }).confirmation('prod (u@h:5432/db)')!;
  assert.match(c.title, /^EXPLAIN ANALYZE on prod/);
  assert.match(c.message, /BEGIN … ROLLBACK/);
  assert.match(c.message, /UPDATE t SET a = 'x'/);
  assert.equal(agentTool('pgdba_lint_config')!.prepare({ text: 'a = 1' }).confirmation('this machine'), undefined, 'text given: nothing to confirm');
});

test('lint by text and by path: findings with line, code and message; an unreadable path in words', async () => {
  const lint = agentTool('pgdba_lint_config')!;
  const byText = await lint.prepare({ text: "shared_bufers = '1GB'\n", type: 'conf' }).run({ analyzeWrites: false });
  assert.equal(byText.isError, false);
  assert.match(byText.text, /^postgresql\.conf \(postgresql\.conf, PostgreSQL 16\): \d+ findings? /);
  assert.match(byText.text, /ERROR PGC\d+ \(line 1\): .*shared_bufers/);
  const dir = tempDir('agent-lint');
  const hba = join(dir, 'pg_hba.conf');
  writeFileSync(hba, 'host all all 0.0.0.0/0 trust\n');
  const byPath = await lint.prepare({ path: hba, pgVersion: 13 }).run({ analyzeWrites: false });
  assert.match(byPath.text, new RegExp(`^${hba.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pg_hba\\.conf, PostgreSQL 13\\)`));
  assert.match(byPath.text, /HBA\d+ \(line 1\)/);
  const missing = await lint.prepare({ path: join(dir, 'nope.conf') }).run({ analyzeWrites: false });
  assert.equal(missing.isError, true);
  assert.match(missing.text, /^Cannot read .*nope\.conf: /);
});

test('a server tool without a server says so instead of running', async () => {
  const r = await agentTool('pgdba_server_facts')!.prepare({}).run({ analyzeWrites: false });
  assert.deepEqual(r, { text: 'pgdba_server_facts needs a server, and none was given.', isError: true });
});
