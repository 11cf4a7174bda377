// `npm run bench:logpanel [-- --mb N --runs N]`: time to the log panel's first chart on a
// generated stderr log with the seed's prefix (bench/logGenerator.ts; default 1,024 MB, in this
// run's temp dir, deleted after). The panel's two steps, as it runs them: the core's read into one
// report (readLogs + LogAnalyzer, in this process as in the extension host), then the page under
// its CSP in headless Chromium (scripts/lib/logsHarness.ts) from the report message to its first
// painted frame with the chart. The peer in the same run: `pgdba logs --format json` (the bundled
// CLI) on the same file. Then the brush: an hour and five minutes in the middle of the log, read
// as the panel reads them (through the time index its whole read made), against the read the
// panel made before the index (the whole log again, entries outside the range passed over).
// And the first chart while the read goes on: the report so far, first after PROGRESS_MS of
// reading (as the panel posts it), painted. Figures only: medians of --runs, and the ratios.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fingerprinter, LogAnalyzer, LogIndex, hostFileSource, readLogs } from '../src/core/logs';
import { localHost } from '../src/core/host/localHost';
import { PROGRESS_MS, type HostMessage } from '../src/core/logs/logsProtocol';
import type { LogReport } from '../src/core/logs';
import { launchBrowser } from '../scripts/lib/browser';
import { buildPageBundle } from '../scripts/lib/pageBundle';
import { writeLogsHarness } from '../scripts/lib/logsHarness';
import { buildCliBundle } from '../test/support/cliBundle';
import { generate } from './logGenerator';
import { median, numberArg } from './lib/stats';

const MB = numberArg('--mb', 1024);
const RUNS = numberArg('--runs', 3);
const PREFIX = '%m [%p] %q%u@%d ';

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bench-logpanel-'));
  const browser = await launchBrowser();
  try {
    const file = join(dir, 'postgresql.log');
    const made = await generate(file, MB);
    const size = statSync(file).size;
    console.log(`generated ${(size / 1024 ** 2).toFixed(0)} MB (${made.statements} statements); ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`);
    const dist = await buildPageBundle(dir, 'logs');
    const cli = await buildCliBundle(join(dir, 'cli', 'pgdba.js'));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const reads: number[] = [];
    const paints: number[] = [];
    const clis: number[] = [];
    const partials: number[] = [];
    const reportMessage = (report: LogReport, readMs: number, readBytes: number): Extract<HostMessage, { type: 'report' }> => ({
      type: 'report',
      title: 'bench',
      source: { kind: 'files', text: file, files: [file] },
      report,
      readAt: new Date().toISOString(),
      readMs,
      readBytes,
      canExplain: true,
    });
    /** The page's part: from the message (serialised as postMessage would) to the painted chart. */
    const painted = async (message: HostMessage) => {
      await page.goto(`file://${writeLogsHarness(dir, dist, message, 'dark')}`);
      await page.waitForFunction(() => document.body.dataset.painted !== undefined && document.querySelector('.uplot canvas') !== null, undefined, {
        timeout: 120_000,
      });
    };
    const brushes: Record<'hour' | 'fiveMinutes' | 'hourWhole', number[]> = { hour: [], fiveMinutes: [], hourWhole: [] };
    const brushBytes = { hour: 0, fiveMinutes: 0 };
    const fp = await Fingerprinter.create();
    const source = hostFileSource(localHost, file);
    /** A range's read: through the index, or (no index) the whole log for it; seconds, bytes, statements. */
    const rangeRead = async (since: number, until: number, index?: LogIndex) => {
      const t0 = performance.now();
      const a = new LogAnalyzer(fp, { since, until });
      const r = await readLogs([source], a, { prefix: PREFIX, ...(index ? { within: { index, since, until } } : {}) });
      const statements = a.report(r.reads).summary.statements;
      return { s: (performance.now() - t0) / 1000, bytes: r.reads.reduce((n, x) => n + x.bytes, 0), statements };
    };
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const a = new LogAnalyzer(await Fingerprinter.create());
      const index = new LogIndex();
      // As the panel does: the report so far, first after PROGRESS_MS of reading.
      let partial: { s: number; message: HostMessage } | undefined;
      const r = await readLogs([source], a, {
        prefix: PREFIX,
        indexInto: index,
        onProgress: (done, total) => {
          if (partial || performance.now() - t0 < PROGRESS_MS) return;
          const message: HostMessage = { ...reportMessage(a.report([]), performance.now() - t0, done), progress: { done, total } };
          partial = { s: (performance.now() - t0) / 1000, message };
        },
      });
      const report = a.report(r.reads);
      const t1 = performance.now();
      if (report.summary.statements !== made.statements)
        throw new Error(`the panel's read counted ${report.summary.statements} statements, the log has ${made.statements}`);
      const p0 = performance.now();
      await painted(reportMessage(report, t1 - t0, size));
      const p1 = performance.now();
      if (!partial) throw new Error(`the read ended before ${PROGRESS_MS} ms: no report so far to time`);
      const q0 = performance.now();
      await painted(partial.message);
      partials.push(partial.s + (performance.now() - q0) / 1000);
      const c0 = performance.now();
      const c = spawnSync(process.execPath, [cli, 'logs', '--format', 'json', '--top', '200', '--prefix', PREFIX, file], { maxBuffer: 512 * 1024 * 1024 });
      if (c.status !== 0 && c.status !== 1) throw new Error(`pgdba logs failed (${c.status}): ${c.stderr.toString().slice(-300)}`);
      const c1 = performance.now();
      reads.push((t1 - t0) / 1000);
      paints.push((p1 - p0) / 1000);
      clis.push((c1 - c0) / 1000);
      const mid = Math.floor((Date.parse(report.summary.first!) + Date.parse(report.summary.last!)) / 2 / 3_600_000) * 3_600_000;
      const hour = await rangeRead(mid, mid + 3_600_000, index);
      const five = await rangeRead(mid + 1_800_000, mid + 2_100_000, index);
      const whole = await rangeRead(mid, mid + 3_600_000);
      if (whole.statements !== hour.statements)
        throw new Error(`the hour through the index counted ${hour.statements} statements, the whole read ${whole.statements}`);
      brushes.hour.push(hour.s);
      brushes.fiveMinutes.push(five.s);
      brushes.hourWhole.push(whole.s);
      brushBytes.hour = hour.bytes;
      brushBytes.fiveMinutes = five.bytes;
      console.log(
        `run ${i + 1}: read ${reads[i]!.toFixed(1)} s, page to first chart ${paints[i]!.toFixed(2)} s, pgdba logs ${clis[i]!.toFixed(1)} s; ` +
          `the report so far painted at ${partials[i]!.toFixed(2)} s; ` +
          `brush: an hour ${hour.s.toFixed(2)} s (${(hour.bytes / 1024 ** 2).toFixed(0)} MB, ${hour.statements} statements), five minutes ${five.s.toFixed(2)} s, the hour by a whole read ${whole.s.toFixed(1)} s`,
      );
    }
    const read = median(reads);
    const paint = median(paints);
    const peer = median(clis);
    const mbs = size / 1024 ** 2 / read;
    console.log(
      `\n| log | read (core, in process) | page to first chart | first chart total | pgdba logs --format json | first chart ÷ CLI |\n|---|---|---|---|---|---|`,
    );
    console.log(
      `| ${(size / 1024 ** 2).toFixed(0)} MB, ${made.statements} statements | ${read.toFixed(1)} s (${mbs.toFixed(1)} MB/s) | ${paint.toFixed(2)} s | ${(read + paint).toFixed(1)} s | ${peer.toFixed(1)} s | ${((read + paint) / peer).toFixed(2)} |`,
    );
    console.log(
      `\nthe first chart while the read goes on (its report so far, after ${PROGRESS_MS} ms of reading, painted): ${median(partials).toFixed(2)} s, ${((read + paint) / median(partials)).toFixed(0)}× sooner than the whole log's`,
    );
    const hour = median(brushes.hour);
    const hourWhole = median(brushes.hourWhole);
    console.log(`\n| brush on that log | through the time index | read | the whole log read for it (before the index) | ratio |\n|---|---|---|---|---|`);
    console.log(
      `| an hour | ${hour.toFixed(2)} s | ${(brushBytes.hour / 1024 ** 2).toFixed(0)} MB | ${hourWhole.toFixed(1)} s | ${(hourWhole / hour).toFixed(1)}× |`,
    );
    console.log(
      `| five minutes | ${median(brushes.fiveMinutes).toFixed(2)} s | ${(brushBytes.fiveMinutes / 1024 ** 2).toFixed(0)} MB | ${hourWhole.toFixed(1)} s | ${(hourWhole / median(brushes.fiveMinutes)).toFixed(1)}× |`,
    );
    console.log(`median of ${RUNS}; load ${loadavg()[0]!.toFixed(2)} at the end`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
