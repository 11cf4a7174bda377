// What a person in VS Code can change when a connection fails: the Set Password command and the
// profile in the pgdba.connections setting. No vscode import: the unit tests read it too.
import type { ConnectAdvice } from '../core/db/connectError';

export const VSCODE_ADVICE: ConnectAdvice = {
  password: 'set it with the PostgreSQL DBA: Set Password command, or check ~/.pgpass',
  setting: (name) => `the profile's ${name} (pgdba.connections setting)`,
};
