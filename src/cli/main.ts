// The `pgdba` command: the same core as the extension, for terminals and CI.
// Exit codes: 0 nothing at or above the threshold, 1 something is, 2 usage or I/O error.
import { isInterruptCode } from './interrupt';
import { runCli } from './run';
import { terminalText } from '../core/terminalText';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Interrupted: the job cleaned up; a socket of a stalled server must not keep us alive.
    if (isInterruptCode(code)) process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`pgdba: ${terminalText(e instanceof Error ? e.message : String(e), { lines: true })}\n`);
    process.exitCode = 2;
  },
);
