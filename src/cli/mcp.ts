// `pgdba mcp`: the agents' tools (src/core/agents/) as a Model Context Protocol server over
// stdio, for agents outside VS Code. stdout carries the protocol only: every log line goes to
// stderr. One server per process, from --url/--ssh/PG* as every command takes it; every query has
// the --timeout deadline. SIGTERM/SIGINT cancel the calls in flight (EXPLAIN's statement is
// cancelled on the server and rolled back), close the connections and end the process.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ToolServer } from '../core/agents/agentTool';
import { AGENT_TOOLS } from '../core/agents/tools';
import { explainConnectError } from '../core/db/connectError';
import type { PgConnection } from '../core/db/connection';
import { createPool } from '../core/db/pool';
import { SERVER_TIMEOUT_MS, SlowLogMemory } from '../core/health';
import { terminalText } from '../core/terminalText';
import { PGDBA_VERSION } from '../core/version';
import { BackupUsageError, parseArgs } from './backupArgs';
import { CLI_ADVICE, connectionFrom } from './connection';
import { cliHopHost, hopFrom, SSH_OPTIONS, SSH_SWITCHES, SSH_USAGE } from './sshArgs';

const MCP_USAGE = `usage: pgdba mcp [--url URL] [--ssh [USER@]HOST[:PORT]] [--timeout MS] [--allow-analyze-writes]

Serves pgdba's tools for agents as a Model Context Protocol server on stdin/stdout (register it in
the agent's MCP settings as the command \`pgdba mcp --url …\`): health report, explain, lint a
config file, top statements, table and index stats, server facts — the same tools as VS Code's
language-model tools. Logs go to stderr; stdout is the protocol's.

Read-only: every tool reads; explain runs EXPLAIN ANALYZE only of statements that read, and plain
EXPLAIN (analyze: false, nothing runs) of any statement EXPLAIN shows.

options:
  --url URL               the server: postgres://user@host:port/db (else PG* variables or $PGDBA_URL;
                          the password from the URL, PGPASSWORD or ~/.pgpass)
  --timeout MS            each query's deadline (default 30000): statement_timeout on the server, and
                          2 s later pgdba stops waiting; a health report has ${SERVER_TIMEOUT_MS / 1000} s in all
  --allow-analyze-writes  also EXPLAIN ANALYZE of INSERT, UPDATE, DELETE, MERGE, CREATE TABLE AS and
                          calls of functions that may write: the statement runs for real inside
                          BEGIN … ROLLBACK (nothing is kept, but it takes its locks, fires its triggers
                          and advances sequences); statements ROLLBACK cannot undo stay refused
${SSH_USAGE}SIGTERM or SIGINT ends it (exit 143 or 130); the end of stdin ends it with 0.
`;

export async function mcpCommand(args: string[], signal: AbortSignal): Promise<number> {
  let conn: PgConnection;
  let timeoutMs: number;
  let analyzeWrites: boolean;
  let openSsh: ToolServer['openSsh'];
  try {
    const p = parseArgs(args, ['url', 'timeout', ...SSH_OPTIONS], [...SSH_SWITCHES, 'allow-analyze-writes']);
    if (p.flags.has('help')) return (process.stdout.write(MCP_USAGE), 0);
    if (p.positional.length) throw new BackupUsageError(`unexpected argument "${p.positional[0]}"`);
    const t = p.options.get('timeout');
    timeoutMs = t === undefined ? 30_000 : Number(t);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new BackupUsageError('--timeout must be a positive number of milliseconds');
    analyzeWrites = p.flags.has('allow-analyze-writes');
    const hop = hopFrom(p);
    openSsh = hop ? () => cliHopHost(hop) : undefined;
    conn = await connectionFrom(p.options.get('url'), undefined, process.env, hop);
  } catch (e) {
    process.stderr.write(
      `pgdba mcp: ${terminalText((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '')}\n${e instanceof BackupUsageError ? 'run `pgdba mcp --help` for the options\n' : ''}`,
    );
    return 2;
  }
  // A library's stray console.log would corrupt the protocol: everything of the kind goes to stderr.
  console.log = console.error;
  console.info = console.error;
  // EXPLAIN's cancel opens a connection of its own; the health report and the others use one.
  const pool = createPool(conn, { statementTimeoutMs: timeoutMs, connectTimeoutMs: Math.min(10_000, timeoutMs), max: 2 });
  const server: ToolServer = {
    name: conn.name,
    target: conn.name,
    profile: conn,
    use: (fn) => fn(pool),
    ...(openSsh ? { openSsh } : {}),
    describeError: (e) => explainConnectError(e, conn, CLI_ADVICE),
    // The server lives as long as its client's session: a later health report reads only what the log gained.
    health: { slowLog: new SlowLogMemory() },
    explainTimeoutMs: timeoutMs,
    healthTimeoutMs: SERVER_TIMEOUT_MS,
  };
  const mcp = new McpServer({ name: 'pgdba', version: PGDBA_VERSION }, { capabilities: { tools: {} } });
  for (const tool of AGENT_TOOLS) {
    mcp.registerTool(
      tool.name,
      { title: tool.displayName, description: tool.description, inputSchema: tool.schema, annotations: { readOnlyHint: !analyzeWrites, openWorldHint: false } },
      async (input, extra) => {
        // A call ends with the process (SIGTERM) or with the client's cancel.
        const both = AbortSignal.any([signal, extra.signal]);
        const started = Date.now();
        const r = await tool.prepare(input).run({ server, signal: both, analyzeWrites });
        process.stderr.write(`pgdba mcp: ${tool.name} ${r.isError ? 'failed' : 'done'} in ${Date.now() - started} ms\n`);
        return { content: [{ type: 'text' as const, text: r.text }], ...(r.isError ? { isError: true } : {}) };
      },
    );
  }
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', () => void transport.close());
    signal.addEventListener('abort', () => void transport.close(), { once: true });
  });
  try {
    await mcp.connect(transport);
    process.stderr.write(
      `pgdba mcp: serving ${AGENT_TOOLS.length} tools for ${terminalText(conn.name)}${analyzeWrites ? ' (EXPLAIN ANALYZE of writes allowed, rolled back)' : ' (read-only)'}\n`,
    );
    await closed;
    return 0;
  } finally {
    await mcp.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
  }
}
