// pg's Client, with one change every pgdba connection needs.
import pg from 'pg';

type ConnectCallback = (err: Error | null) => void;

/**
 * A failed connect also closes the socket. pg leaves it open when the login fails on the client's
 * side (no password to answer the server's request), and the server holds it until its
 * authentication_timeout (60 s by default): a CLI run would not exit, the editor would keep it.
 * Pools use it too (`Client` in poolConfig): pg-pool drops a client whose connect failed without
 * ending it.
 */
export class PgClient extends pg.Client {
  override connect(): Promise<pg.Client>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.Client> | void {
    const close = () => void this.end().catch(() => undefined);
    if (!callback)
      return super.connect().catch((e: unknown) => {
        close();
        throw e;
      });
    super.connect((err: Error | null) => {
      if (err) close();
      callback(err);
    });
  }
}
