// The tools for agents, in the order they are listed: the VS Code language-model tools and the
// MCP server serve exactly these (package.json's contributes.languageModelTools is checked against
// them by test/unit/core/agents/toolSchemas.test.ts).
import { z } from './zod';
import type { AgentTool } from './agentTool';
import { explainTool } from './explainTool';
import { healthTool } from './healthTool';
import { lintTool } from './lintTool';
import { serverFactsTool } from './serverFactsTool';
import { statementsTool } from './statementsTool';
import { tableStatsTool } from './tableStatsTool';

export const AGENT_TOOLS: readonly AgentTool[] = [healthTool, explainTool, lintTool, statementsTool, tableStatsTool, serverFactsTool];

export function agentTool(name: string): AgentTool | undefined {
  return AGENT_TOOLS.find((t) => t.name === name);
}

/** The argument VS Code's tools add to a server tool: which connection profile. */
export const SERVER_ARGUMENT = {
  type: 'string',
  description: 'The pgdba connection profile to use (its name in pgdba.connections); default: the active server, or the only one',
} as const;

/** A tool's input as JSON Schema (MCP's tools/list; package.json's inputSchema with `server`). */
export function toolJsonSchema(tool: AgentTool, opts: { serverArgument: boolean }): Record<string, unknown> {
  const { $schema: _drop, ...s } = z.toJSONSchema(tool.schema, { io: 'input' }) as Record<string, unknown>;
  if (!opts.serverArgument || !tool.needsServer) return s;
  return { ...s, properties: { server: SERVER_ARGUMENT, ...(s.properties as Record<string, unknown>) } };
}

/** A tool's entry of package.json's contributes.languageModelTools (scripts/genAgentTools.ts writes them). */
export function languageModelToolEntry(tool: AgentTool): Record<string, unknown> {
  return {
    name: tool.name,
    displayName: tool.displayName,
    toolReferenceName: tool.name,
    canBeReferencedInPrompt: true,
    icon: '$(database)',
    tags: ['postgresql', 'pgdba'],
    userDescription: tool.summary,
    modelDescription: tool.description,
    inputSchema: toolJsonSchema(tool, { serverArgument: true }),
  };
}
