// SIGTERM (systemd stopping the service) and SIGINT (Ctrl-C) as one AbortSignal, given to every
// long job of the CLI (backup, restore, verify): the job kills its children and removes what it
// made — scratch database, lock, temp files — and the command exits 128 + the signal's number.
import { CancelledError } from '../core/pgtools/proc';

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
type Caught = keyof typeof SIGNALS;

export type JobCommand = (args: string[], signal: AbortSignal) => Promise<number>;

export async function runInterruptible(command: JobCommand, args: string[]): Promise<number> {
  const ac = new AbortController();
  let caught: Caught | undefined;
  const on = (s: Caught) => {
    // A second signal is the person insisting: leave now, clean-up or not.
    if (caught) process.exit(128 + SIGNALS[s]);
    caught = s;
    ac.abort(new CancelledError(`${s} received: job`));
  };
  const handlers = (Object.keys(SIGNALS) as Caught[]).map((s) => [s, () => on(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    const code = await command(args, ac.signal);
    return caught ? 128 + SIGNALS[caught] : code;
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
}

/** The exit code of a job ended by a signal. */
export function isInterruptCode(code: number): boolean {
  return code === 128 + SIGNALS.SIGINT || code === 128 + SIGNALS.SIGTERM;
}
