// Why a tunnel's last forward failed (the SSH server refused the channel, or the session could not
// be made), by the tunnel's loopback end. A client of the tunnel (pg, a libpq tool) sees only its
// connection closed ("read ECONNRESET"); explainConnectError finds the reason here through the
// connection's `via`. One entry per live tunnel at most: cleared by the next forward that opens,
// removed with the listener.
import type { Endpoint } from './sshSession';

const failures = new Map<string, Error>();
const keyOf = (at: Endpoint) => `${at.host}:${at.port}`;

export function noteForwardFailure(at: Endpoint, e: Error | undefined): void {
  if (e) failures.set(keyOf(at), e);
  else failures.delete(keyOf(at));
}

/** Why the tunnel at `at` closed its last connection unopened, if it did. */
export function forwardFailure(at: Endpoint): Error | undefined {
  return failures.get(keyOf(at));
}
