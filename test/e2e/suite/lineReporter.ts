// A mocha reporter that prints one line per finished test on the extension host's console: a
// readable line, and the marker line the e2e runner counts (test/e2e/protocol.ts).
import Mocha from 'mocha';
import { TEST_MARKER, type TestRecord } from '../protocol';

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

function emit(record: TestRecord): void {
  console.log(`${TEST_MARKER} ${JSON.stringify(record)}`);
}

export class LineReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const name = (t: Mocha.Test) => t.titlePath().join(' › ');
    runner.on(EVENT_TEST_PASS, (t: Mocha.Test) => emit({ name: name(t), state: 'passed', durationMs: t.duration ?? 0 }));
    runner.on(EVENT_TEST_PENDING, (t: Mocha.Test) => emit({ name: name(t), state: 'skipped', durationMs: 0 }));
    runner.on(EVENT_TEST_FAIL, (t: Mocha.Test, err: Error) =>
      emit({ name: name(t), state: 'failed', durationMs: t.duration ?? 0, error: err.stack ?? err.message }),
    );
    runner.once(EVENT_RUN_END, () => {
      const s = this.stats;
      console.log(`e2e suite: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped`);
    });
  }
}
