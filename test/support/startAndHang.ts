// Child process for the rig's fault test: starts a server, prints where, and waits to be killed.
import { startPgServer } from '../../scripts/lib/pgServer';

void startPgServer({ fast: true }).then((s) => {
  process.stdout.write(JSON.stringify({ dataDir: s.dataDir, port: s.port }) + '\n');
  setInterval(() => undefined, 1000);
});
