// Child processes of a backup job: spawned without a shell, their stderr kept (a short tail for
// the error message), and killed — the whole set — when the job is cancelled or one of them fails.
// Each child leads its own process group, and a kill goes to the group: pg_restore -j and
// pg_dump -j fork workers that would otherwise live on (holding our pipes, so 'close' never came).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Child {
  proc: ChildProcess;
  name: string;
  /** Resolves with the exit code (signals become 128+n); never rejects. */
  done: Promise<number>;
  /** The first error lines of stderr and its last lines, for messages. */
  stderrTail(): string;
  /** Until 'close': some process of the group may still hold the pipes. */
  running(): boolean;
}

export function startChild(name: string, cmd: string, args: readonly string[], opts: SpawnOptions & { onStderrLine?: (line: string) => void }): Child {
  const proc = spawn(cmd, args, { ...opts, detached: process.platform !== 'win32', stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] });
  let closed = false;
  const tail: string[] = [];
  // "pg_dump: error: query failed: …" is followed by the whole query (30 lines and more): the
  // tail alone would keep only the query's end, so the first error lines are kept apart.
  const errors: string[] = [];
  let partial = '';
  proc.stderr?.on('data', (b: Buffer) => {
    const lines = (partial + b.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) {
      if (!l) continue;
      opts.onStderrLine?.(l);
      if (/^[\w.-]+: (error|fatal|FATAL)\b/.test(l) && errors.length < 2) errors.push(l);
      if (!/^\S+: (dumping|processing|reading|creating|executing|saving|launching|finished|entering|last built-in)/.test(l)) {
        tail.push(l);
        if (tail.length > 8) tail.shift();
      }
    }
  });
  const done = new Promise<number>((resolve) => {
    let spawnError: Error | undefined;
    proc.once('error', (e) => {
      spawnError = e;
      closed = true;
      tail.push(`${name}: ${e.message}`);
      resolve(127);
    });
    proc.once('close', (code, signal) => {
      closed = true;
      if (spawnError) return;
      if (partial) tail.push(partial);
      resolve(code ?? (signal ? 128 + (signalNumber[signal] ?? 1) : 1));
    });
  });
  return { proc, name, done, stderrTail: () => [...errors.filter((e) => !tail.includes(e)), ...tail].join('\n'), running: () => !closed };
}

const signalNumber: Partial<Record<NodeJS.Signals, number>> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGPIPE: 13, SIGXFSZ: 25 };

export function killAll(children: readonly (Child | undefined)[]): void {
  for (const c of children) {
    if (!c?.running() || c.proc.pid === undefined) continue;
    try {
      process.kill(process.platform === 'win32' ? c.proc.pid : -c.proc.pid, 'SIGKILL');
    } catch {
      c.proc.kill('SIGKILL'); // the group is gone already (ESRCH): the leader alone, if it is not
    }
  }
}

/** Runs to completion, collecting stdout (small outputs only: versions, --list). */
export async function runCapture(cmd: string, args: readonly string[], opts: SpawnOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = startChild(cmd, cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  c.proc.stdout?.on('data', (b: Buffer) => out.push(b));
  const code = await c.done;
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: c.stderrTail() };
}

/** Runs fn when signal aborts — at once when it already has (an abort before the listener came
 *  would otherwise be missed, and the job run to its end). Returns the remover of the listener. */
export function whenAborted(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    fn();
    return () => undefined;
  }
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

export class CancelledError extends Error {
  constructor(what: string) {
    super(`${what} cancelled`);
    this.name = 'CancelledError';
  }
}
