// Saves a server file as the process running it (the tests run it as postgres, or under a file
// size limit) and prints what happened as one JSON line: the save, its refusal, or its error.
// Bundled by the test (test/support/cliBundle.ts) so that another user runs it without tsx.
import { readFileSync } from 'node:fs';
import { localHost } from '../../src/core/host/localHost';
import { ServerFileRefusedError, saveServerFile } from '../../src/core/serverfiles/saveServerFile';

async function main(): Promise<void> {
  const [path, textFile] = process.argv.slice(2);
  if (!path || !textFile) throw new Error('usage: serverFileSaver PATH NEW_TEXT_FILE');
  try {
    const saved = await saveServerFile(localHost, path, readFileSync(textFile, 'utf8'));
    process.stdout.write(`${JSON.stringify({ saved })}\n`);
  } catch (e) {
    if (e instanceof ServerFileRefusedError)
      process.stdout.write(`${JSON.stringify({ refused: { reason: e.reason, command: e.command, staged: e.staged, message: e.message } })}\n`);
    else process.stdout.write(`${JSON.stringify({ error: { code: (e as NodeJS.ErrnoException).code, message: (e as Error).message } })}\n`);
  }
}

void main();
