// `npm run bench:ssh -- [--runs 200] [--setups 7]`: the SSH hop against direct, in the same run,
// on a real sshd (test/support/sshServer.ts; run as root) and PostgreSQL 15 on this machine:
// the round trip of SELECT 1 on a warm pool, one tree expansion (the Databases node's query,
// listDatabases), each interleaved run by run with the direct pool so both see the same load;
// and the tunnel's set-up (SSH login with the agent + the first query through it), median of
// fresh sessions. Figures only, never a pass/fail (docs/architecture.md).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPgServer } from '../scripts/lib/pgServer';
import { parseConnectionUrl, resolveConnection } from '../src/core/db/connection';
import { createPool } from '../src/core/db/pool';
import { listDatabases } from '../src/core/stats/databases';
import { SshHops } from '../src/core/ssh/sshHops';
import { sshSkipReason, startSshServer } from '../test/support/sshServer';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const RUNS = opt('runs', 200);
const SETUPS = opt('setups', 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main(): Promise<void> {
  const skip = sshSkipReason();
  if (skip) throw new Error(`bench:ssh needs sshd: ${skip}`);
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bench-ssh-'));
  const [sshd, pgsrv] = await Promise.all([startSshServer(dir), startPgServer({ major: 15, fast: true })]);
  try {
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, sshd.knownHostsLine());
    writeFileSync(join(dir, 'ssh_config'), '');
    const newHops = () =>
      new SshHops({
        prompts: { confirmHostKey: () => Promise.resolve(false), passphrase: () => Promise.resolve(undefined), password: () => Promise.resolve(undefined) },
        knownHostsFile: knownHosts,
        sshConfigFile: join(dir, 'ssh_config'),
        agentSocket: sshd.agentSocket,
        home: dir,
      });
    const target = parseConnectionUrl(pgsrv.url);
    const profile = { ...target, name: 'bench', ssh: `${sshd.keyUser.name}@127.0.0.1:${sshd.port}` };

    const setups: number[] = [];
    for (let i = 0; i < SETUPS; i++) {
      const hops = newHops();
      const t0 = process.hrtime.bigint();
      const c = await resolveConnection(profile, undefined, {}, (p) => hops.endpoint(p));
      const pool = createPool(c, { statementTimeoutMs: 10_000, max: 1 });
      await pool.query('SELECT 1');
      setups.push(ms(t0));
      await pool.end();
      hops.closeAll();
    }

    const hops = newHops();
    const tunneled = createPool(await resolveConnection(profile, undefined, {}, (p) => hops.endpoint(p)), { statementTimeoutMs: 10_000, max: 1 });
    const direct = createPool(target, { statementTimeoutMs: 10_000, max: 1 });
    const versionNum = Number((await direct.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v);
    const rt = { direct: [] as number[], ssh: [] as number[] };
    const tree = { direct: [] as number[], ssh: [] as number[] };
    for (const pool of [direct, tunneled]) for (let i = 0; i < 20; i++) await pool.query('SELECT 1'); // warm both
    for (let i = 0; i < RUNS; i++) {
      for (const [name, pool] of [
        ['direct', direct],
        ['ssh', tunneled],
      ] as const) {
        let t0 = process.hrtime.bigint();
        await pool.query('SELECT 1');
        rt[name].push(ms(t0));
        if (i % 10 === 0) {
          t0 = process.hrtime.bigint();
          await listDatabases(pool, { versionNum });
          tree[name].push(ms(t0));
        }
      }
    }
    await Promise.all([direct.end(), tunneled.end()]);
    hops.closeAll();
    const row = (what: string, a: number[], b: number[]) =>
      console.log(
        `${what}: ssh ${median(a).toFixed(2)} ms, direct ${median(b).toFixed(2)} ms, ×${(median(a) / median(b)).toFixed(2)} (+${(median(a) - median(b)).toFixed(2)} ms), n=${a.length}`,
      );
    console.log(`load average ${loadavg()[0]!.toFixed(1)}, 2 cores`);
    row('SELECT 1 round trip', rt.ssh, rt.direct);
    row('tree expansion (Databases)', tree.ssh, tree.direct);
    console.log(`tunnel set-up (SSH login with the agent + first query): median ${median(setups).toFixed(1)} ms of ${SETUPS}`);
  } finally {
    sshd.stop();
    await pgsrv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
