// A test server as `npm run sandbox` sees its own: PostgreSQL's defaults (work_mem 4MB, the seed's
// "before"), with the hotel database (scripts/lib/hotelData.ts) at the sandbox's scale.
import pg from 'pg';
import { getTestServer, type TestServer } from './testServer';
import { createHotelDatabase, SANDBOX_SCALE } from '../../scripts/lib/hotelData';

export async function startHotelServer(): Promise<TestServer> {
  const srv = await getTestServer({ database: 'hotel' });
  try {
    const c = new pg.Client({ connectionString: srv.url });
    await c.connect();
    try {
      await createHotelDatabase(c, SANDBOX_SCALE);
    } finally {
      await c.end();
    }
    return srv;
  } catch (e) {
    await srv.stop();
    throw e;
  }
}
