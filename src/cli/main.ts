// The `pgdba` command: the same core as the extension, for terminals and CI.
// Exit codes: 0 nothing at or above the threshold, 1 something is, 2 usage or I/O error.
import { runCli } from './run';
import { terminalText } from '../core/terminalText';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`pgdba: ${terminalText(e instanceof Error ? e.message : String(e), { lines: true })}\n`);
    process.exitCode = 2;
  },
);
