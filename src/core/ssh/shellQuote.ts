// A command line for the remote shell (sshd runs every command through the user's shell), each
// word quoted by the one shellQuote (src/core/shellQuote.ts).
import { shellQuote } from '../shellQuote';

/**
 * argv as one remote command line: every word quoted, never shell text from a caller. `exec`
 * replaces the shell with the program, so a signal on the channel (a deadline, a cancel) reaches
 * the program itself rather than a shell that would leave it running.
 */
export function shellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('exec: empty command');
  return `exec ${argv.map(shellQuote).join(' ')}`;
}
