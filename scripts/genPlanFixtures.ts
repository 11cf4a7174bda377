// Writes test/fixtures/plans/pg<major>/<case>.{json,txt}: the same queries explained by real
// servers 13–18, JSON through node-postgres and text exactly as psql prints it.
//   tsx scripts/genPlanFixtures.ts [major...]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { SUPPORTED_MAJORS, startPgServer } from './lib/pgServer';
import { PLAN_CASES, PLAN_SCHEMA, fixtureOptions, setLocal } from '../test/support/planCases';

const OUT = resolve(__dirname, '..', 'test', 'fixtures', 'plans');

async function generate(major: number): Promise<void> {
  const server = await startPgServer({ major, fast: true, database: 'plans' });
  const client = new pg.Client(server.url);
  try {
    await client.connect();
    await client.query(PLAN_SCHEMA);
    const dir = join(OUT, `pg${major}`);
    mkdirSync(dir, { recursive: true });
    for (const c of PLAN_CASES) {
      const opts = fixtureOptions(c).join(', ');
      await client.query('BEGIN');
      await client.query(setLocal(c.settings));
      const r = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (${opts}, FORMAT JSON) ${c.sql}`);
      await client.query('ROLLBACK');
      writeFileSync(join(dir, `${c.name}.json`), JSON.stringify(r.rows[0]!['QUERY PLAN'], null, 2) + '\n');
      const script = `BEGIN;\n${setLocal(c.settings)}\nEXPLAIN (${opts}) ${c.sql};\nROLLBACK;\n`;
      const text = execFileSync('psql', ['-X', '-q', '-d', server.url], { input: script, encoding: 'utf8' });
      writeFileSync(join(dir, `${c.name}.txt`), text);
    }
    console.log(`pg${major}: ${PLAN_CASES.length} cases`);
  } finally {
    await client.end().catch(() => undefined);
    await server.stop();
  }
}

async function main(): Promise<void> {
  const majors = process.argv.slice(2).map(Number);
  for (const m of majors.length > 0 ? majors : SUPPORTED_MAJORS) await generate(m);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
