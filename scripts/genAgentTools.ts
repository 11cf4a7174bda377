// Writes package.json's contributes.languageModelTools from the agents' tools (src/core/agents/),
// their one definition; test/unit/core/agents/toolSchemas.test.ts fails when they differ.
// Run: npx tsx scripts/genAgentTools.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_TOOLS, languageModelToolEntry } from '../src/core/agents/tools';

const file = join(__dirname, '..', 'package.json');
const pkg = JSON.parse(readFileSync(file, 'utf8')) as { contributes: Record<string, unknown> };
pkg.contributes.languageModelTools = AGENT_TOOLS.map(languageModelToolEntry);
writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log(`package.json: ${AGENT_TOOLS.length} language-model tools`);
