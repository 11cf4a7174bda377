// `npx tsx bench/mcpCall.ts [--runs 9]`: one MCP tool call's overhead against the same CLI
// command, on the bundled CLI as it ships, against one PostgreSQL 16 server started here. Three
// figures per tool (explain of a small query, server facts), medians of --runs, interleaved:
//   cli   `pgdba explain --url … --sql …` / `pgdba host --url …`: a process each run (start,
//         connect, run, exit) — what an agent without MCP would pay per question;
//   warm  one tools/call on a running `pgdba mcp` (its pool already connected): an agent's cost;
//   cold  spawn `pgdba mcp`, initialize, one tools/call, close: the first question of a session.
// The ratio warm / cli is the figure of record. Figures only, never a pass/fail.
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startPgServer } from '../scripts/lib/pgServer';
import { buildCliBundle } from '../test/support/cliBundle';
import { median, numberArg } from './lib/stats';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const RUNS = numberArg('--runs', 9);
const run = promisify(execFile);

const ms = (v: number) => `${v.toFixed(v < 100 ? 1 : 0)} ms`;

async function openMcp(cli: string, url: string): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', '--url', url], env: getDefaultEnvironment(), stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(transport);
  return client;
}

/** One CLI run; exit 1 (an insight at warning or above) is a finished run too. */
async function cliRun(cli: string, args: string[]): Promise<void> {
  try {
    await run(process.execPath, [cli, ...args]);
  } catch (e) {
    if ((e as { code?: number }).code !== 1) throw e;
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bench-mcp-'));
  const server = await startPgServer({ fast: true });
  try {
    const cli = await buildCliBundle(join(dir, 'cli.js'));
    const url = server.url;
    const SQL = 'SELECT count(*) FROM generate_series(1, 1000) g';
    const cases = [
      { what: 'explain of a small query', tool: 'pgdba_explain', input: { sql: SQL }, argv: ['explain', '--url', url, '--sql', SQL] },
      { what: 'server facts (CLI: pgdba host)', tool: 'pgdba_server_facts', input: {}, argv: ['host', '--url', url] },
    ];
    const warm = await openMcp(cli, url);
    console.log(`pgdba mcp bench: ${RUNS} runs, PostgreSQL ${server.major}, load ${loadavg()[0]!.toFixed(1)}`);
    for (const c of cases) {
      const call = (client: Client) => client.callTool({ name: c.tool, arguments: c.input });
      await call(warm); // the warm pool's first connection is not the figure
      const t = { cli: [] as number[], warm: [] as number[], cold: [] as number[] };
      for (let r = 0; r < RUNS; r++) {
        t.cli.push(await timed(() => cliRun(cli, c.argv)));
        t.warm.push(await timed(() => call(warm)));
        t.cold.push(
          await timed(async () => {
            const client = await openMcp(cli, url);
            await call(client);
            await client.close();
          }),
        );
      }
      const [cli_, warm_, cold_] = [median(t.cli), median(t.warm), median(t.cold)];
      console.log(
        `${c.what}: cli ${ms(cli_)}, mcp warm ${ms(warm_)} (${(warm_ / cli_).toFixed(3)}× the CLI), mcp cold ${ms(cold_)} (${(cold_ / cli_).toFixed(2)}×)`,
      );
    }
    await warm.close();
    console.log(`load at the end ${loadavg()[0]!.toFixed(1)}`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
