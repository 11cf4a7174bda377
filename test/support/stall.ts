// Stalls processes as a link that says nothing would (SIGSTOP), for the Cancel tests; returns
// what resumes them (SIGCONT). A process that ended meanwhile is passed over.
export function stallProcesses(pids: readonly number[]): () => void {
  const signal = (sig: NodeJS.Signals) =>
    pids.forEach((p) => {
      try {
        process.kill(p, sig);
      } catch {
        // gone meanwhile
      }
    });
  signal('SIGSTOP');
  return () => signal('SIGCONT');
}
