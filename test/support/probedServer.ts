// The rig of a truth test file: one test server and its pg_file_settings probe, started before the
// file's tests and closed after them. The probe is absent when PGDBA_TEST_URL names a server this
// run did not start (no data directory to write the included file into).
import { after, before } from 'node:test';
import { openFileSettingsProbe, type FileSettingsProbe } from '../../scripts/lib/fileSettingsProbe';
import { getTestServer, type TestServer } from './testServer';

export interface ProbedServer {
  readonly srv: TestServer;
  readonly probe: FileSettingsProbe | undefined;
}

export function probedServer(): ProbedServer {
  let srv: TestServer | undefined;
  let probe: FileSettingsProbe | undefined;
  before(async () => {
    srv = await getTestServer();
    if (srv.server) probe = await openFileSettingsProbe(srv.server);
  });
  after(async () => {
    await probe?.close();
    await srv?.stop();
  });
  return {
    get srv() {
      if (!srv) throw new Error('the test server is not started yet (probedServer() is read inside a test)');
      return srv;
    },
    get probe() {
      return probe;
    },
  };
}
