// The language-model tools in the real VS Code, invoked as an agent would (vscode.lm.invokeTool)
// without a chat session: no model is needed. What really happens then (code-server 4.100.3,
// LanguageModelToolsService.invokeTool): VS Code calls prepareInvocation and hands its
// confirmation to the dialog service as a modal confirm — which a window running extension tests
// answers "confirmed" without showing ("DialogService: refused to show confirmation dialog in
// tests"). So the suite checks the confirmation each tool asked for (the test channel records it)
// and what the run then did on the test server; a refused statement or a bad argument fails in
// prepareInvocation, before any confirmation.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { client, testConn } from './connection';
import { api } from './tree';

const TOOLS = ['pgdba_health_report', 'pgdba_explain', 'pgdba_lint_config', 'pgdba_top_statements', 'pgdba_table_stats', 'pgdba_server_facts'];

const invoke = (name: string, input: object) => Promise.resolve(vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }));

function textOf(r: vscode.LanguageModelToolResult): string {
  return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

/** Invokes the tool; returns its text and the confirmation it asked for (undefined: none). */
async function run(name: string, input: object): Promise<{ text: string; asked?: { title: string; message: string } }> {
  const a = await api();
  const before = a.agentConfirmations.length;
  const text = textOf(await invoke(name, input));
  const asked = a.agentConfirmations.slice(before).find((c) => c.tool === name);
  return { text, ...(asked ? { asked } : {}) };
}

suite('agents', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    const db = await client(testConn());
    try {
      await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await db.query('DROP TABLE IF EXISTS e2e_agent_stays');
      await db.query('DROP SEQUENCE IF EXISTS e2e_agent_seq');
      await db.query('CREATE SEQUENCE e2e_agent_seq');
      await db.query('CREATE TABLE e2e_agent_stays AS SELECT g AS id, g % 3000 AS guest_id, md5(g::text) AS note FROM generate_series(1, 150000) g');
      await db.query('ANALYZE e2e_agent_stays');
      for (let i = 0; i < 11; i++) await db.query('SELECT count(*) FROM e2e_agent_stays WHERE guest_id = $1', [i]);
    } finally {
      await db.end();
    }
  });

  test('vscode.lm.tools lists the six tools with the schemas of package.json', () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON && (e.packageJSON as { name?: string }).name === 'pgdba');
    assert.ok(ext, 'the extension is installed');
    const declared = (ext.packageJSON as { contributes: { languageModelTools: { name: string; inputSchema: object }[] } }).contributes.languageModelTools;
    for (const name of TOOLS) {
      const t = vscode.lm.tools.find((x) => x.name === name);
      assert.ok(t, `${name} is not in vscode.lm.tools: ${vscode.lm.tools.map((x) => x.name).join(', ')}`);
      assert.deepEqual(t.inputSchema, declared.find((d) => d.name === name)?.inputSchema, name);
      assert.ok(t.description.length > 80, name);
    }
  });

  test('explain: the confirmation names the server and shows the statement; the plan comes back with its insight', async function () {
    this.timeout(120_000);
    const c = testConn();
    const sql = 'SELECT * FROM e2e_agent_stays WHERE guest_id = 42';
    const r = await run('pgdba_explain', { server: c.name, sql });
    assert.ok(r.asked, 'a confirmation was asked');
    assert.match(r.asked.title, new RegExp(`^EXPLAIN ANALYZE on ${c.name} \\(${c.user}@${c.host}:${c.port}/${c.database}\\)\\?$`));
    assert.ok(r.asked.message.includes(`\`\`\`sql\n${sql}\n\`\`\``), r.asked.message);
    assert.match(r.text, new RegExp(`^EXPLAIN ANALYZE on ${c.name} \\(PostgreSQL \\d+\\)`));
    assert.match(r.text, /CREATE INDEX e2e_agent_stays_guest_id_idx ON (public\.)?e2e_agent_stays \(guest_id\);/);
  });

  test('an UPDATE: confirmed as rolled back, run inside BEGIN … ROLLBACK, nothing kept', async function () {
    this.timeout(120_000);
    const c = testConn();
    const db = await client(c);
    try {
      const sum = async () => (await db.query<{ s: string }>("SELECT md5(string_agg(note, ',' ORDER BY id)) AS s FROM e2e_agent_stays")).rows[0]!.s;
      const before = await sum();
      const r = await run('pgdba_explain', { server: c.name, sql: "UPDATE e2e_agent_stays SET note = 'x' WHERE guest_id < 10" });
      assert.match(r.asked?.message ?? '', /It runs inside BEGIN … ROLLBACK because it is an UPDATE: its changes are not kept\./);
      assert.match(r.text, /note: The statement ran inside BEGIN … ROLLBACK because it is an UPDATE/);
      assert.equal(await sum(), before, 'nothing was kept');
    } finally {
      await db.end();
    }
  });

  test('nextval(): the confirmation warns that the sequence advances, and it does', async function () {
    this.timeout(120_000);
    const c = testConn();
    const db = await client(c);
    try {
      const last = async () =>
        (await db.query<{ v: string }>("SELECT CASE WHEN is_called THEN last_value::text ELSE 'none' END AS v FROM e2e_agent_seq")).rows[0]!.v;
      assert.equal(await last(), 'none');
      const r = await run('pgdba_explain', { server: c.name, sql: "SELECT nextval('e2e_agent_seq')" });
      assert.match(r.asked?.message ?? '', /Note: nextval\(\) advances the sequence for good: ROLLBACK does not undo it\./);
      assert.equal(await last(), '1', 'the note told the truth');
    } finally {
      await db.end();
    }
  });

  test('refusals and bad arguments: rejected with words before any confirmation, nothing run', async function () {
    this.timeout(60_000);
    const c = testConn();
    const a = await api();
    const asked = a.agentConfirmations.length;
    await assert.rejects(invoke('pgdba_explain', { server: c.name, sql: 'DROP TABLE e2e_agent_stays' }), /Not run: EXPLAIN shows SELECT/);
    await assert.rejects(invoke('pgdba_explain', { server: c.name, sql: 'BEGIN; DELETE FROM e2e_agent_stays; COMMIT' }), /Not run: there are 3 statements/);
    await assert.rejects(invoke('pgdba_explain', { server: c.name, sql: 42 }), /Invalid input for pgdba_explain: .*expected string.*sql/);
    await assert.rejects(
      invoke('pgdba_explain', { server: c.name, sql: 'SELECT 1', analyse: false }),
      /Invalid input for pgdba_explain: .*Unrecognized key: "analyse"/,
    );
    await assert.rejects(invoke('pgdba_table_stats', { server: c.name, limit: 'all' }), /Invalid input for pgdba_table_stats: .*limit/);
    await assert.rejects(
      invoke('pgdba_server_facts', { server: 'no-such-profile' }),
      new RegExp(`no connection profile named "no-such-profile"; the profiles are: .*${c.name}`),
    );
    assert.equal(a.agentConfirmations.length, asked, 'nothing was put to the person');
    const db = await client(c);
    try {
      assert.equal((await db.query("SELECT 1 FROM pg_class WHERE relname = 'e2e_agent_stays'")).rowCount, 1, 'the table is still there');
    } finally {
      await db.end();
    }
  });

  test('top statements, table stats, server facts and the health report on the test server; lint of a text asks nothing', async function () {
    this.timeout(240_000);
    const c = testConn();
    const top = await run('pgdba_top_statements', { server: c.name, limit: 20 });
    assert.match(top.asked?.title ?? '', new RegExp(`^Read top statements on ${c.name} `));
    assert.match(top.text, /SELECT count\(\*\) FROM e2e_agent_stays WHERE guest_id = \$1 \|/);
    const stats = await run('pgdba_table_stats', { server: c.name, table: 'e2e_agent_stays' });
    assert.match(stats.asked?.message ?? '', /the table public\.e2e_agent_stays/);
    assert.match(stats.text, /\| e2e_agent_stays \| [^|]+ \| [^|]+ \| 150,000 \|/);
    const facts = await run('pgdba_server_facts', { server: c.name });
    assert.ok(facts.asked);
    assert.match(facts.text, new RegExp(`^Server ${c.name} `));
    assert.match(facts.text, /\| shared_preload_libraries \| pg_stat_statements \|/);
    const health = await run('pgdba_health_report', { server: c.name, checks: ['daily'] });
    assert.match(health.asked?.message ?? '', /for the daily checks/);
    assert.match(health.text, new RegExp(`^# Health report: ${c.name}\\n`));
    assert.match(health.text, /checks: daily/);
    // Without a server argument: the only profile, as the commands choose.
    const again = await run('pgdba_server_facts', {});
    assert.match(again.text, new RegExp(`^Server ${c.name} `));
    // A text to lint is neither read from disk nor sent anywhere: no confirmation.
    const lint = await run('pgdba_lint_config', { text: 'host all all 0.0.0.0/0 trust\n', type: 'hba' });
    assert.equal(lint.asked, undefined);
    assert.match(lint.text, /^pg_hba\.conf \(pg_hba\.conf, PostgreSQL 16\): \d+ findings?/);
    assert.match(lint.text, /HBA\d+ \(line 1\)/);
  });
});
