// One word for a POSIX shell (bash, sh, a sudo command a person pastes): always single-quoted, a
// quote inside spelled '\''. Values come from people and servers (paths, database names): never code.

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
