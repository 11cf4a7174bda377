// Several warnings of one action as one notification's text. VS Code shows no toast for a
// notification that comes as the fourth within 800 ms (only the bell's dot tells of it), so an
// action that warned once per finding could hide the last ones, a dashboard alert among them.

/** `lead` and the one warning, or `lead`, how many, and each in turn. */
export function oneNotice(lead: string, warnings: readonly string[]): string {
  if (warnings.length === 1) return `${lead}${warnings[0]!}`;
  return `${lead}${warnings.length} warnings: ${warnings.map((w, i) => `(${i + 1}) ${w.replace(/[.\s]+$/, '')}`).join('; ')}.`;
}
