// What linting takes from the rest of the extension, read in this one place: the settings it
// lints with (pgdba.pgVersion, else the connected server's major; the hardware profile), the
// connected server's running values, and when either changes.
import type { Ctx } from '../ctx';
import type { PgdbaConfig } from '../config';

export interface LintEnvironment {
  config(): PgdbaConfig;
  runningValues(): Readonly<Record<string, string>> | undefined;
  /** Settings changed, or the active server's major or running values did. */
  onChange(listener: () => void): void;
}

export function lintEnvironment(ctx: Ctx): LintEnvironment {
  return {
    config: () => ctx.lintConfig,
    runningValues: () => ctx.lintRunningValues,
    onChange: (listener) => {
      ctx.push(ctx.onConfigChange(() => listener()));
      ctx.onActiveServerChange(listener);
    },
  };
}
