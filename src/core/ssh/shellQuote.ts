// The one quoting of a word for the remote POSIX shell (sshd runs every command through the
// user's shell): single quotes, each ' written as '\''. Nothing inside single quotes is special,
// so `$(…)`, backquotes, `;`, globs, newlines and a leading "-" all stay one literal word.

export function shellQuote(word: string): string {
  if (word.includes('\u0000')) throw new Error('a command word holds a NUL byte, which no remote command can receive');
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * argv as one remote command line: every word quoted, never shell text from a caller. `exec`
 * replaces the shell with the program, so a signal on the channel (a deadline, a cancel) reaches
 * the program itself rather than a shell that would leave it running.
 */
export function shellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('exec: empty command');
  return `exec ${argv.map(shellQuote).join(' ')}`;
}
