// One word for a POSIX shell (bash, sh, the remote shell sshd runs a command through, a sudo command
// a person pastes): always single-quoted, a quote inside spelled '\''. Nothing inside single quotes is
// special, so `$(…)`, backquotes, `;`, globs, newlines and a leading "-" stay one literal word.
// Values come from people and servers (paths, database names): never code.

export function shellQuote(s: string): string {
  if (s.includes('\u0000')) throw new Error('a shell word cannot hold a NUL byte');
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
