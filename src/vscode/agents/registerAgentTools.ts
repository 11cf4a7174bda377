// The agents' tools (src/core/agents/) as VS Code language-model tools: package.json's
// contributes.languageModelTools names them with their schemas (checked against the core by a
// unit test), this registers their implementation. A server tool's input may name a profile
// (`server`); else the only one, the active server, or the person picks — as the commands do.
// prepareInvocation checks the input and asks for confirmation, showing what runs and where. In
// chat, VS Code shows it in the chat; invoked without a chat session, as a modal dialog (one that
// a window running extension tests answers "yes" to without showing it).
import * as vscode from 'vscode';
import type { AgentTool, PreparedCall } from '../../core/agents/agentTool';
import { describeProfile, type ConnectionProfile } from '../../core/db/profile';
import type { Ctx } from '../ctx';
import { pickProfile } from '../pickProfile';
import { vscodeToolServer } from './toolServer';

type Input = Record<string, unknown>;

/**
 * The tools' code (and zod, a quarter of the bundle) is evaluated on the first call, not at
 * activation: the names come from the manifest, which a unit test holds to the core's list.
 */
let tools: Promise<typeof import('../../core/agents/tools')> | undefined;
const loadTools = () => (tools ??= import('../../core/agents/tools'));

export function registerAgentTools(ctx: Ctx): void {
  // A host without the lm API (an older VS Code, another editor) has no agents to serve.
  if (typeof vscode.lm?.registerTool !== 'function') return;
  const listed = (ctx.extension.extension.packageJSON as { contributes?: { languageModelTools?: { name: string }[] } }).contributes?.languageModelTools ?? [];
  for (const { name } of listed) ctx.push(vscode.lm.registerTool<Input>(name, new LmTool(ctx, name)));
}

class LmTool implements vscode.LanguageModelTool<Input> {
  /** The profile picked in prepareInvocation, for the invoke of the same input that follows it. */
  private picked: { input: string; profile: ConnectionProfile } | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly name: string,
  ) {}

  private async tool(): Promise<AgentTool> {
    const t = (await loadTools()).agentTool(this.name);
    if (!t) throw new Error(`pgdba has no tool ${this.name}: the manifest and the code disagree (reinstall pgdba)`);
    return t;
  }

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<Input>): Promise<vscode.PreparedToolInvocation> {
    const tool = await this.tool();
    const { call, profile } = await this.resolve(tool, options.input, true);
    const where = profile ? `${profile.name} (${describeProfile(profile)})` : 'this machine';
    const c = call.confirmation(where);
    if (c) this.ctx.test?.agentConfirmations.push({ tool: this.name, ...c });
    return {
      invocationMessage: `${tool.displayName}${profile ? ` on ${profile.name}` : ''}`,
      ...(c ? { confirmationMessages: { title: c.title, message: new vscode.MarkdownString(c.message) } } : {}),
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<Input>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const { call, profile } = await this.resolve(await this.tool(), options.input, false);
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      const server = profile ? await vscodeToolServer(this.ctx, profile) : undefined;
      // The person confirmed the statement, as Explain from the editor: a write runs inside BEGIN … ROLLBACK.
      const r = await call.run({ ...(server ? { server } : {}), signal: ac.signal, analyzeWrites: true });
      this.ctx.log.info(`agent tool ${this.name}${profile ? ` on ${profile.name}` : ''}: ${r.isError ? 'failed' : 'done'}`);
      // A failure reaches the model as the tool's error, in words it can act on.
      if (r.isError) throw new Error(r.text);
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(r.text)]);
    } finally {
      sub.dispose();
    }
  }

  /** The checked input and its profile; `server` is VS Code's own argument, never the core's. */
  private async resolve(tool: AgentTool, raw: Input | undefined, asking: boolean): Promise<{ call: PreparedCall; profile?: ConnectionProfile }> {
    const { server, ...rest } = raw ?? {};
    if (server !== undefined && typeof server !== 'string') throw new Error(`Invalid input for ${this.name}: server must be a profile name (a string)`);
    const call = tool.prepare(rest);
    if (!tool.needsServer) return { call };
    const key = JSON.stringify(raw ?? {});
    if (!asking && this.picked?.input === key) return { call, profile: this.picked.profile };
    const profile = await this.profileFor(server);
    this.picked = { input: key, profile };
    return { call, profile };
  }

  private async profileFor(name: string | undefined): Promise<ConnectionProfile> {
    if (name !== undefined) {
      const named = this.ctx.connections.find(name);
      if (named) return named;
      const all = this.ctx.connections.profiles().map((p) => p.name);
      throw new Error(
        `There is no connection profile named "${name}"; ${all.length ? `the profiles are: ${all.join(', ')}` : 'none is configured (setting pgdba.connections)'}.`,
      );
    }
    const p = await pickProfile(this.ctx);
    if (!p) throw new Error('No PostgreSQL connection was chosen: name one with the server argument, or add one (setting pgdba.connections).');
    return p;
  }
}
