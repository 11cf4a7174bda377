// One tool for agents, defined once: its name, words for the model, input schema (zod), the
// confirmation's text and its run. The VS Code adapter (src/vscode/agents/) and `pgdba mcp`
// (src/cli/mcp.ts) both serve these definitions; neither has a run of its own.
import type pg from 'pg';
import type { output, ZodObject } from 'zod/v4';
import type { HostAccess } from '../host/hostAccess';
import type { HealthOptions } from '../health/run';

/** The server a call runs on, as the front end reached it (a profile, or the CLI's --url/--ssh). */
export interface ToolServer {
  /** The profile's name, or user@host:port/db. */
  name: string;
  /** user@host:port/db, never a password. */
  target: string;
  /** Where the host facts come from (hostSourceFor). */
  profile: { host: string; ssh?: string };
  /** Runs fn on a pool of the server; every query has the front end's deadlines. */
  use<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T>;
  /** The server's machine through the SSH hop, for a profile with one. */
  openSsh?: () => Promise<HostAccess>;
  /** A connection failure in the front end's words (what to change where). */
  describeError(e: unknown): string;
  /** What the health report takes from the front end's settings, and the slow-log reads it goes on from. */
  health?: Pick<HealthOptions, 'thresholds' | 'hardware' | 'backupDir' | 'bouncer' | 'slowLog'>;
  /** EXPLAIN's statement_timeout, and its client-side deadline 2 s later. */
  explainTimeoutMs: number;
  /** A whole health report's deadline. */
  healthTimeoutMs: number;
}

export interface ToolEnv {
  server?: ToolServer;
  signal?: AbortSignal;
  /** EXPLAIN ANALYZE of a statement that writes (inside BEGIN … ROLLBACK): VS Code, after the
   *  person's confirmation; `pgdba mcp` only with --allow-analyze-writes. */
  analyzeWrites: boolean;
}

export interface ToolResult {
  /** Markdown an agent reads: the figures, and what to do. */
  text: string;
  /** Nothing ran, or the run failed: a refusal, a server error, an unreachable server. */
  isError: boolean;
}

export interface Confirmation {
  title: string;
  /** Markdown: what will run, and where. */
  message: string;
}

/** A call whose input is valid: what to confirm, then the run. */
export interface PreparedCall {
  /** undefined: nothing to confirm (it reads only text it was given). */
  confirmation(where: string): Confirmation | undefined;
  run(env: ToolEnv): Promise<ToolResult>;
}

export interface AgentTool {
  name: string;
  displayName: string;
  /** One line for people (VS Code's tool picker). */
  summary: string;
  /** For the model: what it does, when to use it, what it returns. */
  description: string;
  schema: ZodObject;
  /** Reads a server (else it reads only what it is given). */
  needsServer: boolean;
  /** Validates the input (ToolInputError with every problem in words). */
  prepare(input: unknown): PreparedCall;
}

export class ToolInputError extends Error {}

/** A tool from its typed parts; prepare() is the one place an input is checked. */
export function defineTool<S extends ZodObject>(def: {
  name: string;
  displayName: string;
  summary: string;
  description: string;
  schema: S;
  needsServer: boolean;
  confirm(input: output<S>, where: string): Confirmation | undefined;
  run(input: output<S>, env: ToolEnv & { server: ToolServer }): Promise<ToolResult>;
}): AgentTool {
  return {
    name: def.name,
    displayName: def.displayName,
    summary: def.summary,
    description: def.description,
    schema: def.schema,
    needsServer: def.needsServer,
    prepare(raw: unknown): PreparedCall {
      const parsed = def.schema.safeParse(raw ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.message}${i.path.length ? ` (at ${i.path.join('.')})` : ''}`);
        throw new ToolInputError(`Invalid input for ${def.name}: ${issues.join('; ')}`);
      }
      const input = parsed.data;
      return {
        confirmation: (where) => def.confirm(input, where),
        run: (env) => {
          if (!env.server) {
            if (def.needsServer) return Promise.resolve({ text: `${def.name} needs a server, and none was given.`, isError: true });
          }
          return def.run(input, env as ToolEnv & { server: ToolServer });
        },
      };
    },
  };
}

/** A run that could not reach the server, in the front end's words. */
export function unreachable(server: ToolServer, e: unknown): ToolResult {
  return { text: `Could not read ${server.name}: ${server.describeError(e)}`, isError: true };
}
